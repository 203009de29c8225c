//! `RecallState::import` of arbitrary bytes (an app's saved state, possibly corrupt): never a
//! panic; when it imports, the state is within its limits and exports to bytes that import
//! to the same state.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_core::{ClientLimits, RecallState, Timestamp};

fuzz_target!(|bytes: &[u8]| {
    let now = Timestamp::from_unix_millis(1_767_225_600_000).unwrap();
    let me = "u0".try_into().unwrap();
    if let Ok(state) = RecallState::import(me, ClientLimits::DEFAULT, bytes, now) {
        assert!(state.len() <= 10_000);
        let exported = state.export();
        let again = RecallState::import(
            "u0".try_into().unwrap(),
            ClientLimits::DEFAULT,
            &exported,
            now,
        )
        .unwrap();
        assert_eq!(again.export(), exported);
    }
});
