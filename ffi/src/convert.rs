//! Conversions between the exported records and the core's types. Inbound conversions check
//! every id and timestamp and refuse with a reason; outbound ones cannot fail.

use crate::{Actor, Conversation, Decision, RecallNotification, RecallRequest, StoredMessage};
use recall_core::{self as rc, ConversationId, MessageId, Reason, Timestamp, UserId};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The inputs of one decision, checked in the order of the rules: request ids, message ids,
/// then `now`.
pub(crate) fn case(
    request: RecallRequest,
    message: StoredMessage,
    now: SystemTime,
) -> Result<(rc::RecallRequest, rc::StoredMessage, Timestamp), Reason> {
    Ok((request.try_into()?, message.try_into()?, timestamp(now)?))
}

/// A request's parts and its stored message, borrowed, for [`rc::decide_case`], which checks
/// the ids itself.
///
/// # Errors
/// `invalid_argument` when `sent_at` is outside 0000..=9999.
pub(crate) fn borrowed_case<'a>(
    conversation: &'a Conversation,
    message_id: &'a str,
    actor: &'a Actor,
    ext: Option<&'a str>,
    message: &'a StoredMessage,
) -> Result<rc::Case<'a>, Reason> {
    Ok(rc::Case {
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
        sent_at: timestamp(message.sent_at)?,
    })
}

/// A `SystemTime` rounded to the nearest millisecond. Swift's `Date` is a floating-point
/// count of seconds, so `…:00.001` may arrive as `…:00.000999999`: rounding, not
/// truncating, keeps the millisecond that was meant.
pub(crate) fn timestamp(at: SystemTime) -> Result<Timestamp, Reason> {
    let nanos: i128 = match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()),
        Err(before) => i128::try_from(before.duration().as_nanos()).map(|n| -n),
    }
    .map_err(|_| Reason::InvalidArgument)?;
    let millis = (nanos + 500_000).div_euclid(1_000_000);
    Timestamp::from_unix_millis(i64::try_from(millis).map_err(|_| Reason::InvalidArgument)?)
}

/// The `SystemTime` of a timestamp; every timestamp (years 0000..=9999) is representable.
pub(crate) fn system_time(at: Timestamp) -> SystemTime {
    let ms = at.unix_millis();
    let offset = Duration::from_millis(ms.unsigned_abs());
    let at = if ms >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    };
    at.unwrap_or(UNIX_EPOCH)
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
            sent_at: timestamp(message.sent_at)?,
        })
    }
}

impl From<rc::Decision> for Decision {
    fn from(decision: rc::Decision) -> Self {
        Decision {
            basis: decision.basis,
            deadline: decision.deadline.map(system_time),
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
            recalled_at: timestamp(notification.recalled_at)?,
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
            recalled_at: system_time(notification.recalled_at),
            ext: notification.ext,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_to_the_nearest_millisecond() {
        let at = |nanos: u64| UNIX_EPOCH + Duration::from_nanos(nanos);
        assert_eq!(timestamp(at(1_000_999_999)).unwrap().unix_millis(), 1001);
        assert_eq!(timestamp(at(1_000_499_999)).unwrap().unix_millis(), 1000);
        assert_eq!(timestamp(at(1_000_500_000)).unwrap().unix_millis(), 1001);
        let before = UNIX_EPOCH - Duration::from_nanos(1_000_999_999);
        assert_eq!(timestamp(before).unwrap().unix_millis(), -1001);
        let before = UNIX_EPOCH - Duration::from_nanos(400_000);
        assert_eq!(timestamp(before).unwrap().unix_millis(), 0);
    }

    #[test]
    fn timestamps_round_trip_across_the_whole_range() {
        for at in [
            Timestamp::MIN,
            Timestamp::MAX,
            Timestamp::from_unix_millis(-1).unwrap(),
        ] {
            assert_eq!(timestamp(system_time(at)), Ok(at));
        }
        let far = UNIX_EPOCH + Duration::from_secs(400_000_000_000);
        assert_eq!(timestamp(far), Err(Reason::InvalidArgument));
    }
}
