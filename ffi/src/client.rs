//! The client side (spec §6, §7) across the FFI: the [`RecallState`] object apps keep, and the
//! records it speaks in.
//!
//! A recall is taken in two phases (spec 6.7): `onRecall` remembers it and returns a
//! [`PendingRecall`]; the app looks up the message it holds, then calls `settle` with the
//! recall, the pending recall and what it found. An arriving message is stored (not shown)
//! before `onMessage` is asked (spec 6.8). With both orders, no interleaving of the app's
//! threads leaves a recalled message's content visible.
//!
//! The recall crosses into `onRecall` and into `settle`, never back: the app already holds it,
//! so [`PendingRecall`] carries only the rest of spec 6.7.1's pending recall (when it was taken,
//! and whether it was first).

use crate::{Basis, Conversation, RecallNotification, Result};
use recall_core::json::Json;
use recall_core::wire::Protobuf;
use recall_core::{self as rc, ConversationId, MessageId, Reason, Timestamp, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub use rc::RecalledBy;

/// The bounds of a client's remembered recalls (spec 6.9); every field has its default, so
/// `LimitsConfig()` is the default limits. A value out of bounds, negative included, is
/// refused with `invalid_policy` when a state is made with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct LimitsConfig {
    /// How many recalls to remember: 1..=1,000,000 (default 10,000).
    #[uniffi(default = 10000)]
    pub max_recalls: i32,
    /// How long to remember a recall, in seconds: 1..=31,536,000 (default 30 days).
    #[uniffi(default = 2592000)]
    pub max_age_secs: i32,
    /// How many bytes the remembered recalls may take: 65,536..=268,435,456 (default 4 MiB).
    #[uniffi(default = 4194304)]
    pub max_bytes: i32,
}

impl TryFrom<LimitsConfig> for rc::LimitsConfig {
    type Error = Reason;
    fn try_from(config: LimitsConfig) -> Result<Self, Reason> {
        let bounded = |value: i32| u32::try_from(value).map_err(|_| Reason::InvalidPolicy);
        Ok(rc::LimitsConfig {
            max_recalls: bounded(config.max_recalls)?,
            max_age_secs: bounded(config.max_age_secs)?,
            max_bytes: bounded(config.max_bytes)?,
        })
    }
}

impl From<rc::LimitsConfig> for LimitsConfig {
    fn from(config: rc::LimitsConfig) -> Self {
        // Valid limits fit an i32 (spec 6.9: at most 268,435,456); saturate otherwise.
        let signed = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
        LimitsConfig {
            max_recalls: signed(config.max_recalls),
            max_age_secs: signed(config.max_age_secs),
            max_bytes: signed(config.max_bytes),
        }
    }
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
/// message id after `onRecall` returned. Each flag is false unless given; a message stored but
/// not shown yet has them all false, except `hasAttachments` when its attachments are already
/// stored.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HeldMessage {
    /// Its id.
    pub id: String,
    /// The conversation it is stored in.
    pub conversation_id: String,
    /// Who sent it.
    pub sender_id: String,
    /// Already a tombstone.
    #[uniffi(default = false)]
    pub recalled: bool,
    /// Counted in the conversation's unread count.
    #[uniffi(default = false)]
    pub unread: bool,
    /// The conversation's latest message: its preview shows it.
    #[uniffi(default = false)]
    pub latest: bool,
    /// Has attachments in local storage.
    #[uniffi(default = false)]
    pub has_attachments: bool,
    /// A push or local notification for it may still be on screen.
    #[uniffi(default = false)]
    pub notification_shown: bool,
}

/// What `onRecall` answers for the recall it has taken: the recall is remembered, so that its
/// message, if it arrives now, gets its tombstone. Look up the message you hold under the
/// recall's conversation id and message id, then pass the recall, this and what you found to
/// `settle`. Settle each recall once. (The recall itself stays with the app: it does not
/// cross back.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PendingRecall {
    /// The app's clock when the recall was taken.
    pub taken_at: Timestamp,
    /// True when no recall of this message was remembered before: settled with nothing held,
    /// it answers `remembered`, else `duplicate`.
    pub first: bool,
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

/// The follow-up work after a message becomes a tombstone, as the held message was at the
/// lookup (spec 6.3). The message may have been shown or read since: the replacement undoes
/// what its row records when it runs (spec 6.8.3), and these say what it was at the lookup.
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
    /// Replace the held message with the tombstone, in one write of its row that also undoes
    /// what the row records at that moment: its notification, preview, index entry, unread
    /// count and attachments (spec 6.8.3); the effects say what the row was at the lookup.
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
    /// No recall of it is known: show it, in one write that acts only if the row still holds
    /// this message, built from the row (spec 6.8.3).
    Show,
    /// A recall overtook it: store the tombstone instead, and never show, notify, preview or
    /// index its content, nor count it as unread.
    Tombstone {
        /// What to store instead.
        tombstone: Tombstone,
    },
}

/// The answer to one recall of a page (`onRecalls`): what `onRecall` would have returned, or
/// the reason it would have thrown.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum PendingResult {
    /// The recall was taken: look up its message, then settle it.
    Pending {
        /// The recall taken.
        pending: PendingRecall,
    },
    /// The recall is refused (forged, or an invalid id); nothing changed for it.
    Refused {
        /// Why: `operator_mismatch` or `invalid_argument`.
        reason: crate::Reason,
    },
}

/// A recall to settle (phase two), alone (`settle`) or in a page (`settleAll`): the recall
/// passed to `onRecall` (or `onRecalls`), what it answered for it, and the message the app
/// holds under the recall's conversation and message id, looked up after phase one returned.
/// One record, so that `settle` crosses with one buffer; the `settle` that takes the recall,
/// the pending recall and the held message builds it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ArrivingRecall {
    /// The recall.
    pub recall: RecallNotification,
    /// What `onRecalls` answered for it.
    pub pending: PendingRecall,
    /// The message the app holds under the recall's conversation and message id; none when
    /// it holds none.
    #[uniffi(default = None)]
    pub held: Option<HeldMessage>,
}

/// The answer to one recall of a page (`settleAll`): what `settle` would have returned, or the
/// reason it would have thrown.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RecallResult {
    /// The recall was settled: do what the outcome says.
    Outcome {
        /// What to do about it.
        outcome: RecallOutcome,
    },
    /// The recall is refused for the held message, or for an invalid id.
    Refused {
        /// Why: `conversation_mismatch`, `sender_mismatch`, `operator_mismatch` (a pending
        /// recall built by hand) or `invalid_argument`.
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

/// A client's recall state: the recalls it remembers, bounded by its limits; one per signed-in
/// user. Feed it every recall (take it, look up, settle: `receive` does the three in order)
/// and every arriving message (store it hidden, then ask: `admit`); it answers what to do.
/// Safe to share across threads: each call is atomic, and with the orders above and a show
/// that acts only if the row still holds the message (spec 6.8.3), no interleaving of the
/// app's threads leaves recalled content visible, notified, previewed, indexed or counted as
/// unread. Free it when the user signs out.
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
    config.map_or(Ok(rc::ClientLimits::DEFAULT), |config| {
        rc::ClientLimits::new(config.try_into()?)
    })
}

#[uniffi::export]
impl RecallState {
    /// An empty state for the app's user `me`; the default limits unless `limits` is given.
    ///
    /// Throws `invalid_argument` for an invalid `me`, and `invalid_policy` when a limit is out
    /// of bounds.
    #[uniffi::constructor(default(limits = None))]
    pub fn new(me: String, limits: Option<LimitsConfig>) -> Result<Arc<Self>> {
        let state = rc::RecallState::new(UserId::try_from(me)?, self::limits(limits)?);
        Ok(Arc::new(Self(Mutex::new(state))))
    }

    /// Restores a state from `export()`ed bytes, applying the limits at `now`.
    ///
    /// Throws `invalid_argument` for an invalid `me`, `invalid_policy` for limits out of
    /// bounds, `input_too_large` when the bytes pass `maxBytes`, `malformed_input` when they
    /// are not an export, or the reason an entry is invalid; nothing is restored then.
    #[uniffi::constructor]
    pub fn restore(
        me: String,
        limits: Option<LimitsConfig>,
        bytes: Vec<u8>,
        now: Timestamp,
    ) -> Result<Arc<Self>> {
        let state =
            rc::RecallState::import(UserId::try_from(me)?, self::limits(limits)?, &bytes, now)?;
        Ok(Arc::new(Self(Mutex::new(state))))
    }

    /// A recall arrived (live or from offline sync): phase one. The recall is remembered, so
    /// that its message, if it arrives from now on, gets its tombstone. Then look up the
    /// message you hold under the recall's conversation id and message id — after this call
    /// returns, never before — and pass the recall, the answer and what you found to `settle`.
    ///
    /// Throws `operator_mismatch` when the operator cannot have made the recall (forged or
    /// corrupt), and `invalid_argument` for an invalid id or time; nothing changes then.
    pub fn on_recall(&self, recall: RecallNotification, now: Timestamp) -> Result<PendingRecall> {
        let recall = rc::RecallNotification::try_from(recall)?;
        let pending = self.state().on_recall(recall, now).map_err(Reason::from)?;
        Ok(pending.into())
    }

    /// Phase two of a recall (usually through `receive`, or the `settle` that takes the recall,
    /// the pending recall and the held message): the record holds the recall passed to
    /// `onRecall`, what it answered, and the message you hold under the recall's conversation
    /// id and message id, looked up after `onRecall` returned, or none. Do what the outcome
    /// says: `applied`, replace the held message with the tombstone in one write of its row
    /// that undoes what the row records then (spec 6.8.3); `remembered` or `duplicate`,
    /// nothing. (A legacy command: translate it into its recall first, spec 7.2.)
    ///
    /// Throws `conversation_mismatch` when `held` is another message or in another
    /// conversation, and `sender_mismatch` when someone else sent it (the recall stays
    /// remembered for its own message); `operator_mismatch` or `invalid_argument` for a recall
    /// that `onRecall` would have refused.
    pub fn settle(&self, recall: ArrivingRecall) -> Result<RecallOutcome> {
        let (pending, held) = checked(recall)?;
        Ok(self.state().settle(pending, held.as_ref())?.into())
    }

    /// A message arrived, and you have stored it where your recall lookup finds it, not shown
    /// yet (`admit` does both in order). `show`: in one write, and only if the row still holds
    /// this message (a recall may have replaced it meanwhile), show, notify, preview, index and
    /// count it, built from the row, never from what arrived (spec 6.8.3); `tombstone`: replace
    /// what you stored with the tombstone, and never show, notify, preview or index its content.
    ///
    /// Throws `invalid_argument` for an invalid id or time.
    pub fn on_message(&self, message: ArrivingMessage, now: Timestamp) -> Result<Arrival> {
        let message = rc::ArrivingMessage::try_from(message)?;
        Ok(self.state().on_message(&message, (), now).into())
    }

    /// Phase one for a page of recalls that arrived at once (offline sync, spec 6.13): one
    /// crossing instead of one per recall. Exactly `onRecall` for each recall, in order, at
    /// `now`: one answer per recall, in the same order, and the state left as the single calls
    /// would leave it. A refused recall (forged, or an invalid id) is answered `refused` in
    /// its place and does not stop the others. The page is taken under one lock. Then look up
    /// each pending recall's message and pass the page to `settleAll`.
    ///
    /// Throws `invalid_argument` for an invalid `now`, before anything changes; never for a
    /// recall.
    pub fn on_recalls(
        &self,
        recalls: Vec<RecallNotification>,
        now: Timestamp,
    ) -> Result<Vec<PendingResult>> {
        // Checked outside the lock; an invalid id is refused in its place.
        let checked: Vec<_> = recalls
            .into_iter()
            .map(rc::RecallNotification::try_from)
            .collect();
        let answers: Vec<_> = {
            let mut state = self.state();
            checked
                .into_iter()
                .map(|recall| Ok(state.on_recall(recall?, now)?))
                .collect()
        };
        Ok(answers.into_iter().map(PendingResult::from).collect())
    }

    /// Phase two for a page of pending recalls, each with the message you hold under its
    /// conversation id and message id, looked up after `onRecalls` returned (spec 6.13).
    /// Exactly `settle` for each item, in order: one answer per item, in the same order, and
    /// the state left as the single calls would leave it. A refused item is answered `refused`
    /// in its place and does not stop the others. The page is settled under one lock.
    ///
    /// Throws `invalid_argument` for a time outside 0000..=9999, before anything changes;
    /// never for an item's ids.
    pub fn settle_all(&self, recalls: Vec<ArrivingRecall>) -> Result<Vec<RecallResult>> {
        let checked: Vec<_> = recalls.into_iter().map(checked).collect();
        let answers: Vec<_> = {
            let mut state = self.state();
            checked
                .into_iter()
                .map(|item| {
                    let (pending, held) = item?;
                    Ok(state.settle(pending, held.as_ref())?)
                })
                .collect()
        };
        Ok(answers.into_iter().map(RecallResult::from).collect())
    }

    /// A page of messages arrived at once (offline sync), each already stored where your
    /// recall lookup finds it: one crossing instead of one per message (spec 6.13). Exactly
    /// `onMessage` for each message, in order, at `now`: one answer per message, in the same
    /// order, and the state left as the single calls would leave it. A message with an invalid
    /// id is answered `refused` (`invalid_argument`) in its place and does not stop the
    /// others. The page is applied under one lock.
    ///
    /// Throws `invalid_argument` for an invalid `now`, before anything changes; never for a
    /// message.
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

    /// How many recalls are remembered (at most `maxRecalls`).
    pub fn remembered_count(&self) -> i64 {
        i64::try_from(self.state().len()).unwrap_or(i64::MAX)
    }

    /// The bytes the remembered recalls are charged (at most `maxBytes`).
    pub fn remembered_bytes(&self) -> i64 {
        i64::try_from(self.state().bytes()).unwrap_or(i64::MAX)
    }
}

/// A recall, its pending recall and a held message in the core's types, checked before the
/// lock is taken: the core's pending recall is rebuilt from the recall and the record
/// (checked as phase one checks a recall; settled, the recall is remembered again if the
/// state no longer remembers it, spec 6.7.4).
fn checked(
    ArrivingRecall {
        recall,
        pending,
        held,
    }: ArrivingRecall,
) -> Result<(rc::PendingRecall, Option<rc::HeldMessage>), Reason> {
    let recall = rc::RecallNotification::try_from(recall)?;
    let pending = rc::PendingRecall::from_parts(recall, pending.taken_at, pending.first)?;
    let held = held.map(rc::HeldMessage::try_from).transpose()?;
    Ok((pending, held))
}

// --- tombstones, as the app keeps them (spec 6.10) -------------------------------------------

#[uniffi::export]
impl Tombstone {
    /// Encodes as JSON (spec 8.8.7), to keep in the app's store in place of the message.
    /// Throws `invalid_argument` for an invalid id, `ext_too_large` past 4096 bytes.
    pub fn to_json(&self) -> Result<String> {
        Ok(rc::Tombstone::try_from(self.clone())?.to_json())
    }

    /// Encodes as protobuf (`recall.v1.Tombstone`, spec 8.7.9). Throws as `toJson`.
    pub fn to_protobuf(&self) -> Result<Vec<u8>> {
        Ok(rc::Tombstone::try_from(self.clone())?.to_protobuf())
    }
}

/// Decodes a tombstone the app stored as JSON (spec 8.8.7). Throws `input_too_large`,
/// `malformed_input`, `invalid_argument` (unknown fields included), `ext_too_large`.
#[uniffi::export]
pub fn tombstone_from_json(json: &str) -> Result<Tombstone> {
    Ok(rc::Tombstone::from_json(json)?.into())
}

/// Decodes a tombstone the app stored as protobuf (`recall.v1.Tombstone`, spec 8.7.9).
/// Throws `input_too_large`, `malformed_input`, `invalid_argument`, `ext_too_large`.
#[uniffi::export]
pub fn tombstone_from_protobuf(bytes: Vec<u8>) -> Result<Tombstone> {
    Ok(rc::Tombstone::from_protobuf(&bytes)?.into())
}

/// The default client limits: 10,000 recalls, 30 days, 4 MiB.
#[uniffi::export]
pub fn default_client_limits() -> LimitsConfig {
    rc::ClientLimits::DEFAULT.config().into()
}

/// Translates a legacy command to the recall it asks for (basis sender, by its sender).
///
/// Throws `not_recall_command` for another action than `REVOKE_FLAG`, and `invalid_argument`
/// for a missing or invalid `msgId`, an invalid id or time.
#[uniffi::export]
pub fn legacy_command_to_recall(command: LegacyCommand) -> Result<RecallNotification> {
    Ok(rc::LegacyCommand::try_from(command)?.to_recall()?.into())
}

/// The legacy command an old app understands for a sender's own recall.
///
/// Throws `not_sender` for a moderator's recall (a legacy command carries no authority), and
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
            id: MessageId::try_from(held.id)?,
            conversation_id: ConversationId::try_from(held.conversation_id)?,
            sender_id: UserId::try_from(held.sender_id)?,
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
            id: MessageId::try_from(message.id)?,
            conversation_id: ConversationId::try_from(message.conversation_id)?,
            sender_id: UserId::try_from(message.sender_id)?,
        })
    }
}

impl From<rc::PendingRecall> for PendingRecall {
    fn from(pending: rc::PendingRecall) -> Self {
        PendingRecall {
            taken_at: pending.now(),
            first: pending.is_first(),
        }
    }
}

impl From<Result<rc::PendingRecall, Reason>> for PendingResult {
    fn from(answer: Result<rc::PendingRecall, Reason>) -> Self {
        match answer {
            Ok(pending) => PendingResult::Pending {
                pending: pending.into(),
            },
            Err(reason) => PendingResult::Refused {
                reason: reason.into(),
            },
        }
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

impl TryFrom<Tombstone> for rc::Tombstone {
    type Error = Reason;
    fn try_from(tombstone: Tombstone) -> Result<Self, Reason> {
        let tombstone = rc::Tombstone {
            conversation: tombstone.conversation.try_into()?,
            message_id: MessageId::try_from(tombstone.message_id)?,
            sender_id: UserId::try_from(tombstone.sender_id)?,
            operator_id: UserId::try_from(tombstone.operator_id)?,
            recalled_by: tombstone.recalled_by,
            basis: tombstone.basis.into(),
            recalled_at: tombstone.recalled_at,
            ext: tombstone.ext,
        };
        tombstone.check_ext()?;
        Ok(tombstone)
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
            from: UserId::try_from(command.from)?,
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

    impl RecallState {
        /// `settle(recall, pending, held)`, as the bindings' idioms call it.
        fn settle3(
            &self,
            recall: RecallNotification,
            pending: PendingRecall,
            held: Option<HeldMessage>,
        ) -> Result<RecallOutcome> {
            self.settle(ArrivingRecall {
                recall,
                pending,
                held,
            })
        }
    }
    use crate::ConversationKind;
    use crate::RecallError;

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

    fn reason<T: std::fmt::Debug>(answer: Result<T>) -> Reason {
        match answer {
            Err(RecallError::Refused { reason, .. }) => reason.to_core().unwrap(),
            other => panic!("not refused: {other:?}"),
        }
    }

    fn kind(answer: &RecallResult) -> &'static str {
        match answer {
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
        }
    }

    /// Spec 6.7: the recall crosses in twice, the pending recall back and forth, and `settle`
    /// answers what the core's two phases answer — `remembered` for the first recall of a message not held, `duplicate`
    /// for the next, `applied` with the first recall's tombstone once the message is held.
    #[test]
    fn the_two_phases_across_the_ffi_answer_as_the_core() {
        let state = RecallState::new("bob".to_owned(), None).unwrap();
        let first = state
            .on_recall(recall("m1", "alice", "alice"), at(1))
            .unwrap();
        assert!(first.first);
        assert_eq!(first.taken_at, at(1));
        let second = state
            .on_recall(recall("m1", "alice", "alice"), at(2))
            .unwrap();
        assert!(!second.first);
        // The message arrives between the phases: a tombstone.
        assert!(matches!(
            state.on_message(arriving("m1", "alice"), at(3)),
            Ok(Arrival::Tombstone { .. })
        ));
        assert_eq!(
            state
                .settle3(recall("m1", "alice", "alice"), first, None)
                .unwrap(),
            RecallOutcome::Remembered
        );
        assert_eq!(
            state
                .settle3(recall("m1", "alice", "alice"), second, None)
                .unwrap(),
            RecallOutcome::Duplicate
        );
        let applied = state
            .settle3(
                recall("m1", "alice", "alice"),
                second,
                Some(held("m1", "alice")),
            )
            .unwrap();
        let RecallOutcome::Applied { tombstone, effects } = applied else {
            panic!("{applied:?}");
        };
        assert_eq!(tombstone.recalled_by, RecalledBy::Sender);
        assert!(effects.decrement_unread && !effects.delete_attachments);
        assert_eq!(state.remembered_count(), 1);
        assert!(state.remembered_bytes() > 0);
    }

    /// `settle` takes any recall and pending recall an app passes (both are plain records):
    /// it checks the recall as `onRecall` would, and remembers a recall it has never seen.
    #[test]
    fn settle_checks_a_recall_onrecall_never_took() {
        let state = RecallState::new("bob".to_owned(), None).unwrap();
        let pending = PendingRecall {
            taken_at: at(1),
            first: true,
        };
        let forged = recall("m1", "alice", "mallory");
        assert_eq!(
            reason(state.settle3(forged, pending, None)),
            Reason::OperatorMismatch
        );
        let invalid = recall("", "alice", "alice");
        assert_eq!(
            reason(state.settle3(invalid, pending, None)),
            Reason::InvalidArgument
        );
        assert_eq!(state.remembered_count(), 0);
        let unseen = recall("m2", "alice", "alice");
        let not_first = PendingRecall {
            first: false,
            ..pending
        };
        assert_eq!(
            state.settle3(unseen, not_first, None).unwrap(),
            RecallOutcome::Remembered
        );
        assert_eq!(state.remembered_count(), 1);
        // A held message of another sender: refused, the recall stays remembered.
        let pending = state
            .on_recall(recall("m3", "alice", "alice"), at(2))
            .unwrap();
        assert_eq!(
            reason(state.settle3(
                recall("m3", "alice", "alice"),
                pending,
                Some(held("m3", "carol"))
            )),
            Reason::SenderMismatch
        );
        assert_eq!(state.remembered_count(), 2);
    }

    /// A legacy command is translated to its recall, which is then taken and settled.
    #[test]
    fn a_legacy_command_is_translated_then_taken_and_settled() {
        let state = RecallState::new("bob".to_owned(), None).unwrap();
        let command = legacy_command_from_recall(recall("m1", "alice", "alice")).unwrap();
        let translated = legacy_command_to_recall(command.clone()).unwrap();
        assert_eq!(translated, recall("m1", "alice", "alice"));
        let pending = state.on_recall(translated.clone(), at(1)).unwrap();
        assert!(matches!(
            state.settle3(translated, pending, Some(held("m1", "alice"))),
            Ok(RecallOutcome::Applied { .. })
        ));
        let typing = LegacyCommand {
            action: "TYPING".to_owned(),
            ..command
        };
        assert_eq!(
            reason(legacy_command_to_recall(typing)),
            Reason::NotRecallCommand
        );
    }

    /// Spec 6.13: a page answers, item by item, what the single calls answer one by one —
    /// refusals (an invalid id included) in their place, without stopping the others — and
    /// leaves the same state, in both phases.
    #[test]
    fn a_page_is_the_single_calls_in_order_with_refusals_in_place() {
        let recalls = vec![
            recall("m1", "alice", "alice"),     // overtakes m1: remembered
            recall("", "alice", "alice"),       // an invalid id: refused in its place
            recall("m2", "alice", "mallory"),   // forged: basis sender by someone else
            recall("m1", "alice", "alice"),     // m1 again in the page: a duplicate
            recall("m3", "alice", "alice"),     // held with an invalid id
            recall("m3", "alice", "alice"),     // held properly: applied
            recall("m4", "mallory", "mallory"), // held from another sender
        ];
        let held_for = [
            None,
            None,
            None,
            None,
            Some(held("m3", "")),
            Some(held("m3", "alice")),
            Some(held("m4", "alice")),
        ];
        let batched = RecallState::new("bob".to_owned(), None).unwrap();
        let single = RecallState::new("bob".to_owned(), None).unwrap();
        let taken = batched.on_recalls(recalls.clone(), at(1)).unwrap();
        let one_by_one: Vec<PendingResult> = recalls
            .iter()
            .cloned()
            .map(|recall| match single.on_recall(recall, at(1)) {
                Ok(pending) => PendingResult::Pending { pending },
                Err(RecallError::Refused { reason, .. }) => PendingResult::Refused { reason },
            })
            .collect();
        assert_eq!(taken, one_by_one);
        assert_eq!(batched.export(), single.export());
        let page: Vec<ArrivingRecall> = taken
            .into_iter()
            .zip(recalls)
            .zip(held_for)
            .filter_map(|((taken, recall), held)| match taken {
                PendingResult::Pending { pending } => Some(ArrivingRecall {
                    recall,
                    pending,
                    held,
                }),
                PendingResult::Refused { .. } => None,
            })
            .collect();
        assert_eq!(page.len(), 5);
        let answers = batched.settle_all(page.clone()).unwrap();
        let one_by_one: Vec<RecallResult> = page
            .into_iter()
            .map(|item| match single.settle(item) {
                Ok(outcome) => RecallResult::Outcome { outcome },
                Err(RecallError::Refused { reason, .. }) => RecallResult::Refused { reason },
            })
            .collect();
        assert_eq!(answers, one_by_one);
        assert_eq!(
            answers.iter().map(kind).collect::<Vec<_>>(),
            [
                "remembered",
                "duplicate",
                "invalid_argument",
                "applied",
                "sender_mismatch"
            ]
        );

        let messages = vec![
            arriving("m1", "alice"),
            arriving("m1", "\u{7}"),
            arriving("m1", "bob"),
        ];
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
        // m1, m3, and the recall naming Mallory, which waits under Mallory's key.
        assert_eq!(batched.remembered_count(), 3);
        // An empty page answers nothing and changes nothing.
        assert_eq!(batched.on_recalls(Vec::new(), at(3)).unwrap(), []);
        assert_eq!(batched.settle_all(Vec::new()).unwrap(), []);
        assert_eq!(batched.on_messages(Vec::new(), at(3)).unwrap(), []);
        assert_eq!(batched.export(), single.export());
    }

    #[test]
    fn held_message_fields_convert_one_for_one() {
        let mut message = held("m1", "alice");
        message.recalled = true;
        message.latest = true;
        message.notification_shown = true;
        let core = rc::HeldMessage::try_from(message).unwrap();
        assert_eq!(core.id.as_str(), "m1");
        assert_eq!(core.conversation_id.as_str(), "g1");
        assert_eq!(core.sender_id.as_str(), "alice");
        assert_eq!(
            (
                core.recalled,
                core.unread,
                core.latest,
                core.has_attachments,
                core.notification_shown
            ),
            (true, true, true, false, true)
        );
    }

    #[test]
    fn limits_cross_as_signed_numbers_and_negative_ones_are_refused() {
        let defaults = default_client_limits();
        assert_eq!(
            (
                defaults.max_recalls,
                defaults.max_age_secs,
                defaults.max_bytes
            ),
            (10_000, 2_592_000, 4_194_304)
        );
        assert_eq!(
            rc::LimitsConfig::try_from(defaults),
            Ok(rc::ClientLimits::DEFAULT.config())
        );
        for config in [
            LimitsConfig {
                max_recalls: -1,
                ..defaults
            },
            LimitsConfig {
                max_age_secs: -1,
                ..defaults
            },
            LimitsConfig {
                max_bytes: i32::MIN,
                ..defaults
            },
            LimitsConfig {
                max_recalls: 0,
                ..defaults
            },
        ] {
            let refused = RecallState::new("bob".into(), Some(config)).map(drop);
            assert_eq!(
                refused.map_err(|error| error.reason()),
                Err(crate::Reason::InvalidPolicy)
            );
        }
    }

    /// Spec 6.10: the app keeps the tombstone it applied, as JSON or protobuf, and reads back
    /// the same tombstone; what it cannot have written is refused with its reason.
    #[test]
    fn a_tombstone_persists_as_json_and_protobuf() {
        let state = RecallState::new("bob".to_owned(), None).unwrap();
        let mut moderated = recall("m1", "alice", "olga");
        moderated.basis = Basis::Moderator;
        moderated.ext = Some("spam 广告".to_owned());
        let pending = state.on_recall(moderated.clone(), at(1)).unwrap();
        let Ok(RecallOutcome::Applied { tombstone, .. }) =
            state.settle3(moderated, pending, Some(held("m1", "alice")))
        else {
            panic!("not applied");
        };
        assert_eq!(tombstone.recalled_by, RecalledBy::Moderator);
        let json = tombstone.to_json().unwrap();
        assert_eq!(
            json,
            r#"{"conversation":{"id":"g1","kind":"group"},"message_id":"m1","sender_id":"alice","operator_id":"olga","recalled_by":"moderator","basis":"moderator","recalled_at":"2026-01-01T00:00:00.000Z","ext":"spam 广告"}"#
        );
        assert_eq!(tombstone_from_json(&json).unwrap(), tombstone);
        let bytes = tombstone.to_protobuf().unwrap();
        assert_eq!(tombstone_from_protobuf(bytes).unwrap(), tombstone);

        let invalid = Tombstone {
            operator_id: String::new(),
            ..tombstone.clone()
        };
        assert_eq!(reason(invalid.to_json()), Reason::InvalidArgument);
        let too_long = Tombstone {
            ext: Some("x".repeat(4097)),
            ..tombstone
        };
        assert_eq!(reason(too_long.to_protobuf()), Reason::ExtTooLarge);
        assert_eq!(reason(tombstone_from_json("{")), Reason::MalformedInput);
        assert_eq!(
            reason(tombstone_from_protobuf(vec![0xff])),
            Reason::MalformedInput
        );
    }
}
