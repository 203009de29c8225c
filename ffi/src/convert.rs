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
    Ok((request.try_into()?, message.try_into()?))
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
        let request = rc::RecallRequest {
            conversation: request.conversation.try_into()?,
            message_id: MessageId::new(request.message_id)?,
            actor: rc::Actor {
                user_id: UserId::new(request.actor.user_id)?,
                role: request.actor.role,
            },
            ext: request.ext,
        };
        // As the decoders: no policy allows more than 4096 bytes.
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
