//! Conversions between the exported records and the core's types. Inbound conversions check
//! every id and timestamp and refuse with a reason; outbound ones cannot fail.

use crate::{Actor, Conversation, Decision, RecallNotification, RecallRequest, StoredMessage};
use recall_core::{self as rc, ConversationId, MessageId, Reason, UserId};

/// The inputs of one decision, checked in the order of the rules: request ids, then message
/// ids.
pub(crate) fn case(
    request: RecallRequest,
    message: StoredMessage,
) -> Result<(rc::RecallRequest, rc::StoredMessage), Reason> {
    // Ids only: the ext's 4096-byte bound is the rules' to check (spec 4.4), after every id,
    // as `decide` does; checking it here would answer `recall` differently from `decide`.
    Ok((request_ids(request)?, message.try_into()?))
}

/// The request with its ids checked; its `ext` as it is.
fn request_ids(request: RecallRequest) -> Result<rc::RecallRequest, Reason> {
    Ok(rc::RecallRequest {
        conversation: request.conversation.try_into()?,
        message_id: MessageId::new(request.message_id)?,
        actor: rc::Actor {
            user_id: UserId::new(request.actor.user_id)?,
            role: request.actor.role,
        },
        ext: request.ext,
    })
}

/// A request's parts and its stored message, borrowed, for [`rc::decide_case`], which checks
/// the ids itself.
pub(crate) fn borrowed_case<'a>(
    conversation: &'a Conversation,
    message_id: &'a str,
    actor: &'a Actor,
    ext: Option<&'a str>,
    message: &'a StoredMessage,
) -> rc::Case<'a> {
    rc::Case {
        conversation_id: &conversation.id,
        conversation_kind: conversation.kind,
        message_id,
        actor_id: &actor.user_id,
        actor_role: actor.role,
        ext,
        stored_id: &message.id,
        stored_conversation_id: &message.conversation_id,
        sender_id: &message.sender_id,
        sender_role: message.sender_role,
        kind: message.kind,
        state: message.state,
        sent_at: message.sent_at,
    }
}

impl TryFrom<Conversation> for rc::Conversation {
    type Error = Reason;
    fn try_from(conversation: Conversation) -> Result<Self, Reason> {
        Ok(rc::Conversation {
            id: ConversationId::new(conversation.id)?,
            kind: conversation.kind,
        })
    }
}

impl From<rc::Conversation> for Conversation {
    fn from(conversation: rc::Conversation) -> Self {
        Conversation {
            id: conversation.id.into(),
            kind: conversation.kind,
        }
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
            conversation: request.conversation.into(),
            message_id: request.message_id.into(),
            actor: Actor {
                user_id: request.actor.user_id.into(),
                role: request.actor.role,
            },
            ext: request.ext,
        }
    }
}

impl TryFrom<StoredMessage> for rc::StoredMessage {
    type Error = Reason;
    fn try_from(message: StoredMessage) -> Result<Self, Reason> {
        Ok(rc::StoredMessage {
            id: MessageId::new(message.id)?,
            conversation_id: ConversationId::new(message.conversation_id)?,
            sender_id: UserId::new(message.sender_id)?,
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
            basis: decision.basis,
            deadline: decision.deadline,
        }
    }
}

impl TryFrom<RecallNotification> for rc::RecallNotification {
    type Error = Reason;
    fn try_from(notification: RecallNotification) -> Result<Self, Reason> {
        let notification = rc::RecallNotification {
            conversation: notification.conversation.try_into()?,
            message_id: MessageId::new(notification.message_id)?,
            sender_id: UserId::new(notification.sender_id)?,
            operator_id: UserId::new(notification.operator_id)?,
            basis: notification.basis,
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
            basis: notification.basis,
            recalled_at: notification.recalled_at,
            ext: notification.ext,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RecallError;
    use recall_core::Timestamp;

    fn lift(millis: i64) -> Result<Timestamp, RecallError> {
        <Timestamp as uniffi::Lift<crate::UniFfiTag>>::try_lift(millis)
            .map_err(|error| error.downcast::<RecallError>().unwrap())
    }

    use crate::{Eligibility, RecallPolicy};
    use recall_core::{ConversationKind, MessageKind, MessageState, Role};

    fn reason_of(error: RecallError) -> Reason {
        let RecallError::Refused { reason, .. } = error;
        reason
    }

    /// `decide`, `recall` and `decideEach` on one request and message, as reasons or bases.
    fn three_ways(
        request: &RecallRequest,
        message: &StoredMessage,
    ) -> [Result<recall_core::Basis, Reason>; 3] {
        let policy = RecallPolicy::defaults();
        let now = message.sent_at;
        let decided = policy
            .decide(request.clone(), message.clone(), now)
            .map(|decision| decision.basis)
            .map_err(reason_of);
        let recalled = policy
            .recall(request.clone(), message.clone(), now)
            .map(|notification| notification.basis)
            .map_err(reason_of);
        // decideEach has no ext and takes the message's id as the request's.
        let each = if request.ext.is_none() && request.message_id == message.id {
            let answers = policy.decide_each(
                request.conversation.clone(),
                request.actor.clone(),
                vec![message.clone()],
                now,
            );
            match answers.map_err(reason_of).map(|mut all| all.remove(0)) {
                Ok(Eligibility::Allowed { basis, .. }) => Ok(basis),
                Ok(Eligibility::Refused { reason }) | Err(reason) => Err(reason),
            }
        } else {
            decided
        };
        [decided, recalled, each]
    }

    fn request(ext: Option<String>) -> RecallRequest {
        RecallRequest {
            conversation: Conversation {
                id: "g1".into(),
                kind: ConversationKind::Group,
            },
            message_id: "m1".into(),
            actor: Actor {
                user_id: "alice".into(),
                role: Some(Role::Member),
            },
            ext,
        }
    }

    fn message() -> StoredMessage {
        StoredMessage {
            id: "m1".into(),
            conversation_id: "g1".into(),
            sender_id: "alice".into(),
            sender_role: Some(Role::Member),
            kind: MessageKind::Text,
            state: MessageState::Sent,
            sent_at: Timestamp::from_unix_millis(1_767_225_600_000).unwrap(),
        }
    }

    #[test]
    fn decide_recall_and_decide_each_agree_when_several_rules_fail() {
        let long = Some("x".repeat(5000));
        let other_conversation = StoredMessage {
            conversation_id: "g2".into(),
            ..message()
        };
        let bad_stored_id = StoredMessage {
            sender_id: "bad\u{7}".into(),
            ..message()
        };
        let cases = [
            // Spec 4.4: past 4096 bytes, ext_too_large before rules 3 and 4 ...
            (
                request(long.clone()),
                other_conversation.clone(),
                Err(Reason::ExtTooLarge),
            ),
            (
                RecallRequest {
                    actor: Actor {
                        user_id: "bob".into(),
                        role: None,
                    },
                    ..request(long.clone())
                },
                message(),
                Err(Reason::ExtTooLarge),
            ),
            // ... but after every id (rule 2), the stored message's included.
            (
                request(long.clone()),
                bad_stored_id.clone(),
                Err(Reason::InvalidArgument),
            ),
            // Within 4096 bytes, rule 5 in its place: after rule 3.
            (
                request(Some("x".repeat(201))),
                other_conversation.clone(),
                Err(Reason::NotFound),
            ),
            (
                request(Some("x".repeat(201))),
                message(),
                Err(Reason::ExtTooLarge),
            ),
            (request(None), other_conversation, Err(Reason::NotFound)),
            (request(None), bad_stored_id, Err(Reason::InvalidArgument)),
            (request(None), message(), Ok(recall_core::Basis::Sender)),
        ];
        for (request, message, expected) in cases {
            let answers = three_ways(&request, &message);
            assert_eq!(answers, [expected; 3], "{request:?} / {message:?}");
        }
    }

    #[test]
    fn the_stored_message_is_converted_from_its_own_fields() {
        // The converted stored id and sender must be the message's, not the request's.
        let (request, stored) = case(
            request(None),
            StoredMessage {
                id: "m2".into(),
                sender_id: "bob".into(),
                ..message()
            },
        )
        .unwrap();
        assert_eq!(request.message_id.as_str(), "m1");
        assert_eq!(stored.id.as_str(), "m2");
        assert_eq!(stored.sender_id.as_str(), "bob");
        assert_eq!(stored.sender_role, Some(Role::Member));
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
                lift(millis),
                Err(RecallError::from(Reason::InvalidArgument))
            );
        }
    }
}
