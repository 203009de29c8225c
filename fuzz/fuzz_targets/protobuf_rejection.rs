//! Untrusted protobuf bytes as a `RecallRejection`: never a panic; what decodes round-trips losslessly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_core::RecallRejection;

fuzz_target!(|data: &[u8]| recall_fuzz::protobuf_round_trip::<RecallRejection>(data));
