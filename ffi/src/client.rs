//! The client side (spec §6, §7) across the FFI: the [`RecallState`] object apps keep, and the
//! records it speaks in.

use crate::{Basis, Conversation, RecallNotification, Result};
use recall_core::{self as rc, ConversationId, MessageId, Reason, Timestamp, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub use rc::{LimitsConfig, RecalledBy};

/// The bounds of a client's remembered recalls. Start from `defaultClientLimits()`.
#[uniffi::remote(Record)]
pub struct LimitsConfig {
    /// How many recalls to remember: 1..=1,000,000 (default 10,000).
    pub max_recalls: u32,
    /// How long to remember a recall, in seconds: 1..=31,536,000 (default 30 days).
    pub max_age_secs: u32,
    /// How many bytes the remembered recalls may take: 65,536..=268,435,456 (default 4 MiB).
    pub max_bytes: u32,
}

/// Who recalled a message, as the app's user sees it; the app localizes the tombstone text.
#[uniffi::remote(Enum)]
pub enum RecalledBy {
    /// The app's user.
    You,
    /// The message's sender, someone else.
    Sender,
    /// A moderator, someone else than the sender.
    Moderator,
}

/// What the app knows about a message it holds, looked up by the recall's conversation and
/// message id.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HeldMessage {
    /// Its id.
    pub id: String,
    /// The conversation it is stored in.
    pub conversation_id: String,
    /// Who sent it.
    pub sender_id: String,
    /// Already a tombstone.
    pub recalled: bool,
    /// Counted in the conversation's unread count.
    pub unread: bool,
    /// The conversation's latest message: its preview shows it.
    pub latest: bool,
    /// Has attachments in local storage.
    pub has_attachments: bool,
    /// A push or local notification for it may still be on screen.
    pub notification_shown: bool,
}

/// A message as it arrives, before the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ArrivingMessage {
    /// Its id.
    pub id: String,
    /// Its conversation.
    pub conversation_id: String,
    /// Who sent it.
    pub sender_id: String,
}

/// What replaces a recalled message: no content, only who recalled it and when.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Tombstone {
    /// The conversation of the message.
    pub conversation: Conversation,
    /// The recalled message.
    pub message_id: String,
    /// Its sender.
    pub sender_id: String,
    /// Who recalled it.
    pub operator_id: String,
    /// Who recalled it, as the app's user sees it.
    pub recalled_by: RecalledBy,
    /// Why the recall was allowed.
    pub basis: Basis,
    /// When the server decided the recall.
    pub recalled_at: Timestamp,
    /// The recall's reason or extension payload.
    pub ext: Option<String>,
}

/// The follow-up work after a message becomes a tombstone, besides replacing its bubble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Effects {
    /// Delete its attachments from local storage.
    pub delete_attachments: bool,
    /// Drop it from the search index (always set).
    pub drop_from_search_index: bool,
    /// Cancel its push or local notification.
    pub cancel_notification: bool,
    /// Refresh the conversation preview: it showed this message.
    pub refresh_preview: bool,
    /// Decrement the conversation's unread count.
    pub decrement_unread: bool,
    /// Redact the quotes of this message in replies (always set).
    pub redact_quotes: bool,
}

/// What to do about a recall.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RecallOutcome {
    /// Replace the held message with the tombstone, then carry out the effects.
    Applied {
        /// What replaces the message.
        tombstone: Tombstone,
        /// The follow-up work.
        effects: Effects,
    },
    /// The message is not held yet: remembered; it becomes a tombstone when it arrives.
    Remembered,
    /// Nothing to do.
    Duplicate,
}

/// What to do with an arriving message.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Arrival {
    /// No recall of it is known: show it.
    Show,
    /// A recall overtook it: store the tombstone instead, and never show, notify, preview or
    /// index its content, nor count it as unread.
    Tombstone {
        /// What to store instead.
        tombstone: Tombstone,
    },
}

/// One recall of a page passed to `onRecalls`: the recall, and the message the app holds
/// under its conversation and message id, if any (what `onRecall` takes).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ArrivingRecall {
    /// The recall, live or from offline sync.
    pub recall: RecallNotification,
    /// The message the app holds under the recall's conversation and message id; none when
    /// it holds none.
    pub held: Option<HeldMessage>,
}

/// The answer to one recall of a page (`onRecalls`): what `onRecall` would have returned, or
/// the reason it would have thrown.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RecallResult {
    /// The recall was taken: do what the outcome says.
    Outcome {
        /// What to do about it.
        outcome: RecallOutcome,
    },
    /// The recall is refused (forged, corrupt or an invalid id); nothing changed for it.
    Refused {
        /// Why: `operator_mismatch`, `conversation_mismatch`, `sender_mismatch` or
        /// `invalid_argument`.
        reason: crate::Reason,
    },
}

/// The answer to one message of a page (`onMessages`): what `onMessage` would have returned,
/// or the reason it would have thrown.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ArrivalResult {
    /// Show the message, or store the tombstone of a recall that overtook it.
    Arrival {
        /// What to do with it.
        arrival: Arrival,
    },
    /// The message is refused: an invalid id (`invalid_argument`); nothing changed for it.
    Refused {
        /// Why.
        reason: crate::Reason,
    },
}

/// A legacy command message (spec §7): action `REVOKE_FLAG`, attribute `msgId`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LegacyCommand {
    /// The conversation the command was sent in.
    pub conversation: Conversation,
    /// Who sent it, as attested by the server.
    pub from: String,
    /// Its action; `REVOKE_FLAG` for a recall.
    pub action: String,
    /// Its extension attributes; `msgId` names the message to withdraw.
    pub attributes: HashMap<String, String>,
    /// The server timestamp of the command.
    pub sent_at: Timestamp,
}

/// A client's recall state: the recalls it remembers, bounded by its limits. Feed it every
/// recall and every arriving message; it answers what to do. Safe to share across threads.
#[derive(Debug, uniffi::Object)]
pub struct RecallState(Mutex<rc::RecallState>);

impl RecallState {
    fn state(&self) -> MutexGuard<'_, rc::RecallState> {
        // Nothing panics while holding the lock, so a poisoned lock still holds a sound state.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn limits(config: Option<LimitsConfig>) -> Result<rc::ClientLimits, Reason> {
    config.map_or(Ok(rc::ClientLimits::DEFAULT), rc::ClientLimits::new)
}

#[uniffi::export]
impl RecallState {
    /// An empty state for the app's user `me`; default limits when `limits` is none.
    ///
    /// # Errors
    /// `invalid_argument` for an invalid `me`; `invalid_policy` for limits out of bounds.
    #[uniffi::constructor]
    pub fn new(me: String, limits: Option<LimitsConfig>) -> Result<Arc<Self>> {
        let state = rc::RecallState::new(UserId::new(me)?, self::limits(limits)?);
        Ok(Arc::new(Self(Mutex::new(state))))
    }

    /// Restores a state from `export()`ed bytes, applying the limits at `now`.
    ///
    /// # Errors
    /// `invalid_argument`, `invalid_policy`, `input_too_large` past `max_bytes`,
    /// `malformed_input`, or the reason an entry is invalid.
    #[uniffi::constructor]
    pub fn restore(
        me: String,
        limits: Option<LimitsConfig>,
        bytes: Vec<u8>,
        now: Timestamp,
    ) -> Result<Arc<Self>> {
        let state = rc::RecallState::import(UserId::new(me)?, self::limits(limits)?, &bytes, now)?;
        Ok(Arc::new(Self(Mutex::new(state))))
    }

    /// A recall arrived (live or from offline sync). `held` is the message the app holds
    /// under the recall's conversation and message id, if any.
    ///
    /// # Errors
    /// Nothing changes, and the recall is refused with `operator_mismatch`,
    /// `conversation_mismatch` or `sender_mismatch` (forged or corrupt), or `invalid_argument`.
    pub fn on_recall(
        &self,
        recall: RecallNotification,
        held: Option<HeldMessage>,
        now: Timestamp,
    ) -> Result<RecallOutcome> {
        let recall = rc::RecallNotification::try_from(recall)?;
        let held = held.map(rc::HeldMessage::try_from).transpose()?;
        Ok(self.state().on_recall(&recall, held.as_ref(), now)?.into())
    }

    /// A legacy recall command arrived: translated, then handled as `onRecall`.
    ///
    /// # Errors
    /// `not_recall_command`, `invalid_argument`, then as `onRecall`.
    pub fn on_legacy_command(
        &self,
        command: LegacyCommand,
        held: Option<HeldMessage>,
        now: Timestamp,
    ) -> Result<RecallOutcome> {
        let command = rc::LegacyCommand::try_from(command)?;
        let held = held.map(rc::HeldMessage::try_from).transpose()?;
        Ok(self
            .state()
            .on_legacy_command(&command, held.as_ref(), now)?
            .into())
    }

    /// A message arrived: show it, or store the tombstone of a recall that overtook it.
    ///
    /// # Errors
    /// `invalid_argument` for an invalid id or time.
    pub fn on_message(&self, message: ArrivingMessage, now: Timestamp) -> Result<Arrival> {
        let message = rc::ArrivingMessage::try_from(message)?;
        Ok(self.state().on_message(&message, (), now).into())
    }

    /// A page of recalls arrived at once (offline sync): one crossing instead of one per
    /// recall (spec 6.13). Exactly `onRecall` for each item, in order, at `now`: one answer
    /// per item, in the same order, each what `onRecall` would have returned at that point
    /// (a recall later in the page sees the effect of the earlier ones), and the state left
    /// as the single calls would leave it. A refused item — forged, corrupt, or with an
    /// invalid id — is answered `Refused` in its place and does not stop the others. The page
    /// is applied under one lock: no call from another thread interleaves with it.
    ///
    /// # Errors
    /// `invalid_argument` for an invalid `now`, before anything changes; never for an item.
    pub fn on_recalls(
        &self,
        recalls: Vec<ArrivingRecall>,
        now: Timestamp,
    ) -> Result<Vec<RecallResult>> {
        // Checked outside the lock; an item with an invalid id is refused in its place, as
        // `onRecall` would have thrown for it before changing anything.
        let checked: Vec<_> = recalls.into_iter().map(ArrivingRecall::check).collect();
        let answers: Vec<_> = {
            let mut state = self.state();
            checked
                .into_iter()
                .map(|item| {
                    let (recall, held) = item?;
                    state.on_recall(&recall, held.as_ref(), now)
                })
                .collect()
        };
        Ok(answers.into_iter().map(RecallResult::from).collect())
    }

    /// A page of messages arrived at once (offline sync): one crossing instead of one per
    /// message (spec 6.13). Exactly `onMessage` for each message, in order, at `now`: one
    /// answer per message, in the same order, and the state left as the single calls would
    /// leave it. A message with an invalid id is answered `Refused` (`invalid_argument`) in
    /// its place and does not stop the others. The page is applied under one lock: no call
    /// from another thread interleaves with it.
    ///
    /// # Errors
    /// `invalid_argument` for an invalid `now`, before anything changes; never for an item.
    pub fn on_messages(
        &self,
        messages: Vec<ArrivingMessage>,
        now: Timestamp,
    ) -> Result<Vec<ArrivalResult>> {
        let checked: Vec<_> = messages
            .into_iter()
            .map(rc::ArrivingMessage::try_from)
            .collect();
        let answers: Vec<_> = {
            let mut state = self.state();
            checked
                .into_iter()
                .map(|item| Ok(state.on_message(&item?, (), now)))
                .collect()
        };
        Ok(answers.into_iter().map(ArrivalResult::from).collect())
    }

    /// The remembered recalls as bytes (`recall.v1.RememberedRecalls`), to store and pass to
    /// `restore` after an app restart.
    pub fn export(&self) -> Vec<u8> {
        self.state().export()
    }

    /// How many recalls are remembered.
    pub fn remembered_count(&self) -> u64 {
        self.state().len() as u64
    }

    /// The bytes the remembered recalls are charged (at most `max_bytes`).
    pub fn remembered_bytes(&self) -> u64 {
        self.state().bytes() as u64
    }
}

/// The default client limits: 10,000 recalls, 30 days, 4 MiB.
#[uniffi::export]
pub fn default_client_limits() -> LimitsConfig {
    rc::ClientLimits::DEFAULT.config()
}

/// Translates a legacy command to the recall it asks for (basis sender, by its sender).
///
/// # Errors
/// `not_recall_command` for another action; `invalid_argument` for a missing or invalid
/// `msgId`, an invalid id or time.
#[uniffi::export]
pub fn legacy_command_to_recall(command: LegacyCommand) -> Result<RecallNotification> {
    Ok(rc::LegacyCommand::try_from(command)?.to_recall()?.into())
}

/// The legacy command an old app understands for a sender's own recall.
///
/// # Errors
/// `not_sender` for a moderator's recall (a legacy command carries no authority);
/// `invalid_argument` for an invalid id or time.
#[uniffi::export]
pub fn legacy_command_from_recall(recall: RecallNotification) -> Result<LegacyCommand> {
    let recall = rc::RecallNotification::try_from(recall)?;
    Ok(rc::LegacyCommand::from_recall(&recall)?.into())
}

// --- conversions -------------------------------------------------------------------------

impl TryFrom<HeldMessage> for rc::HeldMessage {
    type Error = Reason;
    fn try_from(held: HeldMessage) -> Result<Self, Reason> {
        Ok(rc::HeldMessage {
            id: MessageId::new(held.id)?,
            conversation_id: ConversationId::new(held.conversation_id)?,
            sender_id: UserId::new(held.sender_id)?,
            recalled: held.recalled,
            unread: held.unread,
            latest: held.latest,
            has_attachments: held.has_attachments,
            notification_shown: held.notification_shown,
        })
    }
}

impl TryFrom<ArrivingMessage> for rc::ArrivingMessage {
    type Error = Reason;
    fn try_from(message: ArrivingMessage) -> Result<Self, Reason> {
        Ok(rc::ArrivingMessage {
            id: MessageId::new(message.id)?,
            conversation_id: ConversationId::new(message.conversation_id)?,
            sender_id: UserId::new(message.sender_id)?,
        })
    }
}

impl ArrivingRecall {
    /// The recall and the held message in the core's types: what `onRecall` checks first.
    fn check(self) -> Result<(rc::RecallNotification, Option<rc::HeldMessage>), Reason> {
        let recall = rc::RecallNotification::try_from(self.recall)?;
        let held = self.held.map(rc::HeldMessage::try_from).transpose()?;
        Ok((recall, held))
    }
}

impl From<rc::Arrival<()>> for Arrival {
    fn from(arrival: rc::Arrival<()>) -> Self {
        match arrival {
            rc::Arrival::Show(()) => Arrival::Show,
            rc::Arrival::Tombstone(tombstone) => Arrival::Tombstone {
                tombstone: tombstone.into(),
            },
        }
    }
}

impl From<Result<rc::RecallOutcome, Reason>> for RecallResult {
    fn from(answer: Result<rc::RecallOutcome, Reason>) -> Self {
        match answer {
            Ok(outcome) => RecallResult::Outcome {
                outcome: outcome.into(),
            },
            Err(reason) => RecallResult::Refused {
                reason: reason.into(),
            },
        }
    }
}

impl From<Result<rc::Arrival<()>, Reason>> for ArrivalResult {
    fn from(answer: Result<rc::Arrival<()>, Reason>) -> Self {
        match answer {
            Ok(arrival) => ArrivalResult::Arrival {
                arrival: arrival.into(),
            },
            Err(reason) => ArrivalResult::Refused {
                reason: reason.into(),
            },
        }
    }
}

impl From<rc::Tombstone> for Tombstone {
    fn from(tombstone: rc::Tombstone) -> Self {
        Tombstone {
            conversation: tombstone.conversation.into(),
            message_id: tombstone.message_id.into(),
            sender_id: tombstone.sender_id.into(),
            operator_id: tombstone.operator_id.into(),
            recalled_by: tombstone.recalled_by,
            basis: tombstone.basis.into(),
            recalled_at: tombstone.recalled_at,
            ext: tombstone.ext,
        }
    }
}

impl From<rc::Effects> for Effects {
    fn from(effects: rc::Effects) -> Self {
        Effects {
            delete_attachments: effects.delete_attachments,
            drop_from_search_index: effects.drop_from_search_index,
            cancel_notification: effects.cancel_notification,
            refresh_preview: effects.refresh_preview,
            decrement_unread: effects.decrement_unread,
            redact_quotes: effects.redact_quotes,
        }
    }
}

impl From<rc::RecallOutcome> for RecallOutcome {
    fn from(outcome: rc::RecallOutcome) -> Self {
        match outcome {
            rc::RecallOutcome::Applied { tombstone, effects } => RecallOutcome::Applied {
                tombstone: tombstone.into(),
                effects: effects.into(),
            },
            rc::RecallOutcome::Remembered => RecallOutcome::Remembered,
            rc::RecallOutcome::Duplicate => RecallOutcome::Duplicate,
        }
    }
}

impl TryFrom<LegacyCommand> for rc::LegacyCommand {
    type Error = Reason;
    fn try_from(command: LegacyCommand) -> Result<Self, Reason> {
        Ok(rc::LegacyCommand {
            conversation: command.conversation.try_into()?,
            from: UserId::new(command.from)?,
            action: command.action,
            attributes: command.attributes.into_iter().collect(),
            sent_at: command.sent_at,
        })
    }
}

impl From<rc::LegacyCommand> for LegacyCommand {
    fn from(command: rc::LegacyCommand) -> Self {
        LegacyCommand {
            conversation: command.conversation.into(),
            from: command.from.into(),
            action: command.action,
            attributes: command.attributes.into_iter().collect(),
            sent_at: command.sent_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ConversationKind, RecallError};

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_unix_millis(1_767_225_600_000 + secs * 1000).unwrap()
    }

    fn recall(message: &str, sender: &str, operator: &str) -> RecallNotification {
        RecallNotification {
            conversation: Conversation {
                id: "g1".to_owned(),
                kind: ConversationKind::Group,
            },
            message_id: message.to_owned(),
            sender_id: sender.to_owned(),
            operator_id: operator.to_owned(),
            basis: Basis::Sender,
            recalled_at: at(0),
            ext: None,
        }
    }

    fn held(message: &str, sender: &str) -> HeldMessage {
        HeldMessage {
            id: message.to_owned(),
            conversation_id: "g1".to_owned(),
            sender_id: sender.to_owned(),
            recalled: false,
            unread: true,
            latest: false,
            has_attachments: false,
            notification_shown: false,
        }
    }

    fn arriving(message: &str, sender: &str) -> ArrivingMessage {
        ArrivingMessage {
            id: message.to_owned(),
            conversation_id: "g1".to_owned(),
            sender_id: sender.to_owned(),
        }
    }

    /// Spec 6.13: a page answers, item by item, what the single calls answer one by one —
    /// refusals (an invalid id included) in their place, without stopping the others — and
    /// leaves the same state.
    #[test]
    fn a_page_is_the_single_calls_in_order_with_refusals_in_place() {
        let recalls = vec![
            // Overtakes m1: remembered, then a duplicate within the same page.
            ArrivingRecall {
                recall: recall("m1", "alice", "alice"),
                held: None,
            },
            // An invalid id: refused in its place.
            ArrivingRecall {
                recall: recall("", "alice", "alice"),
                held: None,
            },
            // Forged: basis sender by someone else.
            ArrivingRecall {
                recall: recall("m2", "alice", "mallory"),
                held: Some(held("m2", "alice")),
            },
            ArrivingRecall {
                recall: recall("m1", "alice", "alice"),
                held: None,
            },
            // Held, with a held message of an invalid id: refused; then held properly: applied.
            ArrivingRecall {
                recall: recall("m3", "alice", "alice"),
                held: Some(held("m3", "")),
            },
            ArrivingRecall {
                recall: recall("m3", "alice", "alice"),
                held: Some(held("m3", "alice")),
            },
        ];
        let messages = vec![
            arriving("m1", "alice"),
            arriving("m1", "\u{7}"),
            arriving("m1", "bob"),
        ];
        let batched = RecallState::new("bob".to_owned(), None).unwrap();
        let single = RecallState::new("bob".to_owned(), None).unwrap();
        let answers = batched.on_recalls(recalls.clone(), at(1)).unwrap();
        let one_by_one: Vec<RecallResult> = recalls
            .into_iter()
            .map(
                |item| match single.on_recall(item.recall, item.held, at(1)) {
                    Ok(outcome) => RecallResult::Outcome { outcome },
                    Err(RecallError::Refused { reason, .. }) => RecallResult::Refused { reason },
                },
            )
            .collect();
        assert_eq!(answers, one_by_one);
        let kinds: Vec<_> = answers
            .iter()
            .map(|answer| match answer {
                RecallResult::Outcome {
                    outcome: RecallOutcome::Applied { .. },
                } => "applied",
                RecallResult::Outcome {
                    outcome: RecallOutcome::Remembered,
                } => "remembered",
                RecallResult::Outcome {
                    outcome: RecallOutcome::Duplicate,
                } => "duplicate",
                RecallResult::Refused { reason } => reason.id().leak(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "remembered",
                "invalid_argument",
                "operator_mismatch",
                "duplicate",
                "invalid_argument",
                "applied"
            ]
        );

        let arrivals = batched.on_messages(messages.clone(), at(2)).unwrap();
        let one_by_one: Vec<ArrivalResult> = messages
            .into_iter()
            .map(|message| match single.on_message(message, at(2)) {
                Ok(arrival) => ArrivalResult::Arrival { arrival },
                Err(RecallError::Refused { reason, .. }) => ArrivalResult::Refused { reason },
            })
            .collect();
        assert_eq!(arrivals, one_by_one);
        assert!(matches!(
            arrivals[..],
            [
                ArrivalResult::Arrival {
                    arrival: Arrival::Tombstone { .. }
                },
                ArrivalResult::Refused {
                    reason: crate::Reason::InvalidArgument
                },
                ArrivalResult::Arrival {
                    arrival: Arrival::Show
                },
            ]
        ));
        assert_eq!(batched.export(), single.export());
        assert_eq!(batched.remembered_count(), 2);
        // An empty page answers nothing and changes nothing.
        assert_eq!(batched.on_recalls(Vec::new(), at(3)).unwrap(), []);
        assert_eq!(batched.on_messages(Vec::new(), at(3)).unwrap(), []);
        assert_eq!(batched.export(), single.export());
    }
}
