//! Applying recalls on a client (spec §6): tombstones, effects, recalls that overtake their
//! message, forged recalls, and a bounded memory that survives an app restart.
//!
//! The app feeds [`RecallState`] every recall it receives (live, from offline sync, or as a
//! legacy command) and every message that arrives; the state answers what to do. It never
//! sees message content: the app passes what it knows about a message it holds
//! ([`HeldMessage`]), and content handed to [`RecallState::on_message`] comes back only when
//! no recall of that message is known.
//!
//! A recall is taken in two phases, so that a message arriving on another thread can never
//! keep its content on screen (spec 6.7, 6.8; see [`PendingRecall`]):
//! [`RecallState::on_recall`] remembers it, the app then looks up the message it holds, and
//! [`RecallState::settle`] answers. An arriving message is stored first, then passed to
//! [`RecallState::on_message`], and shown only when the answer says so.
//!
//! A remembered recall moves through two states:
//!
//! ```text
//!  on_recall ──▶ waiting ──settle with the message held, or the message arrives──▶ applied
//!  (both evicted when older than max_age, or when count or bytes pass their limits: oldest first)
//! ```
//!
//! Recalls are remembered per (conversation, message, sender): a forged recall naming another
//! sender never matches the real message, so it can neither hide it nor block the genuine
//! recall.
//!
//! An app that syncs many recalls or messages at once passes a page of them to
//! [`RecallState::on_recalls`] and [`RecallState::settle_all`], or to
//! [`RecallState::on_messages`] (spec 6.13): the answers and the state are exactly those of the
//! single calls made one by one, in order, and a refused item is answered in its place without
//! stopping the others.

mod pending;

pub use pending::{Mismatch, PendingRecall};

use crate::{
    Basis, Conversation, ConversationId, ConversationKind, LegacyCommand, LegacyError, MessageId,
    Reason, RecallNotification, Timestamp, UserId,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// The bounds of a client's remembered recalls. Build with [`ClientLimits::new`] or use
/// [`ClientLimits::DEFAULT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "LimitsConfig", into = "LimitsConfig")]
pub struct ClientLimits {
    max_recalls: u32,
    max_age_secs: u32,
    max_bytes: u32,
}

/// The fields of [`ClientLimits`], as written in JSON; omitted fields take the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// How many recalls to remember: 1..=1,000,000 (default 10,000).
    pub max_recalls: u32,
    /// How long to remember a recall, in seconds: 1..=31,536,000 (default 30 days).
    pub max_age_secs: u32,
    /// How many bytes the remembered recalls may take: 65,536..=268,435,456 (default 4 MiB).
    pub max_bytes: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        ClientLimits::DEFAULT.config()
    }
}

impl ClientLimits {
    /// 10,000 recalls, 30 days, 4 MiB: room for a heavy user's month of recalls, well under a
    /// phone's memory budget.
    pub const DEFAULT: ClientLimits = ClientLimits {
        max_recalls: 10_000,
        max_age_secs: 30 * 86_400,
        max_bytes: 4 << 20,
    };

    /// Checks and builds limits.
    ///
    /// # Errors
    /// `invalid_policy` when a field is outside its bounds (see [`LimitsConfig`]).
    pub fn new(config: LimitsConfig) -> Result<Self, Reason> {
        let ok = (1..=1_000_000).contains(&config.max_recalls)
            && (1..=365 * 86_400).contains(&config.max_age_secs)
            && (64 << 10..=256 << 20).contains(&config.max_bytes);
        if !ok {
            return Err(Reason::InvalidPolicy);
        }
        Ok(ClientLimits {
            max_recalls: config.max_recalls,
            max_age_secs: config.max_age_secs,
            max_bytes: config.max_bytes,
        })
    }

    /// The fields of these limits.
    #[must_use]
    pub const fn config(&self) -> LimitsConfig {
        LimitsConfig {
            max_recalls: self.max_recalls,
            max_age_secs: self.max_age_secs,
            max_bytes: self.max_bytes,
        }
    }
}

impl Default for ClientLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<LimitsConfig> for ClientLimits {
    type Error = Reason;
    fn try_from(config: LimitsConfig) -> Result<Self, Reason> {
        Self::new(config)
    }
}

impl From<ClientLimits> for LimitsConfig {
    fn from(limits: ClientLimits) -> Self {
        limits.config()
    }
}

/// What the app knows about a message it holds, looked up by the recall's conversation and
/// message id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldMessage {
    /// Its id.
    pub id: MessageId,
    /// The conversation it is stored in.
    pub conversation_id: ConversationId,
    /// Who sent it.
    pub sender_id: UserId,
    /// Already a tombstone.
    #[serde(default)]
    pub recalled: bool,
    /// Counted in the conversation's unread count.
    #[serde(default)]
    pub unread: bool,
    /// The conversation's latest message: its preview shows it.
    #[serde(default)]
    pub latest: bool,
    /// Has attachments (picture, audio, video, file) in local storage.
    #[serde(default)]
    pub has_attachments: bool,
    /// A push or local notification for it may still be on screen.
    #[serde(default)]
    pub notification_shown: bool,
}

impl HeldMessage {
    /// The follow-up work once this message becomes a tombstone (spec 6.3).
    fn effects(&self) -> Effects {
        Effects {
            delete_attachments: self.has_attachments,
            drop_from_search_index: true,
            cancel_notification: self.notification_shown,
            refresh_preview: self.latest,
            decrement_unread: self.unread,
            redact_quotes: true,
        }
    }
}

/// A message as it arrives, before the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivingMessage {
    /// Its id.
    pub id: MessageId,
    /// Its conversation.
    pub conversation_id: ConversationId,
    /// Who sent it.
    pub sender_id: UserId,
}

/// Who recalled a message, from the point of view of the app's user: what the tombstone
/// says ("You recalled a message", "Alice recalled a message", "A moderator removed a
/// message"), localized by the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecalledBy {
    /// The app's user.
    You,
    /// The message's sender, someone else.
    Sender,
    /// A moderator, someone else than the sender.
    Moderator,
}

/// What replaces a recalled message: no content, only who recalled it and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tombstone {
    /// The conversation of the message.
    pub conversation: Conversation,
    /// The recalled message.
    pub message_id: MessageId,
    /// Its sender.
    pub sender_id: UserId,
    /// Who recalled it.
    pub operator_id: UserId,
    /// Who recalled it, as the app's user sees it.
    pub recalled_by: RecalledBy,
    /// Why the recall was allowed.
    pub basis: Basis,
    /// When the server decided the recall.
    pub recalled_at: Timestamp,
    /// The recall's reason or extension payload.
    #[serde(default)]
    pub ext: Option<String>,
}

/// The follow-up work after a message becomes a tombstone, besides replacing its bubble, as
/// the held message was when looked up (spec 6.3). The replacement undoes what the app's row
/// records when it runs (spec 6.8.3), which is more when the message was shown since the
/// lookup, less when it was read since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effects {
    /// Delete its attachments from local storage.
    pub delete_attachments: bool,
    /// Drop it from the search index. Always set.
    pub drop_from_search_index: bool,
    /// Cancel its push or local notification.
    pub cancel_notification: bool,
    /// Refresh the conversation preview: it showed this message.
    pub refresh_preview: bool,
    /// Decrement the conversation's unread count.
    pub decrement_unread: bool,
    /// Redact the quotes of this message in replies. Always set (the app knows its replies).
    pub redact_quotes: bool,
}

/// What to do about a recall.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecallOutcome {
    /// Replace the held message with the tombstone, in one write of the app's store that
    /// also undoes what the message's row records at that moment (spec 6.8.3): its
    /// notification, the preview showing it, its index entry, its unread count, its
    /// attachments. The effects are what the row recorded at the lookup.
    Applied {
        /// What replaces the message.
        tombstone: Tombstone,
        /// The follow-up work.
        effects: Effects,
    },
    /// The message is not held yet: the recall is remembered, and the message will become a
    /// tombstone the moment it arrives.
    Remembered,
    /// Nothing to do: the held message is already a tombstone, or no message is held and a
    /// recall of it is already remembered.
    Duplicate,
}

/// What to do with an arriving message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arrival<T> {
    /// No recall of it is known: show it, with its content, in one write of the app's store
    /// that shows, notifies, previews, indexes and counts it only if the stored row still
    /// holds it, not a tombstone (spec 6.8.3).
    Show(T),
    /// A recall overtook it: store the tombstone instead. Its content was dropped and must not
    /// be shown, notified, previewed or indexed, and it does not count as unread.
    Tombstone(Tombstone),
}

/// The key of a remembered recall: `conversation \0 message \0 sender`. Ids hold no control
/// character, so the separator is unambiguous; one string makes one allocation per recall and
/// none per lookup.
type Key = Arc<str>;

/// Writes the key of (conversation, message, sender) into `buffer`.
fn key_into<'b>(
    buffer: &'b mut String,
    conversation: &str,
    message: &str,
    sender: &str,
) -> &'b str {
    buffer.clear();
    buffer.extend([conversation, "\0", message, "\0", sender]);
    buffer
}

/// What a remembered recall keeps besides its key.
#[derive(Debug, Clone)]
struct Remembered {
    kind: ConversationKind,
    /// `None` when the operator is the sender.
    operator: Option<UserId>,
    basis: Basis,
    recalled_at: Timestamp,
    ext: Option<String>,
    remembered_at: Timestamp,
    applied: bool,
}

/// Bytes a remembered recall is charged besides its key and strings: the map and queue
/// entries, the key's two reference counts and the allocator's overhead. It is also more than
/// the framing of the recall's entry in an export, so an export is never longer than the
/// bytes charged (spec 6.11).
const ENTRY_OVERHEAD: usize = 160;

impl Remembered {
    /// The bytes charged for this recall (spec 6.11): the overhead, the key (three ids and two
    /// separators), the operator (the sender's id again when the sender recalled: an export
    /// writes it) and the `ext`.
    fn bytes(&self, key: &str) -> usize {
        let operator = match &self.operator {
            Some(operator) => operator.as_str().len(),
            None => key.rsplit('\0').next().map_or(0, str::len),
        };
        ENTRY_OVERHEAD + key.len() + operator + self.ext.as_ref().map_or(0, String::len)
    }

    /// The tombstone this recall names, for the app's user `me`: built straight from the key
    /// and what is kept, with no recall rebuilt on the way.
    fn tombstone(&self, key: &str, me: &UserId) -> Tombstone {
        let mut parts = key.splitn(3, '\0');
        let (conversation, message, sender) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let operator = self.operator.as_ref().map_or(sender, UserId::as_str);
        Tombstone {
            conversation: Conversation {
                id: ConversationId::from_checked(conversation),
                kind: self.kind,
            },
            message_id: MessageId::from_checked(message),
            sender_id: UserId::from_checked(sender),
            operator_id: UserId::from_checked(operator),
            recalled_by: recalled_by(operator, sender, me),
            basis: self.basis,
            recalled_at: self.recalled_at,
            ext: self.ext.clone(),
        }
    }

    /// The tombstone this recall names, made of `recall`, a recall under the same key: its
    /// conversation id, message id and sender are the key's, so they are taken, not copied;
    /// its operator and `ext` are taken when they are the ones kept here, else copied from here.
    fn tombstone_from(&self, recall: RecallNotification, me: &UserId) -> Tombstone {
        let RecallNotification {
            conversation,
            message_id,
            sender_id,
            operator_id,
            ext,
            ..
        } = recall;
        let operator_id = match &self.operator {
            None if operator_id == sender_id => operator_id,
            None => sender_id.clone(),
            Some(kept) if *kept == operator_id => operator_id,
            Some(kept) => kept.clone(),
        };
        let ext = if ext == self.ext {
            ext
        } else {
            self.ext.clone()
        };
        Tombstone {
            recalled_by: recalled_by(operator_id.as_str(), sender_id.as_str(), me),
            conversation: Conversation {
                id: conversation.id,
                kind: self.kind,
            },
            message_id,
            sender_id,
            operator_id,
            basis: self.basis,
            recalled_at: self.recalled_at,
            ext,
        }
    }

    /// The recall, rebuilt from the key and what is kept.
    fn recall(&self, key: &str) -> RecallNotification {
        let mut parts = key.splitn(3, '\0');
        let (conversation, message, sender) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let sender_id = UserId::from_checked(sender);
        RecallNotification {
            conversation: Conversation {
                id: ConversationId::from_checked(conversation),
                kind: self.kind,
            },
            message_id: MessageId::from_checked(message),
            operator_id: self.operator.clone().unwrap_or_else(|| sender_id.clone()),
            sender_id,
            basis: self.basis,
            recalled_at: self.recalled_at,
            ext: self.ext.clone(),
        }
    }
}

/// Checks 6.5.2 and 6.5.3: the held message is the recall's message, in its conversation,
/// sent by the recall's sender.
fn check_held(recall: &RecallNotification, held: Option<&HeldMessage>) -> Result<(), Mismatch> {
    let Some(held) = held else { return Ok(()) };
    if held.conversation_id != recall.conversation.id || held.id != recall.message_id {
        return Err(Mismatch::Conversation);
    }
    if held.sender_id != recall.sender_id {
        return Err(Mismatch::Sender);
    }
    Ok(())
}

/// Who recalled a message, as the app's user `me` sees it (spec 6.4).
fn recalled_by(operator: &str, sender: &str, me: &UserId) -> RecalledBy {
    if operator == me.as_str() {
        RecalledBy::You
    } else if operator == sender {
        RecalledBy::Sender
    } else {
        RecalledBy::Moderator
    }
}

/// A client's recall state: the recalls it remembers, bounded by [`ClientLimits`].
#[derive(Debug, Clone)]
pub struct RecallState {
    me: UserId,
    limits: ClientLimits,
    recalls: HashMap<Key, Remembered>,
    /// Keys oldest first, with when they were remembered: eviction reads no map entry.
    order: VecDeque<(Timestamp, Key)>,
    bytes: usize,
    /// Reused to build lookup keys without allocating.
    scratch: String,
}

impl RecallState {
    /// An empty state for the app's user `me`.
    #[must_use]
    pub fn new(me: UserId, limits: ClientLimits) -> Self {
        RecallState {
            me,
            limits,
            recalls: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            scratch: String::new(),
        }
    }

    /// Phase one of a recall that arrived, live or from offline sync (spec 6.5.1, 6.7): checks
    /// what the recall says of itself, forgets the recalls that are too old, and remembers the
    /// recall (waiting) when no recall of its message is remembered yet.
    ///
    /// From this call on, a message arriving under the recall's key is answered with its
    /// tombstone. Then look up the message you hold under the recall's conversation id and
    /// message id — *after* this call, never before — and pass it to [`RecallState::settle`].
    /// With the message rule of spec 6.8 (store an arriving message, then ask
    /// [`RecallState::on_message`]), no order of the two threads leaves the content visible.
    ///
    /// ```
    /// # use recall_core::*;
    /// # let now = Timestamp::from_unix_millis(1_767_225_600_000)?;
    /// # let recall = RecallNotification {
    /// #     conversation: Conversation { id: "g1".try_into()?, kind: ConversationKind::Group },
    /// #     message_id: "m1".try_into()?, sender_id: "alice".try_into()?,
    /// #     operator_id: "alice".try_into()?, basis: Basis::Sender, recalled_at: now, ext: None,
    /// # };
    /// # let lookup = |_: &ConversationId, _: &MessageId| -> Option<HeldMessage> { None };
    /// let mut state = RecallState::new("bob".try_into()?, ClientLimits::DEFAULT);
    /// let pending = state.on_recall(recall, now)?;
    /// let held = lookup(&pending.recall().conversation.id, &pending.recall().message_id);
    /// assert_eq!(state.settle(pending, held.as_ref())?, RecallOutcome::Remembered);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Mismatch::Operator`] when the operator cannot have made the recall (a sender's recall
    /// by someone else, a moderator's in a direct chat); nothing changes then.
    pub fn on_recall(
        &mut self,
        recall: RecallNotification,
        now: Timestamp,
    ) -> Result<PendingRecall, Mismatch> {
        recall.check_operator().map_err(|_| Mismatch::Operator)?;
        self.expire(now);
        let first = self.remember_if_new(&recall, now);
        Ok(PendingRecall { recall, now, first })
    }

    /// Phase two of a recall (spec 6.7): `held` is the message the app holds under the
    /// pending recall's conversation id and message id, looked up after
    /// [`RecallState::on_recall`] returned, or none.
    ///
    /// Forgets the recalls too old at the pending recall's `now`, remembers the recall again if
    /// it was forgotten since phase one, then answers: `Applied` for a held message that is
    /// not a tombstone, with the tombstone of the recall remembered first for its message
    /// (whichever recall is settled now) and the held message's effects; `Duplicate` for a
    /// held tombstone; with nothing held, `Remembered` when phase one (or this call) remembered
    /// this recall, else `Duplicate`.
    ///
    /// # Errors
    /// [`Mismatch::Conversation`] when `held` is another message or lives in another
    /// conversation; [`Mismatch::Sender`] when `held` was sent by someone else than the recall
    /// names. The recall stays remembered then, waiting under its own key, which only a message
    /// of its conversation, id and sender matches (spec 6.6).
    pub fn settle(
        &mut self,
        pending: PendingRecall,
        held: Option<&HeldMessage>,
    ) -> Result<RecallOutcome, Mismatch> {
        let PendingRecall { recall, now, first } = pending;
        self.expire(now);
        let mut scratch = std::mem::take(&mut self.scratch);
        let key = key_into(
            &mut scratch,
            recall.conversation.id.as_str(),
            recall.message_id.as_str(),
            recall.sender_id.as_str(),
        );
        let answer = self.settle_under(key, recall, now, first, held);
        self.scratch = scratch;
        answer
    }

    /// [`RecallState::settle`] once the too-old recalls are forgotten and the key is built: one
    /// lookup of the key when the recall is remembered (the usual case), two when it was
    /// forgotten since phase one. The tombstone takes the recall's ids rather than copies.
    fn settle_under(
        &mut self,
        key: &str,
        recall: RecallNotification,
        now: Timestamp,
        first: bool,
        held: Option<&HeldMessage>,
    ) -> Result<RecallOutcome, Mismatch> {
        let me = &self.me;
        if let Some(known) = self.recalls.get_mut(key) {
            check_held(&recall, held)?;
            let Some(held) = held else {
                return Ok(if first {
                    RecallOutcome::Remembered
                } else {
                    RecallOutcome::Duplicate
                });
            };
            known.applied = true;
            // The recall remembered first names the tombstone on every path (spec 6.6).
            return Ok(if held.recalled {
                RecallOutcome::Duplicate
            } else {
                RecallOutcome::Applied {
                    tombstone: known.tombstone_from(recall, me),
                    effects: held.effects(),
                }
            });
        }
        // Forgotten since phase one (or taken by another state): remembered again, and first
        // (spec 6.7.3, 6.7.4); a refusal leaves it remembered, waiting.
        let checked = check_held(&recall, held);
        self.remember(key, &recall, now, checked.is_ok() && held.is_some());
        checked?;
        Ok(match held {
            None => RecallOutcome::Remembered,
            Some(held) if held.recalled => RecallOutcome::Duplicate,
            Some(held) => RecallOutcome::Applied {
                tombstone: self.tombstone(recall),
                effects: held.effects(),
            },
        })
    }

    /// Phase one of a legacy recall command (spec §7): translated to its recall, then taken
    /// as [`RecallState::on_recall`]; settle the pending recall the same way.
    ///
    /// # Errors
    /// A [`LegacyError`], as [`LegacyCommand::to_recall`] gives it (`not_recall_command`,
    /// `invalid_argument`); nothing changes then. A legacy recall is always its sender's own,
    /// so never `operator_mismatch`.
    pub fn on_legacy_command(
        &mut self,
        command: &LegacyCommand,
        now: Timestamp,
    ) -> Result<PendingRecall, LegacyError> {
        let recall = command.to_recall()?;
        Ok(self.on_recall(recall, now)?)
    }

    /// A message arrived (spec 6.8). Its content comes back only when no recall of it is
    /// known; otherwise it is dropped here and the message's tombstone comes back instead.
    ///
    /// Store the message where your recall lookup finds it (not shown yet) *before* this call,
    /// show what you stored only on [`Arrival::Show`] and only while the stored row still
    /// holds the message (one write that shows, notifies, previews, indexes and counts it, built
    /// from the row), and replace it with the tombstone on [`Arrival::Tombstone`] (one write
    /// that also undoes what the row records). A recall taken concurrently then either is
    /// remembered before this call (the answer is the tombstone) or looks up after the store
    /// (its settle answers `Applied`): nothing of the content stays (spec 6.8.5).
    pub fn on_message<T>(
        &mut self,
        message: &ArrivingMessage,
        content: T,
        now: Timestamp,
    ) -> Arrival<T> {
        self.expire(now);
        let mut scratch = std::mem::take(&mut self.scratch);
        let key = key_into(
            &mut scratch,
            message.conversation_id.as_str(),
            message.id.as_str(),
            message.sender_id.as_str(),
        );
        let arrival = match self.recalls.get_mut(key) {
            None => Arrival::Show(content),
            Some(known) => {
                known.applied = true;
                Arrival::Tombstone(known.tombstone(key, &self.me))
            }
        };
        self.scratch = scratch;
        arrival
    }

    /// Phase one for a page of recalls that arrived at once (offline sync, spec 6.13).
    ///
    /// Exactly [`RecallState::on_recall`] for each recall, one by one, in order, all at `now`:
    /// one answer per recall, in the same order, and the state left as the single calls would
    /// leave it. A refused recall is answered in its place, changes nothing, and does not stop
    /// the others. Then look up each pending recall's message and pass the page to
    /// [`RecallState::settle_all`].
    ///
    /// ```
    /// # use recall_core::*;
    /// # let now = Timestamp::from_unix_millis(1_767_225_600_000)?;
    /// # let recall = RecallNotification {
    /// #     conversation: Conversation { id: "g1".try_into()?, kind: ConversationKind::Group },
    /// #     message_id: "m1".try_into()?, sender_id: "alice".try_into()?,
    /// #     operator_id: "alice".try_into()?, basis: Basis::Sender, recalled_at: now, ext: None,
    /// # };
    /// let mut state = RecallState::new("bob".try_into()?, ClientLimits::DEFAULT);
    /// // The same recall twice in a page, for a message not held yet.
    /// let pending = state.on_recalls([recall.clone(), recall], now);
    /// let looked_up: Vec<(PendingRecall, Option<&HeldMessage>)> =
    ///     pending.into_iter().flatten().map(|pending| (pending, None)).collect();
    /// let answers = state.settle_all(looked_up);
    /// assert_eq!(answers, [Ok(RecallOutcome::Remembered), Ok(RecallOutcome::Duplicate)]);
    /// # Ok::<(), Reason>(())
    /// ```
    pub fn on_recalls(
        &mut self,
        recalls: impl IntoIterator<Item = RecallNotification>,
        now: Timestamp,
    ) -> Vec<Result<PendingRecall, Mismatch>> {
        recalls
            .into_iter()
            .map(|recall| self.on_recall(recall, now))
            .collect()
    }

    /// Phase two for a page of pending recalls, each with the message the app holds under
    /// its conversation id and message id, if any (spec 6.13).
    ///
    /// Exactly [`RecallState::settle`] for each item, one by one, in order: one answer per
    /// item, in the same order, and the state left as the single calls would leave it. A
    /// refused item is answered in its place and does not stop the others. An empty page
    /// changes nothing.
    pub fn settle_all<'a>(
        &mut self,
        items: impl IntoIterator<Item = (PendingRecall, Option<&'a HeldMessage>)>,
    ) -> Vec<Result<RecallOutcome, Mismatch>> {
        items
            .into_iter()
            .map(|(pending, held)| self.settle(pending, held))
            .collect()
    }

    /// A page of messages arrived at once (offline sync), each with its content (spec 6.13).
    ///
    /// Exactly [`RecallState::on_message`] for each item, one by one, in order, all at `now`:
    /// one answer per message, in the same order, and the state is left as the single calls
    /// would leave it. Each content comes back only when no recall of its message is known;
    /// pass `()` for content the app keeps itself. An empty page changes nothing.
    ///
    /// ```
    /// # use recall_core::*;
    /// # let now = Timestamp::from_unix_millis(1_767_225_600_000)?;
    /// let mut state = RecallState::new("bob".try_into()?, ClientLimits::DEFAULT);
    /// let hello = ArrivingMessage {
    ///     id: "m1".try_into()?,
    ///     conversation_id: "g1".try_into()?,
    ///     sender_id: "alice".try_into()?,
    /// };
    /// let arrivals = state.on_messages([(&hello, "hello")], now);
    /// assert_eq!(arrivals, [Arrival::Show("hello")]);
    /// # Ok::<(), Reason>(())
    /// ```
    pub fn on_messages<'a, T>(
        &mut self,
        messages: impl IntoIterator<Item = (&'a ArrivingMessage, T)>,
        now: Timestamp,
    ) -> Vec<Arrival<T>> {
        messages
            .into_iter()
            .map(|(message, content)| self.on_message(message, content, now))
            .collect()
    }

    /// The tombstone of a message, if a recall of it is remembered: for an app that looks
    /// before it renders.
    #[must_use]
    pub fn tombstone_of(
        &self,
        conversation: &ConversationId,
        message: &MessageId,
        sender: &UserId,
    ) -> Option<Tombstone> {
        let mut key = String::new();
        let key = key_into(
            &mut key,
            conversation.as_str(),
            message.as_str(),
            sender.as_str(),
        );
        self.recalls
            .get(key)
            .map(|known| known.tombstone(key, &self.me))
    }

    /// How many recalls are remembered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.recalls.len()
    }

    /// Whether no recall is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.recalls.is_empty()
    }

    /// The bytes the remembered recalls are charged (at most `max_bytes`).
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The app's user.
    #[must_use]
    pub fn me(&self) -> &UserId {
        &self.me
    }

    /// The limits.
    #[must_use]
    pub fn limits(&self) -> ClientLimits {
        self.limits
    }

    /// The remembered recalls, oldest first: `(recall, remembered_at, applied)`.
    pub fn remembered(&self) -> impl Iterator<Item = (RecallNotification, Timestamp, bool)> + '_ {
        self.order.iter().filter_map(|(_, key)| {
            let known = self.recalls.get(key)?;
            Some((known.recall(key), known.remembered_at, known.applied))
        })
    }

    /// Restores a state from remembered recalls, oldest first (as [`RecallState::remembered`]
    /// gives them), applying the limits at `now`.
    pub fn restore(
        me: UserId,
        limits: ClientLimits,
        remembered: impl IntoIterator<Item = (RecallNotification, Timestamp, bool)>,
        now: Timestamp,
    ) -> Self {
        let mut state = RecallState::new(me, limits);
        let mut key = String::new();
        for (recall, remembered_at, applied) in remembered {
            let key = key_into(
                &mut key,
                recall.conversation.id.as_str(),
                recall.message_id.as_str(),
                recall.sender_id.as_str(),
            );
            if !state.recalls.contains_key(key) {
                state.remember(key, &recall, remembered_at, applied);
            }
        }
        state.expire(now);
        state
    }

    /// The tombstone a recall names, made of the recall itself.
    fn tombstone(&self, recall: RecallNotification) -> Tombstone {
        Tombstone {
            recalled_by: recalled_by(
                recall.operator_id.as_str(),
                recall.sender_id.as_str(),
                &self.me,
            ),
            conversation: recall.conversation,
            message_id: recall.message_id,
            sender_id: recall.sender_id,
            operator_id: recall.operator_id,
            basis: recall.basis,
            recalled_at: recall.recalled_at,
            ext: recall.ext,
        }
    }

    /// Remembers `recall`, waiting, unless a recall is remembered under its key already;
    /// whether it did.
    fn remember_if_new(&mut self, recall: &RecallNotification, now: Timestamp) -> bool {
        let mut scratch = std::mem::take(&mut self.scratch);
        let key = key_into(
            &mut scratch,
            recall.conversation.id.as_str(),
            recall.message_id.as_str(),
            recall.sender_id.as_str(),
        );
        let new = !self.recalls.contains_key(key);
        if new {
            self.remember(key, recall, now, false);
        }
        self.scratch = scratch;
        new
    }

    /// Remembers a recall at `now`, or at the newest recall's `remembered_at` if that is
    /// later: a clock set back never makes a recall look older than one remembered before it,
    /// so the queue stays in age order and expiry from its front is exact (spec 6.6).
    fn remember(&mut self, key: &str, recall: &RecallNotification, now: Timestamp, applied: bool) {
        let now = self
            .order
            .back()
            .map_or(now, |&(newest, _)| newest.max(now));
        let entry = Remembered {
            kind: recall.conversation.kind,
            operator: (recall.operator_id != recall.sender_id).then(|| recall.operator_id.clone()),
            basis: recall.basis,
            recalled_at: recall.recalled_at,
            ext: recall.ext.clone(),
            remembered_at: now,
            applied,
        };
        self.bytes += entry.bytes(key);
        let key: Key = Arc::from(key);
        self.order.push_back((now, Arc::clone(&key)));
        self.recalls.insert(key, entry);
        self.evict(|_| false);
    }

    /// Forgets recalls older than `max_age` (by the client's clock when remembered).
    fn expire(&mut self, now: Timestamp) {
        let max_age_ms = i64::from(self.limits.max_age_secs) * 1000;
        self.evict(|remembered_at| now.millis_since(remembered_at) > max_age_ms);
    }

    /// Drops the oldest recalls while over a limit or while `too_old` says so of when they
    /// were remembered.
    fn evict(&mut self, too_old: impl Fn(Timestamp) -> bool) {
        while let Some(&(remembered_at, _)) = self.order.front() {
            let over = self.recalls.len() > self.limits.max_recalls as usize
                || self.bytes > self.limits.max_bytes as usize;
            if !over && !too_old(remembered_at) {
                break;
            }
            if let Some((_, oldest)) = self.order.pop_front()
                && let Some(known) = self.recalls.remove(&oldest)
            {
                self.bytes = self.bytes.saturating_sub(known.bytes(&oldest));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(ms).unwrap()
    }

    fn limits(max_recalls: u32, max_bytes: u32) -> ClientLimits {
        ClientLimits::new(LimitsConfig {
            max_recalls,
            max_age_secs: 3600,
            max_bytes,
        })
        .unwrap()
    }

    /// A recall in a group: the sender's own when `operator` is the sender, else a
    /// moderator's.
    fn recall(
        conversation: &str,
        message: &str,
        sender: &str,
        operator: &str,
        ext: Option<&str>,
    ) -> RecallNotification {
        RecallNotification {
            conversation: Conversation {
                id: conversation.try_into().unwrap(),
                kind: ConversationKind::Group,
            },
            message_id: message.try_into().unwrap(),
            sender_id: sender.try_into().unwrap(),
            operator_id: operator.try_into().unwrap(),
            basis: if sender == operator {
                Basis::Sender
            } else {
                Basis::Moderator
            },
            recalled_at: at(0),
            ext: ext.map(str::to_owned),
        }
    }

    /// Spec 6.11 as written: 160 + the three ids + 2 + the operator id (charged even when it
    /// is the sender) + the `ext` if present, in UTF-8 bytes.
    fn charge(recall: &RecallNotification) -> usize {
        160 + recall.conversation.id.as_str().len()
            + recall.message_id.as_str().len()
            + recall.sender_id.as_str().len()
            + 2
            + recall.operator_id.as_str().len()
            + recall.ext.as_ref().map_or(0, String::len)
    }

    /// Both phases of a recall, one after the other.
    fn take(
        state: &mut RecallState,
        recall: &RecallNotification,
        held: Option<&HeldMessage>,
        now: Timestamp,
    ) -> Result<RecallOutcome, Mismatch> {
        let pending = state.on_recall(recall.clone(), now)?;
        state.settle(pending, held)
    }

    fn me() -> UserId {
        "carol".try_into().unwrap()
    }

    #[test]
    fn each_remembered_recall_is_charged_the_spec_formula_in_utf8_bytes() {
        let mut state = RecallState::new(me(), limits(100, 65_536));
        assert_eq!(state.bytes(), 0);
        // The sender's own: 160 + 2 + 2 + 5 + 2 + 5 (the sender again as operator).
        let own = recall("g1", "m1", "alice", "alice", None);
        assert_eq!(charge(&own), 176);
        assert_eq!(
            take(&mut state, &own, None, at(0)),
            Ok(RecallOutcome::Remembered)
        );
        assert_eq!(state.bytes(), 176);
        // A moderator's, non-ASCII: 160 + 2 + 2 + 6 ("李雷") + 2 + 4 ("olga") + 11
        // ("spam 广告").
        let moderated = recall("g1", "m2", "李雷", "olga", Some("spam 广告"));
        assert_eq!(charge(&moderated), 187);
        take(&mut state, &moderated, None, at(1000)).unwrap();
        assert_eq!(state.bytes(), 176 + 187);
        // An empty `ext` is present and charged nothing: 160 + 4 ("群1") + 2 ("é") + 3 + 2 + 3.
        let empty_ext = recall("群1", "é", "bob", "bob", Some(""));
        assert_eq!(charge(&empty_ext), 174);
        take(&mut state, &empty_ext, None, at(2000)).unwrap();
        assert_eq!(state.bytes(), 176 + 187 + 174);
        // A duplicate is not remembered again, and costs nothing.
        assert_eq!(
            take(&mut state, &own, None, at(2000)),
            Ok(RecallOutcome::Duplicate)
        );
        assert_eq!(state.bytes(), 176 + 187 + 174);
        // The export is never longer than the bytes charged, and an import charges the same.
        let exported = state.export();
        assert!(exported.len() <= state.bytes());
        let restored = RecallState::import(me(), state.limits(), &exported, at(2000)).unwrap();
        assert_eq!(restored.bytes(), 176 + 187 + 174);
        // Forgetting a recall gives back exactly its charge: the first expires 3600 s + 1 ms
        // after it was remembered, the others stay.
        let later = ArrivingMessage {
            id: "m9".try_into().unwrap(),
            conversation_id: "g1".try_into().unwrap(),
            sender_id: "alice".try_into().unwrap(),
        };
        assert_eq!(
            state.on_message(&later, (), at(3_600_001)),
            Arrival::Show(())
        );
        assert_eq!(state.len(), 2);
        assert_eq!(state.bytes(), 187 + 174);
    }

    /// Sixteen recalls whose charges add up to `max_bytes + extra`: fifteen of 4,177 bytes,
    /// the last one making up the rest.
    fn fill(extra: usize) -> (RecallState, Vec<RecallNotification>) {
        let max_bytes = 65_536;
        let mut recalls: Vec<_> = (0..15)
            .map(|i| {
                recall(
                    "g1",
                    &format!("m{i:02}"),
                    "alice",
                    "alice",
                    Some(&"x".repeat(4000)),
                )
            })
            .collect();
        let used: usize = recalls.iter().map(charge).sum();
        assert_eq!(used, 15 * 4177);
        let bare = charge(&recall("g1", "m15", "alice", "alice", Some("")));
        let last_ext = "y".repeat(max_bytes - used - bare + extra);
        recalls.push(recall("g1", "m15", "alice", "alice", Some(&last_ext)));
        assert_eq!(recalls.iter().map(charge).sum::<usize>(), max_bytes + extra);
        let mut state = RecallState::new(me(), limits(1000, 65_536));
        for (i, recall) in (0i64..).zip(&recalls) {
            assert_eq!(
                take(&mut state, recall, None, at(i)),
                Ok(RecallOutcome::Remembered)
            );
        }
        (state, recalls)
    }

    fn is_remembered(state: &RecallState, recall: &RecallNotification) -> bool {
        state
            .tombstone_of(
                &recall.conversation.id,
                &recall.message_id,
                &recall.sender_id,
            )
            .is_some()
    }

    #[test]
    fn a_state_filled_to_exactly_max_bytes_keeps_everything() {
        let (state, recalls) = fill(0);
        assert_eq!(state.bytes(), 65_536);
        assert_eq!(state.len(), 16);
        assert!(recalls.iter().all(|recall| is_remembered(&state, recall)));
    }

    #[test]
    fn one_byte_past_max_bytes_forgets_the_oldest_only() {
        let (state, recalls) = fill(1);
        assert_eq!(state.len(), 15);
        assert_eq!(state.bytes(), 65_537 - 4177);
        assert!(
            !is_remembered(&state, &recalls[0]),
            "the oldest is forgotten"
        );
        assert!(
            recalls[1..]
                .iter()
                .all(|recall| is_remembered(&state, recall))
        );
    }

    #[test]
    fn past_max_recalls_the_oldest_is_forgotten() {
        let mut state = RecallState::new(me(), limits(3, 65_536));
        let recalls: Vec<_> = (0..4)
            .map(|i| recall("g1", &format!("m{i}"), "alice", "alice", None))
            .collect();
        for (i, recall) in (0i64..).zip(&recalls[..3]) {
            take(&mut state, recall, None, at(i)).unwrap();
        }
        assert_eq!(state.len(), 3, "exactly max_recalls are kept");
        take(&mut state, &recalls[3], None, at(3)).unwrap();
        assert_eq!(state.len(), 3);
        assert!(!is_remembered(&state, &recalls[0]));
        assert!(
            recalls[1..]
                .iter()
                .all(|recall| is_remembered(&state, recall))
        );
    }

    #[test]
    fn tombstone_of_names_the_first_remembered_recall_of_that_sender_only() {
        let mut state = RecallState::new(me(), limits(100, 65_536));
        let moderated = recall("g1", "m1", "alice", "olga", Some("spam"));
        take(&mut state, &moderated, None, at(0)).unwrap();
        // A later recall of the same message by its sender changes nothing remembered.
        let own = recall("g1", "m1", "alice", "alice", None);
        assert_eq!(
            take(&mut state, &own, None, at(1)),
            Ok(RecallOutcome::Duplicate)
        );
        let expected = Tombstone {
            conversation: moderated.conversation.clone(),
            message_id: moderated.message_id.clone(),
            sender_id: moderated.sender_id.clone(),
            operator_id: moderated.operator_id.clone(),
            recalled_by: RecalledBy::Moderator,
            basis: Basis::Moderator,
            recalled_at: at(0),
            ext: Some("spam".to_owned()),
        };
        let conversation = &moderated.conversation.id;
        let message = &moderated.message_id;
        let sender = &moderated.sender_id;
        assert_eq!(
            state.tombstone_of(conversation, message, sender),
            Some(expected.clone())
        );
        // Another sender, message or conversation has no tombstone.
        let mallory: UserId = "mallory".try_into().unwrap();
        let other_message: MessageId = "m2".try_into().unwrap();
        let other_conversation: ConversationId = "g2".try_into().unwrap();
        assert_eq!(state.tombstone_of(conversation, message, &mallory), None);
        assert_eq!(
            state.tombstone_of(conversation, &other_message, sender),
            None
        );
        assert_eq!(
            state.tombstone_of(&other_conversation, message, sender),
            None
        );
        // Looking changes nothing: the recall is still waiting, and the message, when it
        // arrives, gets the same tombstone.
        assert!(state.remembered().all(|(_, _, applied)| !applied));
        let arriving = ArrivingMessage {
            id: message.clone(),
            conversation_id: conversation.clone(),
            sender_id: sender.clone(),
        };
        assert_eq!(
            state.on_message(&arriving, "hello", at(2)),
            Arrival::Tombstone(expected)
        );
    }

    #[test]
    fn is_empty_and_len_follow_what_is_remembered() {
        let mut state = RecallState::new(me(), limits(100, 65_536));
        assert!(state.is_empty());
        assert_eq!(state.len(), 0);
        take(
            &mut state,
            &recall("g1", "m1", "alice", "alice", None),
            None,
            at(0),
        )
        .unwrap();
        assert!(!state.is_empty());
        assert_eq!(state.len(), 1);
        // Past max_age (3600 s) the recall is forgotten and the state is empty again.
        let arriving = ArrivingMessage {
            id: "m1".try_into().unwrap(),
            conversation_id: "g1".try_into().unwrap(),
            sender_id: "alice".try_into().unwrap(),
        };
        assert_eq!(
            state.on_message(&arriving, (), at(3_600_001)),
            Arrival::Show(())
        );
        assert!(state.is_empty());
        assert_eq!(state.len(), 0);
        assert_eq!(state.bytes(), 0);
    }

    fn held(recall: &RecallNotification, sender: &str) -> HeldMessage {
        HeldMessage {
            id: recall.message_id.clone(),
            conversation_id: recall.conversation.id.clone(),
            sender_id: sender.try_into().unwrap(),
            recalled: false,
            unread: true,
            latest: false,
            has_attachments: true,
            notification_shown: false,
        }
    }

    #[test]
    fn phase_one_remembers_so_a_message_arriving_before_settle_is_a_tombstone() {
        let mut state = RecallState::new(me(), limits(100, 65_536));
        let own = recall("g1", "m1", "alice", "alice", None);
        let pending = state.on_recall(own.clone(), at(0)).unwrap();
        assert!(pending.is_first());
        assert_eq!(pending.recall(), &own);
        assert_eq!(pending.now(), at(0));
        // The message arrives between the phases: its tombstone, not its content.
        let arriving = ArrivingMessage {
            id: own.message_id.clone(),
            conversation_id: own.conversation.id.clone(),
            sender_id: own.sender_id.clone(),
        };
        assert!(matches!(
            state.on_message(&arriving, "secret", at(1)),
            Arrival::Tombstone(_)
        ));
        // The app's lookup ran before it stored the message: nothing held, nothing to do.
        assert_eq!(state.settle(pending, None), Ok(RecallOutcome::Remembered));
        // A second delivery of the same recall is a duplicate in both phases.
        let again = state.on_recall(own.clone(), at(2)).unwrap();
        assert!(!again.is_first());
        assert_eq!(state.settle(again, None), Ok(RecallOutcome::Duplicate));
        assert_eq!(state.len(), 1);
    }

    #[test]
    fn settle_remembers_again_a_recall_forgotten_between_the_phases() {
        let mut state = RecallState::new(me(), limits(1, 65_536));
        let first = recall("g1", "m1", "alice", "alice", None);
        let pending = state.on_recall(first.clone(), at(0)).unwrap();
        // Another recall pushes it out (max_recalls 1) before the app settles it.
        let other = recall("g1", "m2", "alice", "alice", None);
        let other = state.on_recall(other, at(1)).unwrap();
        assert!(!is_remembered(&state, &first));
        let outcome = state.settle(pending, Some(&held(&first, "alice")));
        assert!(matches!(outcome, Ok(RecallOutcome::Applied { .. })));
        assert!(is_remembered(&state, &first));
        assert_eq!(
            state
                .remembered()
                .map(|(_, _, applied)| applied)
                .collect::<Vec<_>>(),
            [true]
        );
        // Forgotten again by the other one's settle, which remembers it anew: nothing held,
        // so waiting, not applied.
        assert_eq!(state.settle(other, None), Ok(RecallOutcome::Remembered));
        assert!(!is_remembered(&state, &first));
        let applied = |state: &RecallState| {
            state
                .remembered()
                .map(|(_, _, applied)| applied)
                .collect::<Vec<_>>()
        };
        assert_eq!(applied(&state), [false]);

        // Forgotten, then settled with a held tombstone: remembered again, applied, duplicate.
        let third = recall("g1", "m3", "alice", "alice", None);
        let pending = state.on_recall(third.clone(), at(2)).unwrap();
        let pushed = state.on_recall(recall("g1", "m4", "alice", "alice", None), at(3));
        assert!(pushed.is_ok() && !is_remembered(&state, &third));
        let tombstone = HeldMessage {
            recalled: true,
            ..held(&third, "alice")
        };
        assert_eq!(
            state.settle(pending, Some(&tombstone)),
            Ok(RecallOutcome::Duplicate)
        );
        assert_eq!(applied(&state), [true]);

        // Forgotten, then refused for the held message: remembered again, waiting.
        let fifth = recall("g1", "m5", "alice", "alice", None);
        let pending = state.on_recall(fifth.clone(), at(4)).unwrap();
        let pushed = state.on_recall(recall("g1", "m6", "alice", "alice", None), at(5));
        assert!(pushed.is_ok() && !is_remembered(&state, &fifth));
        assert_eq!(
            state.settle(pending, Some(&held(&fifth, "bob"))),
            Err(Mismatch::Sender)
        );
        assert!(is_remembered(&state, &fifth));
        assert_eq!(applied(&state), [false]);
    }

    /// Spec 6.6 through `settle`: whichever recall is settled, the tombstone is the first
    /// remembered one's — its operator, `recalled_by`, basis, time and `ext` — while the ids
    /// come from the settled recall (the same key). Every case of who operated which.
    #[test]
    fn a_settled_recall_gets_the_tombstone_of_the_first_remembered_one() {
        let moderator = |first: &RecallNotification| RecallNotification {
            operator_id: "olga".try_into().unwrap(),
            basis: Basis::Moderator,
            recalled_at: at(50),
            ext: Some("spam".to_owned()),
            ..first.clone()
        };
        let sender = recall("g1", "m1", "alice", "alice", None);
        let cases = [
            // (remembered first, settled later, the tombstone's operator)
            (sender.clone(), sender.clone(), "alice"),
            (sender.clone(), moderator(&sender), "alice"),
            (moderator(&sender), moderator(&sender), "olga"),
            (moderator(&sender), sender.clone(), "olga"),
        ];
        for (first, later, operator) in cases {
            let mut state = RecallState::new(me(), limits(100, 65_536));
            let taken = state.on_recall(first.clone(), at(0)).unwrap();
            assert_eq!(state.settle(taken, None), Ok(RecallOutcome::Remembered));
            let pending = state.on_recall(later.clone(), at(60)).unwrap();
            let Ok(RecallOutcome::Applied { tombstone, .. }) =
                state.settle(pending, Some(&held(&later, "alice")))
            else {
                panic!("not applied: {first:?} then {later:?}");
            };
            assert_eq!(tombstone.operator_id.as_str(), operator);
            assert_eq!(tombstone.basis, first.basis);
            assert_eq!(tombstone.recalled_at, first.recalled_at);
            assert_eq!(tombstone.ext, first.ext);
            assert_eq!(tombstone.conversation, first.conversation);
            assert_eq!(
                (&tombstone.message_id, &tombstone.sender_id),
                (&first.message_id, &first.sender_id)
            );
            let by = if operator == "alice" {
                RecalledBy::Sender
            } else {
                RecalledBy::Moderator
            };
            assert_eq!(tombstone.recalled_by, by);
        }
    }

    #[test]
    fn a_settle_refused_for_the_held_message_leaves_the_recall_waiting_under_its_key() {
        let mut state = RecallState::new(me(), limits(100, 65_536));
        // Mallory's legacy-style recall of Alice's message: remembered under Mallory's key.
        let forged = recall("g1", "m1", "mallory", "mallory", None);
        let pending = state.on_recall(forged.clone(), at(0)).unwrap();
        assert_eq!(
            state.settle(pending, Some(&held(&forged, "alice"))),
            Err(Mismatch::Sender)
        );
        assert_eq!(
            state
                .remembered()
                .map(|(_, _, applied)| applied)
                .collect::<Vec<_>>(),
            [false]
        );
        // Alice's message is shown: the forged recall matches nothing of hers.
        let alices = ArrivingMessage {
            id: forged.message_id.clone(),
            conversation_id: forged.conversation.id.clone(),
            sender_id: "alice".try_into().unwrap(),
        };
        assert_eq!(state.on_message(&alices, (), at(1)), Arrival::Show(()));
        // A held message of another conversation: refused, the recall stays for its own.
        let own = recall("g1", "m2", "alice", "alice", None);
        let pending = state.on_recall(own.clone(), at(2)).unwrap();
        let mut elsewhere = held(&own, "alice");
        elsewhere.conversation_id = "g2".try_into().unwrap();
        assert_eq!(
            state.settle(pending, Some(&elsewhere)),
            Err(Mismatch::Conversation)
        );
        assert!(is_remembered(&state, &own));
        // Phase one refuses a forged operator and changes nothing.
        let mut impostor = recall("g1", "m3", "alice", "mallory", None);
        impostor.basis = Basis::Sender;
        assert_eq!(state.on_recall(impostor, at(3)), Err(Mismatch::Operator));
        assert_eq!(state.len(), 2);
    }

    #[test]
    fn a_legacy_command_is_taken_in_the_same_two_phases() {
        let mut state = RecallState::new(me(), limits(100, 65_536));
        let own = recall("g1", "m1", "alice", "alice", None);
        let command = LegacyCommand::from_recall(&own).unwrap();
        let pending = state.on_legacy_command(&command, at(0)).unwrap();
        assert_eq!(pending.recall(), &own);
        let outcome = state.settle(pending, Some(&held(&own, "alice")));
        let Ok(RecallOutcome::Applied { tombstone, effects }) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(tombstone.recalled_by, RecalledBy::Sender);
        assert!(effects.delete_attachments && effects.decrement_unread);
        let mut typing = command;
        typing.action = "TYPING".to_owned();
        assert_eq!(
            state.on_legacy_command(&typing, at(1)),
            Err(LegacyError::NotRecallCommand)
        );
    }

    #[test]
    fn limits_are_kept_and_written_as_their_fields() {
        let limits = ClientLimits::new(LimitsConfig {
            max_recalls: 5,
            max_age_secs: 60,
            max_bytes: 65_536,
        })
        .unwrap();
        let config = LimitsConfig::from(limits);
        assert_eq!(
            config,
            LimitsConfig {
                max_recalls: 5,
                max_age_secs: 60,
                max_bytes: 65_536
            }
        );
        assert_eq!(ClientLimits::try_from(config), Ok(limits));
        // The JSON shape of spec 8.8.4, written through the fields.
        let json = r#"{"max_recalls":5,"max_age_secs":60,"max_bytes":65536}"#;
        assert_eq!(limits.to_json(), json);
        assert_eq!(ClientLimits::from_json(json), Ok(limits));
        // A state keeps the limits it was given, through a restart too.
        let state = RecallState::new(me(), limits);
        assert_eq!(state.limits(), limits);
        let restored = RecallState::import(me(), limits, &state.export(), at(0)).unwrap();
        assert_eq!(restored.limits(), limits);
        // The defaults of spec 6.9: 10,000 recalls, 30 days, 4 MiB.
        assert_eq!(
            LimitsConfig::from(ClientLimits::DEFAULT),
            LimitsConfig {
                max_recalls: 10_000,
                max_age_secs: 2_592_000,
                max_bytes: 4_194_304
            }
        );
    }
}
