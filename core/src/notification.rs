//! What a decision produces on the wire: the recall notification (spec §5) and the rejection.

use crate::{Basis, Conversation, MessageId, Reason, RecallPolicy, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// The result of an allowed recall, delivered to every member and to every device of the
/// sender, the one that asked included. It must never alert the user: no push sound, no
/// unread increment.
///
/// Fields a newer server adds are ignored when decoding (spec 8.4), and a conversation kind or
/// basis this version does not know decodes to `Unknown` (spec 8.3.1): the recall is applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecallNotification {
    /// The conversation of the recalled message.
    pub conversation: Conversation,
    /// The recalled message.
    pub message_id: MessageId,
    /// The original sender of the message.
    pub sender_id: UserId,
    /// The user who recalled it.
    pub operator_id: UserId,
    /// Why the recall was allowed.
    pub basis: Basis,
    /// The server's `now` when it decided.
    pub recalled_at: Timestamp,
    /// The request's reason or extension payload.
    #[serde(default)]
    pub ext: Option<String>,
}

/// Checks that an `ext` fits the largest any policy allows (4096 bytes): a larger one can
/// never be recalled with, nor come from a server following this contract. Decoders apply it
/// to requests and notifications alike, which also keeps every decoded value's re-encoding
/// under the decoders' size caps.
///
/// # Errors
/// `ext_too_large` past 4096 bytes.
pub(crate) fn check_ext(ext: Option<&str>) -> Result<(), Reason> {
    match ext {
        Some(ext) if ext.len() > RecallPolicy::MAX_EXT_BYTES as usize => Err(Reason::ExtTooLarge),
        _ => Ok(()),
    }
}

impl crate::RecallRequest {
    /// Checks that `ext` fits the largest any policy allows (4096 bytes), as the decoders do.
    ///
    /// # Errors
    /// `ext_too_large` past 4096 bytes.
    pub fn check_ext(&self) -> Result<(), Reason> {
        check_ext(self.ext.as_deref())
    }
}

impl crate::Tombstone {
    /// Checks that `ext` fits the largest any policy allows (4096 bytes), as the decoders do.
    ///
    /// # Errors
    /// `ext_too_large` past 4096 bytes.
    pub fn check_ext(&self) -> Result<(), Reason> {
        check_ext(self.ext.as_deref())
    }
}

impl RecallNotification {
    /// Checks that `ext` fits the largest any policy allows (4096 bytes).
    ///
    /// # Errors
    /// `ext_too_large` past 4096 bytes.
    pub fn check_ext(&self) -> Result<(), Reason> {
        check_ext(self.ext.as_deref())
    }
}

/// The server's answer to a refused recall request.
///
/// Its JSON form is `{"reason": ID, "code": CODE}` (spec 8.7.5): a newer server's reason that
/// this version does not know decodes to [`Reason::Unknown`] with its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecallRejection {
    /// Why the recall was refused.
    pub reason: Reason,
}

/// The JSON form of a rejection.
#[derive(Serialize, Deserialize)]
struct RejectionJson<'a> {
    #[serde(borrow)]
    reason: std::borrow::Cow<'a, str>,
    code: u16,
}

impl Serialize for RecallRejection {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RejectionJson {
            reason: self.reason.id().into(),
            code: self.reason.code(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RecallRejection {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let json = RejectionJson::deserialize(deserializer)?;
        let reason = Reason::with_code(json.code)
            .ok_or_else(|| D::Error::custom("a reason's code is 1 to 65535"))?;
        let id_ok = match reason {
            // 8.7.5: a code this version does not know comes with any well-formed id.
            Reason::Unknown(_) => {
                !json.reason.is_empty()
                    && json
                        .reason
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_')
            }
            known => json.reason == known.id(),
        };
        // A code of the table comes with its own id, and an id of the table with its code.
        let id_known_elsewhere = Reason::from_id(&json.reason).is_some_and(|named| named != reason);
        if !id_ok || id_known_elsewhere {
            return Err(D::Error::custom(format!(
                "reason `{}` does not go with code {}",
                json.reason, json.code
            )));
        }
        Ok(RecallRejection { reason })
    }
}
