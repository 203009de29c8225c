//! Conversions between the exported records and the core's types. Inbound conversions check
//! every id and timestamp and refuse with a reason; outbound ones cannot fail.

use crate::{
    Basis, Conversation, ConversationKind, Decision, Operator, PolicyConfig, RecallNotification,
    RecallRequest, StoredMessage,
};
use recall_core::{self as rc, ConversationId, MessageId, Reason, UserId};

/// The inputs of one decision, with their ids checked in the order of rule 2: the request's,
/// the actor's, then the stored message's.
pub(crate) fn case(
    request: RecallRequest,
    actor: Operator,
    message: StoredMessage,
) -> Result<(rc::RecallRequest, rc::Actor, rc::StoredMessage), Reason> {
    // Ids only: the ext's 4096-byte bound is the rules' to check (spec 4.4), after every id,
    // as `decide` does; checking it here would answer `recall` differently from `decide`.
    Ok((
        request_ids(request)?,
        actor.try_into()?,
        message.try_into()?,
    ))
}

/// The request with its ids checked; its `ext` as it is.
fn request_ids(request: RecallRequest) -> Result<rc::RecallRequest, Reason> {
    Ok(rc::RecallRequest {
        conversation_id: ConversationId::try_from(request.conversation_id)?,
        message_id: MessageId::try_from(request.message_id)?,
        ext: request.ext,
    })
}

impl From<ConversationKind> for rc::ConversationKind {
    fn from(kind: ConversationKind) -> Self {
        match kind {
            ConversationKind::Direct => rc::ConversationKind::Direct,
            ConversationKind::Group => rc::ConversationKind::Group,
            ConversationKind::Room => rc::ConversationKind::Room,
            ConversationKind::Unknown => rc::ConversationKind::Unknown,
        }
    }
}

impl From<rc::ConversationKind> for ConversationKind {
    fn from(kind: rc::ConversationKind) -> Self {
        match kind {
            rc::ConversationKind::Direct => ConversationKind::Direct,
            rc::ConversationKind::Group => ConversationKind::Group,
            rc::ConversationKind::Room => ConversationKind::Room,
            // Spec 8.3.1: whatever a later core adds is unknown to these bindings.
            _ => ConversationKind::Unknown,
        }
    }
}

impl From<Basis> for rc::Basis {
    fn from(basis: Basis) -> Self {
        match basis {
            Basis::Sender => rc::Basis::Sender,
            Basis::Moderator => rc::Basis::Moderator,
            Basis::Unknown => rc::Basis::Unknown,
        }
    }
}

impl From<rc::Basis> for Basis {
    fn from(basis: rc::Basis) -> Self {
        match basis {
            rc::Basis::Sender => Basis::Sender,
            rc::Basis::Moderator => Basis::Moderator,
            _ => Basis::Unknown,
        }
    }
}

impl TryFrom<PolicyConfig> for rc::PolicyConfig {
    type Error = Reason;
    fn try_from(config: PolicyConfig) -> Result<Self, Reason> {
        // A negative number is out of bounds like any other (spec 3.1).
        let bounded = |value: i32| u32::try_from(value).map_err(|_| Reason::InvalidPolicy);
        Ok(rc::PolicyConfig {
            window_secs: bounded(config.window_secs)?,
            moderators: config.moderators,
            moderators_bypass_window: config.moderators_bypass_window,
            moderation: config.moderation,
            excluded_kinds: config.excluded_kinds,
            max_ext_bytes: bounded(config.max_ext_bytes)?,
        })
    }
}

impl From<rc::PolicyConfig> for PolicyConfig {
    fn from(config: rc::PolicyConfig) -> Self {
        // A valid policy's window and ext bound fit an i32 (spec 3.1: at most 604,800 and
        // 4096); saturate rather than wrap for a config built outside a policy.
        let signed = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
        PolicyConfig {
            window_secs: signed(config.window_secs),
            moderators: config.moderators,
            moderators_bypass_window: config.moderators_bypass_window,
            moderation: config.moderation,
            excluded_kinds: config.excluded_kinds,
            max_ext_bytes: signed(config.max_ext_bytes),
        }
    }
}

impl TryFrom<Conversation> for rc::Conversation {
    type Error = Reason;
    fn try_from(conversation: Conversation) -> Result<Self, Reason> {
        Ok(rc::Conversation {
            id: ConversationId::try_from(conversation.id)?,
            kind: conversation.kind.into(),
        })
    }
}

impl From<rc::Conversation> for Conversation {
    fn from(conversation: rc::Conversation) -> Self {
        Conversation {
            id: conversation.id.into(),
            kind: conversation.kind.into(),
        }
    }
}

impl TryFrom<Operator> for rc::Actor {
    type Error = Reason;
    fn try_from(actor: Operator) -> Result<Self, Reason> {
        Ok(rc::Actor {
            user_id: UserId::try_from(actor.user_id)?,
            role: actor.role,
        })
    }
}

impl TryFrom<RecallRequest> for rc::RecallRequest {
    type Error = Reason;
    fn try_from(request: RecallRequest) -> Result<Self, Reason> {
        let request = request_ids(request)?;
        // As the decoders, for the wire: no policy allows more than 4096 bytes.
        request.check_ext()?;
        Ok(request)
    }
}

impl From<rc::RecallRequest> for RecallRequest {
    fn from(request: rc::RecallRequest) -> Self {
        RecallRequest {
            conversation_id: request.conversation_id.into(),
            message_id: request.message_id.into(),
            ext: request.ext,
        }
    }
}

impl TryFrom<StoredMessage> for rc::StoredMessage {
    type Error = Reason;
    fn try_from(message: StoredMessage) -> Result<Self, Reason> {
        Ok(rc::StoredMessage {
            id: MessageId::try_from(message.id)?,
            conversation: message.conversation.try_into()?,
            sender_id: UserId::try_from(message.sender_id)?,
            sender_role: message.sender_role,
            kind: message.kind,
            state: message.state,
            sent_at: message.sent_at,
        })
    }
}

impl From<rc::Decision> for Decision {
    fn from(decision: rc::Decision) -> Self {
        Decision {
            basis: decision.basis.into(),
            deadline: decision.deadline,
        }
    }
}

impl TryFrom<RecallNotification> for rc::RecallNotification {
    type Error = Reason;
    fn try_from(notification: RecallNotification) -> Result<Self, Reason> {
        let notification = rc::RecallNotification {
            conversation: notification.conversation.try_into()?,
            message_id: MessageId::try_from(notification.message_id)?,
            sender_id: UserId::try_from(notification.sender_id)?,
            operator_id: UserId::try_from(notification.operator_id)?,
            basis: notification.basis.into(),
            recalled_at: notification.recalled_at,
            ext: notification.ext,
        };
        notification.check_ext()?;
        Ok(notification)
    }
}

impl From<rc::RecallNotification> for RecallNotification {
    fn from(notification: rc::RecallNotification) -> Self {
        RecallNotification {
            conversation: notification.conversation.into(),
            message_id: notification.message_id.into(),
            sender_id: notification.sender_id.into(),
            operator_id: notification.operator_id.into(),
            basis: notification.basis.into(),
            recalled_at: notification.recalled_at,
            ext: notification.ext,
        }
    }
}

#[cfg(test)]
mod tests {
    //! Every conversion, both ways; and `decide`, `recall` and `decideEach` agreeing where
    //! several rules fail (every vector is replayed through all three in tests/vectors.rs).
    use super::*;
    use crate::{Eligibility, RecallError, RecallPolicy};
    use recall_core::{MessageKind, MessageState, Role, Timestamp};

    fn lift(millis: i64) -> Result<Timestamp, RecallError> {
        <Timestamp as uniffi::Lift<crate::UniFfiTag>>::try_lift(millis)
            .map_err(|error| error.downcast::<RecallError>().unwrap())
    }

    fn at() -> Timestamp {
        Timestamp::from_unix_millis(1_767_225_600_000).unwrap()
    }

    fn request(ext: Option<String>) -> RecallRequest {
        RecallRequest {
            conversation_id: "g1".into(),
            message_id: "m1".into(),
            ext,
        }
    }

    fn actor(user_id: &str, role: Option<Role>) -> Operator {
        Operator {
            user_id: user_id.into(),
            role,
        }
    }

    fn message() -> StoredMessage {
        StoredMessage {
            id: "m1".into(),
            conversation: Conversation {
                id: "g1".into(),
                kind: ConversationKind::Group,
            },
            sender_id: "alice".into(),
            sender_role: Some(Role::Member),
            kind: MessageKind::Text,
            state: MessageState::Sent,
            sent_at: at(),
        }
    }

    fn notification() -> RecallNotification {
        RecallNotification {
            conversation: Conversation {
                id: "r1".into(),
                kind: ConversationKind::Room,
            },
            message_id: "m9".into(),
            sender_id: "alice".into(),
            operator_id: "bob".into(),
            basis: Basis::Moderator,
            recalled_at: at(),
            ext: Some("spam".into()),
        }
    }

    /// `decide`, `recall` and `decideEach` on one case, as reasons or bases.
    fn three_ways(
        request: &RecallRequest,
        actor: &Operator,
        message: &StoredMessage,
    ) -> [Result<Basis, crate::Reason>; 3] {
        let policy = RecallPolicy::defaults();
        let now = message.sent_at;
        let decided = policy
            .decide(request.clone(), actor.clone(), message.clone(), now)
            .map(|decision| decision.basis)
            .map_err(|error| error.reason());
        let recalled = policy
            .recall(request.clone(), actor.clone(), message.clone(), now)
            .map(|notification| notification.basis)
            .map_err(|error| error.reason());
        // decideEach asks for each message by its own id.
        assert_eq!(request.message_id, message.id);
        let answers = policy.decide_each(
            request.conversation_id.clone(),
            actor.clone(),
            vec![message.clone()],
            now,
            request.ext.clone(),
        );
        let each = match answers
            .map_err(|error| error.reason())
            .map(|mut all| all.remove(0))
        {
            Ok(Eligibility::Allowed { basis, .. }) => Ok(basis),
            Ok(Eligibility::Refused { reason }) | Err(reason) => Err(reason),
        };
        [decided, recalled, each]
    }

    #[test]
    fn decide_recall_and_decide_each_agree_when_several_rules_fail() {
        use crate::Reason as R;
        let long = Some("x".repeat(5000));
        let mut other_conversation = message();
        other_conversation.conversation.id = "g2".into();
        let bad_sender = StoredMessage {
            sender_id: "bad\u{7}".into(),
            ..message()
        };
        let mut unknown_kind = message();
        unknown_kind.conversation.kind = ConversationKind::Unknown;
        let alice = actor("alice", Some(Role::Member));
        let cases = [
            // Spec 4.4: past 4096 bytes, ext_too_large before rules 3 and 4 ...
            (
                request(long.clone()),
                alice.clone(),
                other_conversation.clone(),
                Err(R::ExtTooLarge),
            ),
            (
                request(long.clone()),
                actor("bob", None),
                message(),
                Err(R::ExtTooLarge),
            ),
            // ... but after every id (rule 2), the stored message's included, and after the
            // kind (rule 2, spec 8.3.1).
            (
                request(long.clone()),
                alice.clone(),
                bad_sender.clone(),
                Err(R::InvalidArgument),
            ),
            (
                request(long.clone()),
                alice.clone(),
                unknown_kind.clone(),
                Err(R::ExtTooLarge),
            ),
            (
                request(None),
                alice.clone(),
                unknown_kind.clone(),
                Err(R::InvalidArgument),
            ),
            (
                request(None),
                actor("bad\u{0}", None),
                message(),
                Err(R::InvalidArgument),
            ),
            // Within 4096 bytes, rule 5 in its place: after rule 3.
            (
                request(Some("x".repeat(201))),
                alice.clone(),
                other_conversation.clone(),
                Err(R::NotFound),
            ),
            (
                request(Some("x".repeat(201))),
                alice.clone(),
                message(),
                Err(R::ExtTooLarge),
            ),
            (
                request(None),
                alice.clone(),
                other_conversation,
                Err(R::NotFound),
            ),
            (
                request(None),
                alice.clone(),
                bad_sender,
                Err(R::InvalidArgument),
            ),
            (
                request(None),
                actor("bob", None),
                message(),
                Err(R::NotInConversation),
            ),
            (request(None), alice.clone(), message(), Ok(Basis::Sender)),
        ];
        for (request, actor, message, expected) in cases {
            let answers = three_ways(&request, &actor, &message);
            assert_eq!(
                answers, [expected; 3],
                "{request:?} / {actor:?} / {message:?}"
            );
        }
    }

    #[test]
    fn decide_each_reads_each_messages_sender_role() {
        // An admin may recall a member's message, not an owner's: the sender's role must be
        // each message's own.
        let policy = RecallPolicy::defaults();
        let owners = StoredMessage {
            id: "m2".into(),
            sender_role: Some(Role::Owner),
            ..message()
        };
        // One request serves every message: each is asked for by its own id, after a message
        // of another conversation and an invalid one.
        let elsewhere = StoredMessage {
            id: "m3".into(),
            conversation: Conversation {
                id: "g2".into(),
                ..message().conversation
            },
            ..message()
        };
        let invalid = StoredMessage {
            id: String::new(),
            ..message()
        };
        let answers = policy
            .decide_each(
                "g1".into(),
                actor("adam", Some(Role::Admin)),
                vec![elsewhere, invalid, message(), owners],
                at(),
                None,
            )
            .unwrap();
        assert_eq!(
            answers[..2],
            [
                Eligibility::Refused {
                    reason: crate::Reason::NotFound
                },
                Eligibility::Refused {
                    reason: crate::Reason::InvalidArgument
                },
            ]
        );
        let answers = &answers[2..];
        assert_eq!(
            answers,
            [
                Eligibility::Allowed {
                    basis: Basis::Moderator,
                    deadline: None
                },
                Eligibility::Refused {
                    reason: crate::Reason::InsufficientRole
                },
            ]
        );
    }

    #[test]
    fn the_case_is_converted_from_each_inputs_own_fields() {
        // The converted stored id and sender must be the message's, not the request's; the
        // actor's, not the sender's.
        let (request, actor, stored) = case(
            request(Some("why".into())),
            actor("olga", Some(Role::Owner)),
            StoredMessage {
                id: "m2".into(),
                sender_id: "bob".into(),
                ..message()
            },
        )
        .unwrap();
        assert_eq!(request.conversation_id.as_str(), "g1");
        assert_eq!(request.message_id.as_str(), "m1");
        assert_eq!(request.ext.as_deref(), Some("why"));
        assert_eq!(actor.user_id.as_str(), "olga");
        assert_eq!(actor.role, Some(Role::Owner));
        assert_eq!(stored.id.as_str(), "m2");
        assert_eq!(stored.conversation.id.as_str(), "g1");
        assert_eq!(stored.conversation.kind, rc::ConversationKind::Group);
        assert_eq!(stored.sender_id.as_str(), "bob");
        assert_eq!(stored.sender_role, Some(Role::Member));
        assert_eq!(stored.kind, MessageKind::Text);
        assert_eq!(stored.state, MessageState::Sent);
        assert_eq!(stored.sent_at, at());
    }

    #[test]
    fn records_round_trip_through_the_core() {
        let original = request(Some(String::new()));
        let core = rc::RecallRequest::try_from(original.clone()).unwrap();
        assert_eq!(RecallRequest::from(core), original);

        let original = notification();
        let core = rc::RecallNotification::try_from(original.clone()).unwrap();
        assert_eq!(core.operator_id.as_str(), "bob");
        assert_eq!(core.sender_id.as_str(), "alice");
        assert_eq!(core.basis, rc::Basis::Moderator);
        assert_eq!(RecallNotification::from(core), original);

        let decision = rc::Decision {
            basis: rc::Basis::Sender,
            deadline: Some(at()),
        };
        assert_eq!(
            Decision::from(decision),
            Decision {
                basis: Basis::Sender,
                deadline: Some(at())
            }
        );
    }

    #[test]
    fn every_id_of_a_record_is_checked() {
        let bad = "a\u{7f}".to_owned();
        let refused = |result: Result<(), Reason>| assert_eq!(result, Err(Reason::InvalidArgument));
        refused(
            rc::RecallRequest::try_from(RecallRequest {
                conversation_id: bad.clone(),
                ..request(None)
            })
            .map(drop),
        );
        refused(
            rc::RecallRequest::try_from(RecallRequest {
                message_id: bad.clone(),
                ..request(None)
            })
            .map(drop),
        );
        refused(rc::Actor::try_from(actor(&bad, None)).map(drop));
        refused(
            rc::StoredMessage::try_from(StoredMessage {
                id: bad.clone(),
                ..message()
            })
            .map(drop),
        );
        refused(
            rc::StoredMessage::try_from(StoredMessage {
                sender_id: bad.clone(),
                ..message()
            })
            .map(drop),
        );
        let mut in_bad_conversation = message();
        in_bad_conversation.conversation.id = bad.clone();
        refused(rc::StoredMessage::try_from(in_bad_conversation).map(drop));
        for edit in [
            |n: &mut RecallNotification, bad: &str| n.message_id = bad.into(),
            |n: &mut RecallNotification, bad: &str| n.sender_id = bad.into(),
            |n: &mut RecallNotification, bad: &str| n.operator_id = bad.into(),
            |n: &mut RecallNotification, bad: &str| n.conversation.id = bad.into(),
        ] {
            let mut notification = notification();
            edit(&mut notification, &bad);
            refused(rc::RecallNotification::try_from(notification).map(drop));
        }
        // An ext past 4096 bytes is refused for the wire, not when deciding (spec 4.4).
        let long = request(Some("x".repeat(4097)));
        assert_eq!(
            rc::RecallRequest::try_from(long.clone()).map(drop),
            Err(Reason::ExtTooLarge)
        );
        assert!(long.to_protobuf().is_err());
        let mut notification = notification();
        notification.ext = Some("x".repeat(4097));
        assert_eq!(
            rc::RecallNotification::try_from(notification).map(drop),
            Err(Reason::ExtTooLarge)
        );
    }

    #[test]
    fn kinds_and_bases_convert_both_ways_unknown_included() {
        for kind in [
            ConversationKind::Direct,
            ConversationKind::Group,
            ConversationKind::Room,
            ConversationKind::Unknown,
        ] {
            assert_eq!(
                ConversationKind::from(rc::ConversationKind::from(kind)),
                kind
            );
        }
        for basis in [Basis::Sender, Basis::Moderator, Basis::Unknown] {
            assert_eq!(Basis::from(rc::Basis::from(basis)), basis);
        }
    }

    #[test]
    fn every_reason_converts_both_ways_and_unknown_keeps_its_code() {
        for &reason in rc::Reason::ALL {
            let ffi = crate::Reason::from(reason);
            assert!(ffi.is_known(), "{reason:?}");
            assert_eq!(ffi.to_core(), Some(reason));
            assert_eq!(ffi.id(), reason.id());
            assert_eq!(ffi.code(), i32::from(reason.code()));
            assert_eq!(ffi.meaning(), reason.to_string());
            assert_eq!(
                ffi.to_string(),
                format!("{} ({})", reason.id(), reason.code())
            );
            let refused = crate::RecallError::from(reason);
            assert_eq!(
                refused.to_string(),
                format!("{} ({}): {reason}", reason.id(), reason.code())
            );
            assert_eq!(crate::reason_from_id(reason.id()), Some(ffi));
            assert_eq!(crate::reason_from_code(ffi.code()), Some(ffi));
            let rejected =
                crate::reason_from_rejection_protobuf(ffi.to_rejection_protobuf().unwrap());
            assert_eq!(rejected, Ok(ffi));
            let rejected = crate::reason_from_rejection_json(&ffi.to_rejection_json().unwrap());
            assert_eq!(rejected, Ok(ffi));
        }
        // An unknown reason with a code of the table is that reason, in every method (finding
        // 7 of issue 21: `Unknown { code: 11 }` answered "not known" yet encoded as
        // `window_expired`).
        for &reason in rc::Reason::ALL {
            let known = crate::Reason::from(reason);
            let unknown = crate::Reason::Unknown {
                code: i32::from(reason.code()),
            };
            assert_eq!(unknown.normalized(), known);
            assert!(unknown.is_known(), "{reason:?}");
            assert_eq!(unknown.id(), known.id());
            assert_eq!(unknown.code(), known.code());
            assert_eq!(unknown.meaning(), known.meaning());
            assert_eq!(unknown.to_string(), known.to_string());
            assert_eq!(unknown.to_rejection_json(), known.to_rejection_json());
            assert_eq!(
                unknown.to_rejection_protobuf(),
                known.to_rejection_protobuf()
            );
            let decoded = crate::reason_from_rejection_json(&unknown.to_rejection_json().unwrap());
            assert_eq!(decoded, Ok(known));
        }
        let newer = crate::Reason::Unknown { code: 34 };
        assert_eq!(newer.normalized(), newer);
        assert_eq!(newer.to_string(), "unknown (34)");
        assert_eq!(crate::Reason::from(rc::Reason::Unknown(34)), newer);
        assert_eq!(
            (newer.id().as_str(), newer.code(), newer.is_known()),
            ("unknown", 34, false)
        );
        assert_eq!(crate::reason_from_code(34), Some(newer));
        assert_eq!(
            crate::reason_from_rejection_protobuf(newer.to_rejection_protobuf().unwrap()),
            Ok(newer)
        );
        assert_eq!(
            crate::reason_from_rejection_json(r#"{"reason":"too_many","code":34}"#),
            Ok(newer)
        );
        for impossible in [0, -1, 65_536] {
            assert_eq!(crate::reason_from_code(impossible), None);
            let reason = crate::Reason::Unknown { code: impossible };
            assert_eq!(reason.id(), "unknown");
            assert_eq!(reason.code(), impossible);
            assert!(reason.to_rejection_protobuf().is_err());
        }
    }

    #[test]
    fn policy_config_round_trips_and_refuses_negative_numbers() {
        let defaults = RecallPolicy::defaults().config();
        assert_eq!(defaults.window_secs, 120);
        assert_eq!(defaults.max_ext_bytes, 200);
        assert_eq!(
            RecallPolicy::new(defaults.clone()).unwrap().config(),
            defaults
        );
        for config in [
            PolicyConfig {
                window_secs: -1,
                ..defaults.clone()
            },
            PolicyConfig {
                max_ext_bytes: -1,
                ..defaults.clone()
            },
            PolicyConfig {
                max_ext_bytes: 4097,
                ..defaults.clone()
            },
        ] {
            let refused = RecallPolicy::new(config)
                .map(drop)
                .map_err(|error| error.reason());
            assert_eq!(refused, Err(crate::Reason::InvalidPolicy));
        }
    }

    #[test]
    fn decoders_give_records_and_typed_refusals() {
        let bytes = request(Some("x".into())).to_protobuf().unwrap();
        assert_eq!(
            crate::recall_request_from_protobuf(bytes),
            Ok(request(Some("x".into())))
        );
        let json = request(None).to_json().unwrap();
        assert_eq!(
            json,
            r#"{"conversation_id":"g1","message_id":"m1","ext":null}"#
        );
        assert_eq!(crate::recall_request_from_json(&json), Ok(request(None)));
        let bytes = notification().to_protobuf().unwrap();
        assert_eq!(
            crate::recall_notification_from_protobuf(bytes),
            Ok(notification())
        );
        let json = notification().to_json().unwrap();
        assert_eq!(
            crate::recall_notification_from_json(&json),
            Ok(notification())
        );
        let refused = crate::recall_request_from_json("{").map_err(|error| error.reason());
        assert_eq!(refused, Err(crate::Reason::MalformedInput));
        let refused =
            crate::recall_request_from_protobuf(vec![0; 9000]).map_err(|error| error.reason());
        assert_eq!(refused, Err(crate::Reason::InputTooLarge));
    }

    #[test]
    fn a_newer_servers_notification_arrives_with_unknown_values() {
        let json = r#"{"conversation":{"id":"r1","kind":"channel"},"message_id":"m9","sender_id":"alice","operator_id":"bob","basis":"system","recalled_at":"2026-01-01T00:00:00.000Z","pinned":true}"#;
        let notification = crate::recall_notification_from_json(json).unwrap();
        assert_eq!(notification.conversation.kind, ConversationKind::Unknown);
        assert_eq!(notification.basis, Basis::Unknown);
    }

    #[test]
    fn timestamps_cross_as_milliseconds_across_the_whole_range() {
        for at in [
            Timestamp::MIN,
            Timestamp::MAX,
            Timestamp::from_unix_millis(-1).unwrap(),
        ] {
            let millis = <Timestamp as uniffi::Lower<crate::UniFfiTag>>::lower(at);
            assert_eq!(millis, at.unix_millis());
            assert_eq!(lift(millis), Ok(at));
        }
    }

    #[test]
    fn a_timestamp_outside_the_years_0000_to_9999_is_a_typed_refusal() {
        for millis in [
            i64::MIN,
            Timestamp::MIN.unix_millis() - 1,
            Timestamp::MAX.unix_millis() + 1,
            i64::MAX,
        ] {
            assert_eq!(
                lift(millis).map_err(|error| error.reason()),
                Err(crate::Reason::InvalidArgument)
            );
        }
    }
}
