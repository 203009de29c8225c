//! Applying recalls on a client (spec §6): tombstones, effects, recalls that overtake their
//! message, forged recalls, and a bounded memory that survives an app restart.
//!
//! The app feeds [`RecallState`] every recall it receives (live, from offline sync, or as a
//! legacy command) and every message that arrives; the state answers what to do. It never
//! sees message content: the app passes what it knows about a message it holds
//! ([`HeldMessage`]), and content handed to [`RecallState::on_message`] comes back only when
//! no recall of that message is known.
//!
//! A remembered recall moves through two states:
//!
//! ```text
//!  recall, message not held ──▶ waiting ──message arrives (same sender)──▶ applied
//!  recall, message held ──────────────────────────────────────────────────▶ applied
//!  (both evicted when older than max_age, or when count or bytes pass their limits: oldest first)
//! ```
//!
//! Recalls are remembered per (conversation, message, sender): a forged recall naming another
//! sender never matches the real message, so it can neither hide it nor block the genuine
//! recall.

use crate::{
    Basis, Conversation, ConversationId, ConversationKind, LegacyCommand, MessageId, Reason,
    RecallNotification, Timestamp, UserId,
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

/// The follow-up work after a message becomes a tombstone, besides replacing its bubble.
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
    /// Replace the held message with the tombstone, then carry out the effects.
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
    /// No recall of it is known: show it, with its content.
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

    /// A recall arrived (live or from offline sync). `held` is the message the app holds
    /// under the recall's conversation and message id, if any.
    ///
    /// At most one recall is remembered per (conversation, message, sender), and the first
    /// one names the tombstone: a held message that is not a tombstone is `Applied` with the
    /// tombstone of the recall remembered first, whichever recall is passed now.
    ///
    /// # Errors
    /// Nothing changes, and the recall is refused with: `operator_mismatch` when its operator
    /// cannot have made it; `conversation_mismatch` when `held` is another message or lives
    /// in another conversation; `sender_mismatch` when `held` was sent by someone else.
    pub fn on_recall(
        &mut self,
        recall: &RecallNotification,
        held: Option<&HeldMessage>,
        now: Timestamp,
    ) -> Result<RecallOutcome, Reason> {
        recall.check_operator()?;
        if let Some(held) = held {
            if held.conversation_id != recall.conversation.id || held.id != recall.message_id {
                return Err(Reason::ConversationMismatch);
            }
            if held.sender_id != recall.sender_id {
                return Err(Reason::SenderMismatch);
            }
        }
        self.expire(now);
        let mut scratch = std::mem::take(&mut self.scratch);
        let key = key_into(
            &mut scratch,
            recall.conversation.id.as_str(),
            recall.message_id.as_str(),
            recall.sender_id.as_str(),
        );
        // At most one recall is remembered per key, and the first one names the tombstone on
        // every path (spec §6): a later recall for the same key changes nothing remembered.
        let outcome = match (held, self.recalls.get_mut(key)) {
            (None, Some(_)) => RecallOutcome::Duplicate,
            (None, None) => {
                self.remember(key, recall, now, false);
                RecallOutcome::Remembered
            }
            (Some(held), Some(known)) => {
                known.applied = true;
                if held.recalled {
                    RecallOutcome::Duplicate
                } else {
                    let first = known.recall(key);
                    RecallOutcome::Applied {
                        tombstone: self.tombstone(&first),
                        effects: held.effects(),
                    }
                }
            }
            (Some(held), None) => {
                self.remember(key, recall, now, true);
                if held.recalled {
                    RecallOutcome::Duplicate
                } else {
                    RecallOutcome::Applied {
                        tombstone: self.tombstone(recall),
                        effects: held.effects(),
                    }
                }
            }
        };
        self.scratch = scratch;
        Ok(outcome)
    }

    /// A legacy recall command arrived (spec §7): translated, then handled as
    /// [`RecallState::on_recall`].
    ///
    /// # Errors
    /// As [`LegacyCommand::to_recall`], then as [`RecallState::on_recall`].
    pub fn on_legacy_command(
        &mut self,
        command: &LegacyCommand,
        held: Option<&HeldMessage>,
        now: Timestamp,
    ) -> Result<RecallOutcome, Reason> {
        self.on_recall(&command.to_recall()?, held, now)
    }

    /// A message arrived. Its content comes back only when no recall of it is known;
    /// otherwise it is dropped here and the message's tombstone comes back instead.
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
                let recall = known.recall(key);
                Arrival::Tombstone(self.tombstone(&recall))
            }
        };
        self.scratch = scratch;
        arrival
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
            .map(|known| self.tombstone(&known.recall(key)))
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

    fn tombstone(&self, recall: &RecallNotification) -> Tombstone {
        let recalled_by = if recall.operator_id == self.me {
            RecalledBy::You
        } else if recall.operator_id == recall.sender_id {
            RecalledBy::Sender
        } else {
            RecalledBy::Moderator
        };
        Tombstone {
            conversation: recall.conversation.clone(),
            message_id: recall.message_id.clone(),
            sender_id: recall.sender_id.clone(),
            operator_id: recall.operator_id.clone(),
            recalled_by,
            basis: recall.basis,
            recalled_at: recall.recalled_at,
            ext: recall.ext.clone(),
        }
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
            if let Some((_, oldest)) = self.order.pop_front() {
                if let Some(known) = self.recalls.remove(&oldest) {
                    self.bytes = self.bytes.saturating_sub(known.bytes(&oldest));
                }
            }
        }
    }
}
