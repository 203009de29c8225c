//! Untrusted JSON text as each client-side shape — `HeldMessage`, `ArrivingMessage`,
//! `Tombstone`, `RecallOutcome`, `ClientLimits` — never a panic; what decodes round-trips
//! losslessly. (`LegacyCommand` has its own target.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_core::{ArrivingMessage, ClientLimits, HeldMessage, RecallOutcome, Tombstone};
use recall_fuzz::json_round_trip;

fuzz_target!(|data: &[u8]| {
    json_round_trip::<HeldMessage>(data);
    json_round_trip::<ArrivingMessage>(data);
    json_round_trip::<Tombstone>(data);
    json_round_trip::<RecallOutcome>(data);
    json_round_trip::<ClientLimits>(data);
});
