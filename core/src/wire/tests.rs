use super::*;
use crate::json::Json;

fn request() -> RecallRequest {
    RecallRequest::from_json(r#"{"conversation_id":"g1","message_id":"m1","ext":"广告 spam"}"#)
        .unwrap()
}

fn notification() -> RecallNotification {
    RecallNotification::from_json(
        r#"{"conversation":{"id":"r1","kind":"room"},"message_id":"m9","sender_id":"alice","operator_id":"bob","basis":"moderator","recalled_at":"2026-01-01T00:02:00.001Z","ext":null}"#,
    )
    .unwrap()
}

#[test]
fn request_round_trips() {
    let original = request();
    assert_eq!(
        RecallRequest::from_protobuf(&original.to_protobuf()),
        Ok(original.clone())
    );
    let no_ext = RecallRequest {
        ext: None,
        ..original
    };
    assert_eq!(
        RecallRequest::from_protobuf(&no_ext.to_protobuf()),
        Ok(no_ext)
    );
}

/// What a client of the first drafts sent: field 1, a conversation with its kind, and field 3,
/// an actor claiming the role `owner`.
#[test]
fn deserialize_a_request_claiming_an_actor_ignores_the_claim() {
    use prost::encoding::{WireType, encode_key, encode_varint};
    let mut bytes = request().to_protobuf();
    // Field 3 (retired): {user_id: "mallory", role: OWNER}.
    let actor = [10u8, 7, b'm', b'a', b'l', b'l', b'o', b'r', b'y', 16, 3];
    encode_key(3, WireType::LengthDelimited, &mut bytes);
    encode_varint(actor.len() as u64, &mut bytes);
    bytes.extend_from_slice(&actor);
    assert_eq!(RecallRequest::from_protobuf(&bytes), Ok(request()));
    // JSON likewise: spec 8.4, unknown fields of a wire shape are ignored.
    let claimed = RecallRequest::from_json(
        r#"{"conversation_id":"g1","message_id":"m1","ext":"广告 spam","actor":{"user_id":"mallory","role":"owner"},"conversation":{"id":"g1","kind":"group"}}"#,
    );
    assert_eq!(claimed, Ok(request()));
}

#[test]
fn deserialize_kinds_and_bases_of_a_newer_peer_as_unknown() {
    // Spec 8.3.1: a recall with a kind or basis this version does not know is kept, and the
    // unknown value is written back as 0.
    for (kind, basis) in [(7, 1), (0, 2), (2, 9), (0, 0)] {
        let mut wire = notification().to_proto();
        wire.conversation.as_mut().unwrap().kind = kind;
        wire.basis = basis;
        let decoded = RecallNotification::try_from(wire).unwrap();
        let expected_kind = if kind == 2 {
            ConversationKind::Group
        } else {
            ConversationKind::Unknown
        };
        let expected_basis = match basis {
            1 => Basis::Sender,
            2 => Basis::Moderator,
            _ => Basis::Unknown,
        };
        assert_eq!(decoded.conversation.kind, expected_kind);
        assert_eq!(decoded.basis, expected_basis);
        let again = RecallNotification::from_protobuf(&decoded.to_protobuf()).unwrap();
        assert_eq!(again, decoded);
    }
    let json = RecallNotification::from_json(
        r#"{"conversation":{"id":"r1","kind":"channel","topic":"x"},"message_id":"m9","sender_id":"alice","operator_id":"bob","basis":"system","recalled_at":"2026-01-01T00:02:00.001Z","ext":null,"priority":3}"#,
    )
    .unwrap();
    assert_eq!(json.conversation.kind, ConversationKind::Unknown);
    assert_eq!(json.basis, Basis::Unknown);
    assert_eq!(
        json.to_json(),
        r#"{"conversation":{"id":"r1","kind":"unknown"},"message_id":"m9","sender_id":"alice","operator_id":"bob","basis":"unknown","recalled_at":"2026-01-01T00:02:00.001Z","ext":null}"#
    );
    assert_eq!(RecallNotification::from_json(&json.to_json()), Ok(json));
}

#[test]
fn deserialize_a_reason_of_a_newer_peer_keeps_its_code() {
    // Spec 8.3 and 9.2.
    let wire = proto::RecallRejection { reason: 34 };
    let rejection = RecallRejection::try_from(wire).unwrap();
    assert_eq!(rejection.reason, Reason::Unknown(34));
    assert_eq!(rejection.reason.code(), 34);
    assert_eq!(
        RecallRejection::from_protobuf(&rejection.to_protobuf()),
        Ok(rejection)
    );
    let json = RecallRejection::from_json(r#"{"reason":"too_many_recalls","code":34}"#).unwrap();
    assert_eq!(json, rejection);
    assert_eq!(json.to_json(), r#"{"reason":"unknown","code":34}"#);
    assert_eq!(RecallRejection::from_json(&json.to_json()), Ok(json));
    assert_eq!(
        RecallRejection::from_json(r#"{"reason":"window_expired","code":11}"#),
        Ok(RecallRejection {
            reason: Reason::WindowExpired
        })
    );
    for bad in [
        r#"{"reason":"window_expired","code":12}"#,
        r#"{"reason":"window_expired"}"#,
        r#"{"reason":"Too-Many","code":34}"#,
        r#"{"reason":"","code":34}"#,
        r#"{"reason":"unknown","code":0}"#,
        r#"{"reason":"unknown","code":65536}"#,
    ] {
        assert_eq!(
            RecallRejection::from_json(bad),
            Err(Reason::InvalidArgument.into()),
            "{bad}"
        );
    }
}

#[test]
fn notification_round_trips() {
    let original = notification();
    assert_eq!(
        RecallNotification::from_protobuf(&original.to_protobuf()),
        Ok(original.clone())
    );
    let with_ext = RecallNotification {
        ext: Some("é".repeat(2048)),
        ..original
    };
    assert_eq!(
        RecallNotification::from_protobuf(&with_ext.to_protobuf()),
        Ok(with_ext)
    );
}

#[test]
fn rejection_round_trips_for_every_reason() {
    for &reason in Reason::ALL {
        let rejection = RecallRejection { reason };
        assert_eq!(
            RecallRejection::from_protobuf(&rejection.to_protobuf()),
            Ok(rejection)
        );
        let wire = proto::Reason::try_from(i32::from(reason.code())).unwrap();
        assert_eq!(
            wire.as_str_name(),
            format!("REASON_{}", reason.id().to_uppercase())
        );
    }
    assert_eq!(proto::Reason::Unspecified as i32, 0);
}

#[test]
fn missing_and_unknown_values_are_invalid_arguments() {
    let mut wire = request().to_proto();
    wire.conversation_id = String::new();
    assert_eq!(RecallRequest::try_from(wire), Err(Reason::InvalidArgument));

    let mut wire = notification().to_proto();
    wire.conversation = None;
    assert_eq!(
        RecallNotification::try_from(wire),
        Err(Reason::InvalidArgument)
    );

    let mut wire = request().to_proto();
    wire.message_id = "a\u{7}".into();
    assert_eq!(RecallRequest::try_from(wire), Err(Reason::InvalidArgument));

    let mut wire = notification().to_proto();
    wire.recalled_at_ms = i64::MAX;
    assert_eq!(
        RecallNotification::try_from(wire),
        Err(Reason::InvalidArgument)
    );

    let mut wire = notification().to_proto();
    wire.ext = Some("x".repeat(4097));
    assert_eq!(RecallNotification::try_from(wire), Err(Reason::ExtTooLarge));

    for code in [0, -1, 65_536, i32::MAX] {
        let wire = proto::RecallRejection { reason: code };
        assert_eq!(
            RecallRejection::try_from(wire),
            Err(Reason::InvalidArgument),
            "{code}"
        );
    }
}

#[test]
fn garbage_bytes_are_malformed_and_big_input_is_refused() {
    assert_eq!(
        RecallRequest::from_protobuf(&[0xff, 0xff, 0xff]),
        Err(Reason::MalformedInput.into())
    );
    // A length prefix promising far more than is there.
    assert_eq!(
        RecallRequest::from_protobuf(&[0x12, 0xff, 0xff, 0x03]),
        Err(Reason::MalformedInput.into())
    );
    // Invalid UTF-8 in a string field.
    assert_eq!(
        RecallRequest::from_protobuf(&[0x12, 0x01, 0xff]),
        Err(Reason::MalformedInput.into())
    );
    assert_eq!(
        RecallRequest::from_protobuf(&[]),
        Err(Reason::InvalidArgument.into())
    );
    let big = vec![0u8; MAX_MESSAGE_BYTES + 1];
    assert_eq!(
        RecallNotification::from_protobuf(&big),
        Err(Reason::InputTooLarge.into())
    );
}

/// `bytes` with an unknown length-delimited field (number 15) appended so that the whole is
/// exactly `total` bytes long: still a valid message, which decoders skip the field of.
fn padded_to(mut bytes: Vec<u8>, total: usize) -> Vec<u8> {
    // Tag 15, wire type 2 (one byte), then a three-byte varint length: 2^14 <= pad < 2^21.
    let pad = total - bytes.len() - 4;
    assert!((1 << 14..1 << 21).contains(&pad));
    let pad_u32 = u32::try_from(pad).unwrap();
    bytes.extend([0x7a, (pad_u32 as u8) | 0x80, (pad_u32 >> 7) as u8 | 0x80]);
    bytes.push((pad_u32 >> 14) as u8);
    bytes.extend(std::iter::repeat_n(b'x', pad));
    assert_eq!(bytes.len(), total);
    bytes
}

#[test]
fn import_accepts_exactly_max_bytes_and_refuses_one_more() {
    let limits = ClientLimits::new(crate::LimitsConfig {
        max_recalls: 100,
        max_age_secs: 3600,
        max_bytes: 65_536,
    })
    .unwrap();
    let me = UserId::new("bob").unwrap();
    let now = Timestamp::from_unix_millis(0).unwrap();
    let mut state = RecallState::new(me.clone(), limits);
    let pending = state.on_recall(notification(), now).unwrap();
    state.settle(pending, None).unwrap();
    let exported = state.export();

    let at_cap = padded_to(exported.clone(), 65_536);
    let restored = RecallState::import(me.clone(), limits, &at_cap, now).unwrap();
    assert_eq!(restored.export(), exported, "the unknown field is skipped");

    let past = padded_to(exported, 65_537);
    assert_eq!(
        proto::RememberedRecalls::decode(past.as_slice())
            .map(|wire| wire.recalls.len())
            .ok(),
        Some(1),
        "a valid message, refused for its size alone"
    );
    assert_eq!(
        RecallState::import(me, limits, &past, now).err(),
        Some(Reason::InputTooLarge)
    );
}

fn tombstone() -> Tombstone {
    Tombstone::from_json(
        r#"{"conversation":{"id":"g1","kind":"group"},"message_id":"m1","sender_id":"alice","operator_id":"olga","recalled_by":"moderator","basis":"moderator","recalled_at":"2026-01-01T00:02:00.001Z","ext":"spam"}"#,
    )
    .unwrap()
}

#[test]
fn tombstone_round_trips_for_every_recalled_by() {
    for recalled_by in [RecalledBy::You, RecalledBy::Sender, RecalledBy::Moderator] {
        let original = Tombstone {
            recalled_by,
            ..tombstone()
        };
        assert_eq!(
            Tombstone::from_protobuf(&original.to_protobuf()),
            Ok(original.clone())
        );
        let no_ext = Tombstone {
            ext: None,
            ..original
        };
        assert_eq!(Tombstone::from_protobuf(&no_ext.to_protobuf()), Ok(no_ext));
    }
}

#[test]
fn deserialize_a_tombstone_without_recalled_by_is_an_invalid_argument() {
    for recalled_by in [0, 4, -1] {
        let wire = proto::Tombstone {
            recalled_by,
            ..tombstone().to_proto()
        };
        let refused = Tombstone::from_protobuf(&wire.encode_to_vec()).unwrap_err();
        assert_eq!(refused.reason(), Reason::InvalidArgument);
    }
    let long_ext = proto::Tombstone {
        ext: Some("x".repeat(4097)),
        ..tombstone().to_proto()
    };
    let refused = Tombstone::from_protobuf(&long_ext.encode_to_vec()).unwrap_err();
    assert_eq!(refused.reason(), Reason::ExtTooLarge);
}
