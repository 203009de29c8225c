//! The two phases of a recall on a client (spec 6.7), and the client layer's refusals (6.5).
//!
//! A recall is taken in two calls so that no order of an app's threads can leave a recalled
//! message's content on screen (spec 6.7, 6.8):
//!
//! ```text
//!  on_recall(recall, now) ──▶ PendingRecall ──app looks up its message──▶ settle(pending, held)
//!     (6.5.1 checked;                               (by the recall's          (6.5.2, 6.5.3 checked;
//!      remembered, waiting:                          conversation id and       answered by the
//!      the message now arrives                       message id)               table of 6.7)
//!      as a tombstone)
//! ```
//!
//! Because the recall is remembered before the app looks, a message the lookup missed was not
//! stored yet, so it is asked about afterwards (the app stores, then asks: 6.8) and gets its
//! tombstone; a message the lookup found is settled `Applied`.

use crate::{Reason, RecallNotification, Timestamp};

/// Why the client layer refuses a recall (spec 6.5): it contradicts itself, or the message the
/// app holds under its ids. Each maps to its [`Reason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Mismatch {
    /// 6.5.1: a sender's recall made by someone else, or a moderator's in a direct chat.
    #[error("the recall's operator cannot have recalled this message")]
    Operator,
    /// 6.5.2: the held message is another message, or in another conversation.
    #[error("the message is not in the recall's conversation")]
    Conversation,
    /// 6.5.3: the held message was sent by someone else than the recall names.
    #[error("the recall's sender is not the message's sender")]
    Sender,
}

impl Mismatch {
    /// The stable reason: `operator_mismatch` (31), `conversation_mismatch` (32) or
    /// `sender_mismatch` (30).
    #[must_use]
    pub const fn reason(&self) -> Reason {
        match self {
            Mismatch::Operator => Reason::OperatorMismatch,
            Mismatch::Conversation => Reason::ConversationMismatch,
            Mismatch::Sender => Reason::SenderMismatch,
        }
    }
}

impl From<Mismatch> for Reason {
    fn from(mismatch: Mismatch) -> Self {
        mismatch.reason()
    }
}

/// A recall the state has taken (phase one, [`RecallState::on_recall`]) and that waits for the
/// app's lookup (phase two, [`RecallState::settle`]).
///
/// [`RecallState::on_recall`], [`RecallState::on_recalls`] and
/// [`RecallState::on_legacy_command`] make one; [`PendingRecall::from_parts`] rebuilds one that
/// crossed a language boundary as data. From the moment phase one returns, the recall is
/// remembered, so a message arriving under its key gets its tombstone; look up the message you
/// hold under [`PendingRecall::recall`]'s conversation id and message id, then settle it.
///
/// [`RecallState::on_recall`]: crate::RecallState::on_recall
/// [`RecallState::on_recalls`]: crate::RecallState::on_recalls
/// [`RecallState::on_legacy_command`]: crate::RecallState::on_legacy_command
/// [`RecallState::settle`]: crate::RecallState::settle
#[derive(Debug, PartialEq, Eq)]
#[must_use = "look up the held message, then pass it to RecallState::settle"]
pub struct PendingRecall {
    pub(super) recall: RecallNotification,
    pub(super) now: Timestamp,
    /// `on_recall` remembered this recall: none was remembered under its key before.
    pub(super) first: bool,
}

impl PendingRecall {
    /// Rebuilds a pending recall from its parts, as a binding receives it back from the app
    /// (the FFI's `PendingRecall` record, which an app could also build itself). Checked as
    /// phase one checks a recall (spec 6.5.1); settled, it is remembered again if its state
    /// does not remember it (spec 6.7.4), so a rebuilt pending recall is settled exactly as
    /// the one phase one returned.
    ///
    /// # Errors
    /// [`Mismatch::Operator`] when the operator cannot have made the recall.
    pub fn from_parts(
        recall: RecallNotification,
        now: Timestamp,
        first: bool,
    ) -> Result<Self, Mismatch> {
        recall.check_operator().map_err(|_| Mismatch::Operator)?;
        Ok(PendingRecall { recall, now, first })
    }

    /// The recall: look up the message you hold under its conversation id and message id.
    #[must_use]
    pub fn recall(&self) -> &RecallNotification {
        &self.recall
    }

    /// The recall, given back.
    #[must_use]
    pub fn into_recall(self) -> RecallNotification {
        self.recall
    }

    /// The app's clock when the recall was taken (the `now` of phase one).
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Whether phase one remembered this recall: no recall of its message was remembered
    /// before. Settled with no held message, such a recall answers `Remembered`, any other
    /// `Duplicate`.
    #[must_use]
    pub fn is_first(&self) -> bool {
        self.first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mismatch_is_its_stable_reason() {
        for (mismatch, id, code) in [
            (Mismatch::Operator, "operator_mismatch", 31),
            (Mismatch::Conversation, "conversation_mismatch", 32),
            (Mismatch::Sender, "sender_mismatch", 30),
        ] {
            assert_eq!(mismatch.reason().id(), id);
            assert_eq!(Reason::from(mismatch).code(), code);
            assert_eq!(mismatch.to_string(), mismatch.reason().to_string());
        }
    }
}
