//! Untrusted JSON text as a `RecallRejection`: never a panic; what decodes round-trips losslessly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_core::RecallRejection;

fuzz_target!(|data: &[u8]| recall_fuzz::json_round_trip::<RecallRejection>(data));
