//! Untrusted JSON text as a `RecallRequest`: never a panic; what decodes round-trips losslessly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_core::RecallRequest;

fuzz_target!(|data: &[u8]| recall_fuzz::json_round_trip::<RecallRequest>(data));
