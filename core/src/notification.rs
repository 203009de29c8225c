//! What a decision produces on the wire: the recall notification (spec §5) and the rejection.

use crate::{Basis, Conversation, MessageId, Reason, RecallPolicy, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// The result of an allowed recall, delivered to every member and to every device of the
/// sender, the one that asked included. It must never alert the user: no push sound, no
/// unread increment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecallRejection {
    /// Why the recall was refused.
    pub reason: Reason,
}
