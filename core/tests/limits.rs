//! Every cap on untrusted input, tested at the cap and one past it (issue "Hardening").
//!
//! | cap | value | past it |
//! |---|---|---|
//! | protobuf message | 8 KiB (`wire::MAX_MESSAGE_BYTES`) | `input_too_large` |
//! | JSON text | 64 KiB (`json::MAX_JSON_BYTES`) | `input_too_large` |
//! | id | 256 UTF-8 bytes (`MAX_ID_BYTES`) | `invalid_argument` |
//! | `ext` of a received notification | 4096 bytes (`RecallPolicy::MAX_EXT_BYTES`) | `ext_too_large` |
//! | `ext` of a request | the policy's `max_ext_bytes` (rule 5) | `ext_too_large` |
//! | legacy command attributes | 32 (`legacy::MAX_ATTRIBUTES`) | `invalid_argument` |
//! | client state, remembered recalls | `max_recalls`, `max_bytes` | oldest evicted |
//! | client state import | `max_bytes` | `input_too_large` |

use recall_core::json::{Json, MAX_JSON_BYTES};
use recall_core::wire::{MAX_MESSAGE_BYTES, Protobuf};
use recall_core::{
    Basis, ClientLimits, Conversation, ConversationKind, IdError, LegacyCommand, LegacyError,
    LimitsConfig, MAX_ID_BYTES, MessageId, Reason, RecallNotification, RecallRequest, RecallState,
    Timestamp, UserId,
};

fn notification(ext: Option<String>) -> RecallNotification {
    RecallNotification {
        conversation: Conversation {
            id: "g1".try_into().unwrap(),
            kind: ConversationKind::Group,
        },
        message_id: "m1".try_into().unwrap(),
        sender_id: "alice".try_into().unwrap(),
        operator_id: "alice".try_into().unwrap(),
        basis: Basis::Sender,
        recalled_at: Timestamp::from_unix_millis(0).unwrap(),
        ext,
    }
}

#[test]
fn protobuf_messages_up_to_8_kib() {
    // A valid request padded with an unknown field to exactly the cap decodes.
    let request =
        RecallRequest::from_json(r#"{"conversation_id":"g1","message_id":"m1"}"#).unwrap();
    let mut bytes = request.to_protobuf();
    let pad = MAX_MESSAGE_BYTES - bytes.len() - 3; // tag 15 (1 byte) + 2-byte length
    bytes.extend([0x7a, (pad & 0x7f) as u8 | 0x80, (pad >> 7) as u8]);
    bytes.extend(std::iter::repeat_n(b'x', pad));
    assert_eq!(bytes.len(), MAX_MESSAGE_BYTES);
    assert_eq!(RecallRequest::from_protobuf(&bytes), Ok(request));
    bytes.push(0);
    assert_eq!(
        RecallRequest::from_protobuf(&bytes),
        Err(Reason::InputTooLarge.into())
    );
}

#[test]
fn json_texts_up_to_64_kib() {
    let json = r#"{"window_secs":60}"#;
    let padded = format!("{json}{}", " ".repeat(MAX_JSON_BYTES - json.len()));
    assert_eq!(padded.len(), MAX_JSON_BYTES);
    assert!(recall_core::RecallPolicy::from_json(&padded).is_ok());
    let past = format!("{padded} ");
    assert_eq!(
        recall_core::RecallPolicy::from_json(&past),
        Err(Reason::InputTooLarge.into())
    );
}

#[test]
fn ids_up_to_256_bytes() {
    assert!(MessageId::new("m".repeat(MAX_ID_BYTES)).is_ok());
    let past = MessageId::new("m".repeat(MAX_ID_BYTES + 1));
    assert_eq!(past, Err(IdError::TooLong(MAX_ID_BYTES + 1)));
    assert_eq!(past.map_err(Reason::from), Err(Reason::InvalidArgument));
    assert!(UserId::new("é".repeat(MAX_ID_BYTES / 2)).is_ok());
    let past = UserId::new(format!("{}a", "é".repeat(MAX_ID_BYTES / 2)));
    assert_eq!(past, Err(IdError::TooLong(MAX_ID_BYTES + 1)));
    assert_eq!(past.map_err(Reason::from), Err(Reason::InvalidArgument));
}

#[test]
fn notification_ext_up_to_4096_bytes() {
    let at_cap = notification(Some("é".repeat(2048)));
    assert_eq!(
        RecallNotification::from_protobuf(&at_cap.to_protobuf()),
        Ok(at_cap.clone())
    );
    assert_eq!(RecallNotification::from_json(&at_cap.to_json()), Ok(at_cap));
    let past = notification(Some(format!("{}x", "é".repeat(2048))));
    assert_eq!(
        RecallNotification::from_protobuf(&past.to_protobuf()),
        Err(Reason::ExtTooLarge.into())
    );
    assert_eq!(
        RecallNotification::from_json(&past.to_json()),
        Err(Reason::ExtTooLarge.into())
    );
}

#[test]
fn legacy_commands_up_to_32_attributes() {
    let mut command = LegacyCommand::from_recall(&notification(None)).unwrap();
    for i in 1..32 {
        command.attributes.insert(format!("k{i}"), "v".into());
    }
    assert_eq!(command.attributes.len(), 32);
    assert!(command.to_recall().is_ok());
    assert!(LegacyCommand::from_protobuf(&command.to_protobuf()).is_ok());
    command.attributes.insert("k32".into(), "v".into());
    assert_eq!(command.to_recall(), Err(LegacyError::TooManyAttributes(33)));
    // Decoding does not count attributes (the input caps bound it): the refusal is the
    // translation's, the same on every path (spec §7).
    let decoded = LegacyCommand::from_protobuf(&command.to_protobuf()).unwrap();
    assert_eq!(decoded.to_recall(), Err(LegacyError::TooManyAttributes(33)));
}

#[test]
fn client_state_import_up_to_max_bytes() {
    let limits = ClientLimits::new(LimitsConfig {
        max_recalls: 1000,
        max_age_secs: 3600,
        max_bytes: 64 << 10,
    })
    .unwrap();
    let me: UserId = "bob".try_into().unwrap();
    let now = Timestamp::from_unix_millis(0).unwrap();
    let mut state = RecallState::new(me.clone(), limits);
    for i in 0..1000 {
        let mut recall = notification(Some("x".repeat(300)));
        recall.message_id = format!("m{i}").try_into().unwrap();
        let pending = state.on_recall(recall, now).unwrap();
        state.settle(pending, None).unwrap();
        assert!(state.bytes() <= 64 << 10);
    }
    assert!(state.len() < 1000, "the byte limit evicted some");
    let bytes = state.export();
    assert!(bytes.len() <= 64 << 10);
    let restored = RecallState::import(me.clone(), limits, &bytes, now).unwrap();
    assert_eq!(restored.len(), state.len());
    assert_eq!(restored.export(), bytes);
    let past = vec![0u8; (64 << 10) + 1];
    assert_eq!(
        RecallState::import(me, limits, &past, now).err(),
        Some(Reason::InputTooLarge)
    );
}

#[test]
fn client_limits_bounds() {
    let ok = |max_recalls, max_age_secs, max_bytes| {
        ClientLimits::new(LimitsConfig {
            max_recalls,
            max_age_secs,
            max_bytes,
        })
        .is_ok()
    };
    assert!(ok(1, 1, 64 << 10) && ok(1_000_000, 365 * 86_400, 256 << 20));
    assert!(!ok(0, 1, 64 << 10));
    assert!(!ok(1_000_001, 1, 64 << 10));
    assert!(!ok(1, 0, 64 << 10));
    assert!(!ok(1, 365 * 86_400 + 1, 64 << 10));
    assert!(!ok(1, 1, (64 << 10) - 1));
    assert!(!ok(1, 1, (256 << 20) + 1));
    assert_eq!(
        ClientLimits::from_json(r#"{"max_recalls": 0}"#),
        Err(Reason::InvalidPolicy.into())
    );
}

#[test]
fn request_ext_up_to_4096_bytes_when_decoded() {
    let json = |ext: &str| format!(r#"{{"conversation_id":"g1","message_id":"m1","ext":"{ext}"}}"#);
    let at_cap = RecallRequest::from_json(&json(&"x".repeat(4096))).unwrap();
    assert_eq!(
        RecallRequest::from_protobuf(&at_cap.to_protobuf()),
        Ok(at_cap.clone())
    );
    assert_eq!(
        RecallRequest::from_json(&at_cap.to_json()),
        Ok(at_cap.clone())
    );
    assert_eq!(
        RecallRequest::from_json(&json(&"x".repeat(4097))),
        Err(Reason::ExtTooLarge.into())
    );
    let past = RecallRequest {
        ext: Some("x".repeat(4097)),
        ..at_cap
    };
    assert_eq!(
        RecallRequest::from_protobuf(&past.to_protobuf()),
        Err(Reason::ExtTooLarge.into())
    );
    // The fuzzer's case: 65,525 bytes of JSON that re-encoded past the 64 KiB cap.
    assert_eq!(json(&"x".repeat(65_474)).len(), 65_525);
    assert_eq!(
        RecallRequest::from_json(&json(&"x".repeat(65_474))),
        Err(Reason::ExtTooLarge.into())
    );
}
