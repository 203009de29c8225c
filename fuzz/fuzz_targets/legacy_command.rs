//! Legacy command parsing: arbitrary JSON and protobuf decoded as a `LegacyCommand`, then
//! translated to a recall. Never a panic; a translated recall is the sender's own, and turns
//! back into the same `msgId` command.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_core::json::Json;
use recall_core::wire::Protobuf;
use recall_core::{Basis, LegacyCommand, MESSAGE_ID_ATTRIBUTE};

fn check(command: &LegacyCommand) {
    if let Ok(recall) = command.to_recall() {
        assert_eq!(recall.basis, Basis::Sender);
        assert_eq!(recall.sender_id, recall.operator_id);
        assert_eq!(recall.sender_id, command.from);
        let back = LegacyCommand::from_recall(&recall).unwrap();
        assert_eq!(
            back.attributes.get(MESSAGE_ID_ATTRIBUTE),
            command.attributes.get(MESSAGE_ID_ATTRIBUTE)
        );
        assert_eq!(back.to_recall(), Ok(recall));
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(command) = LegacyCommand::from_protobuf(data) {
        assert_eq!(
            LegacyCommand::from_protobuf(&command.to_protobuf()).as_ref(),
            Ok(&command)
        );
        check(&command);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(command) = LegacyCommand::from_json(text) {
            assert_eq!(
                LegacyCommand::from_json(&command.to_json()).as_ref(),
                Ok(&command)
            );
            check(&command);
        }
    }
});
