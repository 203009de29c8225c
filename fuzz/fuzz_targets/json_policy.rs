//! Untrusted JSON text as a `RecallPolicy`: never a panic; what decodes round-trips losslessly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_core::RecallPolicy;

fuzz_target!(|data: &[u8]| recall_fuzz::json_round_trip::<RecallPolicy>(data));
