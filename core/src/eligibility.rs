//! Who may recall which message, and until when: the rules of spec §4, in order.
//!
//! `rules` (behind [`decide`] and [`recall`]) is the one place the rules live. Each step
//! quotes the sentence of the spec it implements; the first rule that fails is the reason
//! reported. Rules 1 and 2 (a valid policy, valid ids) hold before `decide` is called:
//! [`RecallPolicy`] and the id types can only be built through constructors that refuse
//! invalid values with `invalid_policy` and `invalid_argument`, and the decoders check the
//! policy before the ids. Rule 2's one check left, a conversation kind this version knows, is
//! made here.
//!
//! The inputs keep the trust boundary of spec 4.1.1: the [`RecallRequest`] is what a client
//! sent, the [`Actor`] and the stored message's conversation kind come from the deciding side.
//!
//! The allowed path does no heap allocation.

use crate::{
    Actor, ConversationKind, MessageKind, MessageState, Moderation, Reason, RecallNotification,
    RecallPolicy, RecallRequest, Role, StoredMessage, Timestamp,
};
use serde::{Deserialize, Serialize};

/// Why an allowed recall is allowed.
///
/// Later versions may add bases (spec 8.3.1): one this version does not know decodes to
/// [`Basis::Unknown`], and its recall is still applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Basis {
    /// The actor sent the message.
    Sender,
    /// The actor holds a moderator role in the group or room.
    Moderator,
    /// A basis this version does not know, from a newer peer: written back as `"unknown"` in
    /// JSON and 0 in protobuf. [`decide`] never gives it.
    #[serde(other)]
    Unknown,
}

/// An allowed recall: its basis and, when the window applied, its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[must_use]
pub struct Decision {
    /// Why the recall is allowed.
    pub basis: Basis,
    /// `sent_at + window`: the last instant a client should offer "Recall" in its menu.
    /// `None` when the window does not apply (a moderator bypassing it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Timestamp>,
}

/// Why a recall is refused by the rules of spec §4: the refusals `decide` can give, each
/// mapping to one [`Reason`] (rules 2 to 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// Rule 2: the stored message's conversation kind is one this version does not know.
    #[error("the conversation kind is not one this version knows")]
    UnknownConversationKind,
    /// Rule 3: the message is not the one asked for, or lives in another conversation.
    #[error("no such message in this conversation")]
    NotFound,
    /// Rule 4: the actor holds no role in the group or room.
    #[error("the actor is not a member of the conversation")]
    NotInConversation,
    /// Rule 5 (and 4.4): `ext` is longer than the policy's `max_ext_bytes`.
    #[error("the ext payload is too large")]
    ExtTooLarge,
    /// Rule 6: the message is still sending, or failed to send.
    #[error("the message was not sent successfully")]
    NotSent,
    /// Rule 6: the message was recalled before.
    #[error("the message is already recalled")]
    AlreadyRecalled,
    /// Rule 7: the message's kind can never be recalled under the policy.
    #[error("this kind of message cannot be recalled")]
    KindNotRecallable,
    /// Rule 8: the actor is neither the sender nor a moderator.
    #[error("only the sender may recall this message")]
    NotSender,
    /// Rule 8: the actor is a moderator whose role does not outrank the sender's.
    #[error("the actor's role does not outrank the sender's")]
    InsufficientRole,
    /// Rule 9: the recall window has passed.
    #[error("the recall window has passed")]
    WindowExpired,
}

impl Refusal {
    /// The reason of the table (spec §9) this refusal is.
    #[must_use]
    pub const fn reason(self) -> Reason {
        match self {
            Refusal::UnknownConversationKind => Reason::InvalidArgument,
            Refusal::NotFound => Reason::NotFound,
            Refusal::NotInConversation => Reason::NotInConversation,
            Refusal::ExtTooLarge => Reason::ExtTooLarge,
            Refusal::NotSent => Reason::NotSent,
            Refusal::AlreadyRecalled => Reason::AlreadyRecalled,
            Refusal::KindNotRecallable => Reason::KindNotRecallable,
            Refusal::NotSender => Reason::NotSender,
            Refusal::InsufficientRole => Reason::InsufficientRole,
            Refusal::WindowExpired => Reason::WindowExpired,
        }
    }
}

impl From<Refusal> for Reason {
    fn from(refusal: Refusal) -> Self {
        refusal.reason()
    }
}

/// Decides whether `actor` may recall `message` at `now` under `policy`, as `request` asks
/// (spec §4).
///
/// `request` is what the client sent; `actor` is who sent it, with their current role, as the
/// caller's authentication and membership records say (never from the request, spec 4.1.1);
/// `message` is the stored message the caller looked up by the request's conversation and
/// message id, with its conversation's kind from the caller's records.
///
/// # Errors
/// The refusal of the first rule that fails, from rule 2 (an unknown conversation kind) to
/// rule 9 (`window_expired`).
pub fn decide(
    policy: &RecallPolicy,
    request: &RecallRequest,
    actor: &Actor,
    message: &StoredMessage,
    now: Timestamp,
) -> Result<Decision, Refusal> {
    // 1. "the policy is valid, else `invalid_policy`" — by construction of `RecallPolicy`.
    // 2. "every id is valid, else `invalid_argument`" — by construction of the id types.
    rules(policy, &Case::of(request, actor, message), now)
}

/// A request, its actor and the stored message it names, borrowed: everything [`decide`]
/// reads, as plain fields.
#[derive(Debug, Clone, Copy)]
struct Case<'a> {
    conversation_id: &'a str,
    message_id: &'a str,
    ext: Option<&'a str>,
    actor_id: &'a str,
    actor_role: Option<Role>,
    stored_id: &'a str,
    stored_conversation_id: &'a str,
    conversation_kind: ConversationKind,
    sender_id: &'a str,
    sender_role: Option<Role>,
    kind: MessageKind,
    state: MessageState,
    sent_at: Timestamp,
}

impl<'a> Case<'a> {
    #[inline]
    fn of(request: &'a RecallRequest, actor: &'a Actor, message: &'a StoredMessage) -> Self {
        Case {
            conversation_id: request.conversation_id.as_str(),
            message_id: request.message_id.as_str(),
            ext: request.ext.as_deref(),
            actor_id: actor.user_id.as_str(),
            actor_role: actor.role,
            stored_id: message.id.as_str(),
            stored_conversation_id: message.conversation.id.as_str(),
            conversation_kind: message.conversation.kind,
            sender_id: message.sender_id.as_str(),
            sender_role: message.sender_role,
            kind: message.kind,
            state: message.state,
            sent_at: message.sent_at,
        }
    }
}

/// Rules 2 (the kind) to 9, on a case whose ids are valid.
#[inline(always)]
fn rules(policy: &RecallPolicy, case: &Case<'_>, now: Timestamp) -> Result<Decision, Refusal> {
    // 4.4 "an `ext` longer than 4096 bytes is refused with `ext_too_large` right after the
    //    ids of rule 2, whichever way the request arrived": as the decoders do, so that a
    //    request built in code or through a binding gets the answer a decoded one gets.
    if case
        .ext
        .is_some_and(|ext| ext.len() > RecallPolicy::MAX_EXT_BYTES as usize)
    {
        return Err(Refusal::ExtTooLarge);
    }

    // 2. "The stored message's conversation kind must be one this version knows (8.3.1): a
    //    server decides only on kinds it knows, else `invalid_argument`", checked after 4.4.
    let grouped = match case.conversation_kind {
        ConversationKind::Direct => false,
        ConversationKind::Group | ConversationKind::Room => true,
        ConversationKind::Unknown => return Err(Refusal::UnknownConversationKind),
    };

    // 3. "the message belongs to the request's conversation, else `not_found` (never let a
    //    role held in one conversation reach a message of another)". A stored message that
    //    is not the one asked for is not found either.
    if case.stored_conversation_id != case.conversation_id || case.stored_id != case.message_id {
        return Err(Refusal::NotFound);
    }

    // 4. "group/room: the actor has a role in it, else `not_in_conversation`".
    //    In a direct chat roles play no part, so the actor's role is not read.
    let actor_role = if grouped {
        Some(case.actor_role.ok_or(Refusal::NotInConversation)?)
    } else {
        None
    };

    // 5. "`ext` is at most `max_ext_bytes` bytes, else `ext_too_large`".
    if let Some(ext) = case.ext
        && ext.len() > usize::from(policy.max_ext_bytes())
    {
        return Err(Refusal::ExtTooLarge);
    }

    // 6. "the message state is `sent`: `sending`/`failed` → `not_sent`,
    //    `recalled` → `already_recalled`".
    match case.state {
        MessageState::Sent => {}
        MessageState::Sending | MessageState::Failed => return Err(Refusal::NotSent),
        MessageState::Recalled => return Err(Refusal::AlreadyRecalled),
    }

    // 7. "the kind is not excluded, else `kind_not_recallable`" (command and notification
    //    always are).
    if policy.excludes(case.kind) {
        return Err(Refusal::KindNotRecallable);
    }

    // 8. Authority.
    let is_sender = case.actor_id == case.sender_id;
    let basis = match actor_role {
        // "direct: the actor is the sender, else `not_sender`".
        None if is_sender => Basis::Sender,
        None => return Err(Refusal::NotSender),
        Some(role) => group_authority(policy, role, is_sender, case.sender_role)?,
    };

    // 9. "the window, for basis `sender`, and for basis `moderator` when
    //    `moderators_bypass_window` is false".
    let window_applies = basis == Basis::Sender || !policy.moderators_bypass_window();
    if !window_applies {
        return Ok(Decision {
            basis,
            deadline: None,
        });
    }
    // "`elapsed = max(0, now - sent_at)`; `elapsed > window` → `window_expired` (the boundary
    //  is inclusive: exactly `window` after `sent_at` is still allowed)."
    let window_ms = i64::from(policy.window_secs()) * 1000;
    let elapsed_ms = now.millis_since(case.sent_at).max(0);
    if elapsed_ms > window_ms {
        return Err(Refusal::WindowExpired);
    }
    // "An allowed decision carries ... when the window applied, its `deadline`
    //  (`sent_at + window`)."
    Ok(Decision {
        basis,
        deadline: Some(case.sent_at.saturating_add_millis(window_ms)),
    })
}

/// Rule 8 in a group or room, for an actor holding `role`.
fn group_authority(
    policy: &RecallPolicy,
    role: Role,
    is_sender: bool,
    sender_role: Option<Role>,
) -> Result<Basis, Refusal> {
    let is_moderator = policy.is_moderator(role);
    // "a sender with no role counting as `member`".
    let outranks = role > sender_role.unwrap_or(Role::Member);
    // "the actor's role is a moderator role and (the actor is the sender, or `moderation` is
    //  `any`, or the actor's role outranks the sender's role) → basis `moderator`".
    if is_moderator && (is_sender || policy.moderation() == Moderation::Any || outranks) {
        return Ok(Basis::Moderator);
    }
    // "otherwise the actor is the sender → basis `sender`".
    if is_sender {
        return Ok(Basis::Sender);
    }
    // "otherwise the actor holds a moderator role → `insufficient_role`; otherwise
    //  `not_sender`".
    Err(if is_moderator {
        Refusal::InsufficientRole
    } else {
        Refusal::NotSender
    })
}

/// Decides a recall and, when allowed, builds the notification to deliver (spec §5): the
/// server's one call per request.
///
/// # Errors
/// The refusal [`decide`] gives.
pub fn recall(
    policy: &RecallPolicy,
    request: &RecallRequest,
    actor: &Actor,
    message: &StoredMessage,
    now: Timestamp,
) -> Result<RecallNotification, Refusal> {
    let decision = decide(policy, request, actor, message, now)?;
    Ok(RecallNotification {
        conversation: message.conversation.clone(),
        message_id: message.id.clone(),
        sender_id: message.sender_id.clone(),
        operator_id: actor.user_id.clone(),
        basis: decision.basis,
        recalled_at: now,
        ext: request.ext.clone(),
    })
}

#[cfg(test)]
mod tests {
    //! The rules are covered rule by rule by the conformance vectors in `tests/vectors/`;
    //! these tests cover what a vector cannot express.
    use super::*;
    use crate::json::Json;
    use crate::{MessageId, PolicyConfig};

    fn request() -> RecallRequest {
        RecallRequest::from_json(r#"{"conversation_id":"c1","message_id":"m1"}"#).unwrap()
    }

    fn actor(user_id: &str, role: &str) -> Actor {
        Actor::from_json(&format!(r#"{{"user_id":"{user_id}","role":{role}}}"#)).unwrap()
    }

    fn message_in(kind: &str, sent_at: &str) -> StoredMessage {
        StoredMessage::from_json(&format!(
            r#"{{"id":"m1","conversation":{{"id":"c1","kind":"{kind}"}},"sender_id":"alice","sender_role":"member","kind":"text","state":"sent","sent_at":"{sent_at}"}}"#
        ))
        .unwrap()
    }

    fn message(sent_at: &str) -> StoredMessage {
        message_in("direct", sent_at)
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn a_stored_message_other_than_the_one_asked_for_is_not_found() {
        let mut request = request();
        request.message_id = MessageId::new("m2").unwrap();
        let outcome = decide(
            &RecallPolicy::DEFAULT,
            &request,
            &actor("alice", "null"),
            &message("2026-01-01T00:00:00Z"),
            at("2026-01-01T00:00:00Z"),
        );
        assert_eq!(outcome, Err(Refusal::NotFound));
    }

    /// Spec 9.3: each refusal maps to exactly one reason of the table, rules 2 to 9.
    #[test]
    fn each_refusal_is_one_reason() {
        let table = [
            (Refusal::UnknownConversationKind, Reason::InvalidArgument),
            (Refusal::NotFound, Reason::NotFound),
            (Refusal::NotInConversation, Reason::NotInConversation),
            (Refusal::ExtTooLarge, Reason::ExtTooLarge),
            (Refusal::NotSent, Reason::NotSent),
            (Refusal::AlreadyRecalled, Reason::AlreadyRecalled),
            (Refusal::KindNotRecallable, Reason::KindNotRecallable),
            (Refusal::NotSender, Reason::NotSender),
            (Refusal::InsufficientRole, Reason::InsufficientRole),
            (Refusal::WindowExpired, Reason::WindowExpired),
        ];
        for (refusal, reason) in table {
            // The list is every refusal: a new one fails to compile here until it is added.
            match refusal {
                Refusal::UnknownConversationKind
                | Refusal::NotFound
                | Refusal::NotInConversation
                | Refusal::ExtTooLarge
                | Refusal::NotSent
                | Refusal::AlreadyRecalled
                | Refusal::KindNotRecallable
                | Refusal::NotSender
                | Refusal::InsufficientRole
                | Refusal::WindowExpired => {}
            }
            assert_eq!(refusal.reason(), reason, "{refusal:?}");
            assert_eq!(Reason::from(refusal), reason, "{refusal:?}");
        }
        // Rules 3 to 9 each have a reason of their own; rule 2's is shared with the decoders.
        let reasons: std::collections::BTreeSet<_> = table.iter().map(|(_, r)| *r).collect();
        assert_eq!(reasons.len(), table.len());
        assert_eq!(
            reasons.iter().map(|r| r.code()).collect::<Vec<_>>(),
            (2..=11).collect::<Vec<u16>>()
        );
    }

    #[test]
    fn a_server_never_decides_on_an_unknown_kind() {
        // Spec 8.3.1 and rule 2: after the ext bound of 4.4, before rule 3.
        let mut request = request();
        request.message_id = MessageId::new("m2").unwrap();
        request.ext = Some("x".repeat(4096));
        let message = message_in("channel", "2026-01-01T00:00:00Z");
        assert_eq!(message.conversation.kind, ConversationKind::Unknown);
        let owner = actor("alice", r#""owner""#);
        let now = at("2026-01-01T00:00:00Z");
        let outcome = decide(&RecallPolicy::DEFAULT, &request, &owner, &message, now);
        assert_eq!(outcome, Err(Refusal::UnknownConversationKind));
        request.ext = Some("x".repeat(4097));
        let outcome = decide(&RecallPolicy::DEFAULT, &request, &owner, &message, now);
        assert_eq!(outcome, Err(Refusal::ExtTooLarge));
        assert_eq!(
            Reason::from(Refusal::UnknownConversationKind),
            Reason::InvalidArgument
        );
    }

    #[test]
    fn an_ext_past_4096_bytes_is_refused_before_rule_3_on_every_path() {
        // Spec 4.4: as a decoder would, for a request built in code too.
        let mut request = request();
        request.message_id = MessageId::new("m2").unwrap();
        let alice = actor("alice", "null");
        let message = message("2026-01-01T00:00:00Z");
        let now = at("2026-01-01T00:00:00Z");
        request.ext = Some("x".repeat(4097));
        assert_eq!(
            decide(&RecallPolicy::DEFAULT, &request, &alice, &message, now),
            Err(Refusal::ExtTooLarge)
        );
        assert_eq!(
            recall(&RecallPolicy::DEFAULT, &request, &alice, &message, now),
            Err(Refusal::ExtTooLarge)
        );
        // 4096 bytes meet rule 5 in its place: rule 3 speaks first.
        request.ext = Some("x".repeat(4096));
        assert_eq!(
            decide(&RecallPolicy::DEFAULT, &request, &alice, &message, now),
            Err(Refusal::NotFound)
        );
    }

    #[test]
    fn deadline_is_held_at_the_last_timestamp() {
        let policy = RecallPolicy::new(&PolicyConfig {
            window_secs: 604_800,
            ..Default::default()
        })
        .unwrap();
        let late = "9999-12-31T00:00:00.000Z";
        let decision = decide(
            &policy,
            &request(),
            &actor("alice", "null"),
            &message(late),
            at(late),
        )
        .unwrap();
        assert_eq!(decision.deadline, Some(Timestamp::MAX));
    }

    #[test]
    fn recall_builds_the_notification_from_the_decision() {
        let mut request = request();
        request.ext = Some("spam".into());
        let now = at("2026-01-02T00:00:00Z");
        let message = message_in("group", "2026-01-01T00:00:00Z");
        let notification = recall(
            &RecallPolicy::DEFAULT,
            &request,
            &actor("olga", r#""owner""#),
            &message,
            now,
        )
        .unwrap();
        assert_eq!(notification.conversation, message.conversation);
        assert_eq!(notification.message_id.as_str(), "m1");
        assert_eq!(notification.sender_id.as_str(), "alice");
        assert_eq!(notification.operator_id.as_str(), "olga");
        assert_eq!(notification.basis, Basis::Moderator);
        assert_eq!(notification.recalled_at, now);
        assert_eq!(notification.ext.as_deref(), Some("spam"));

        let refused = recall(
            &RecallPolicy::DEFAULT,
            &request,
            &actor("mia", r#""member""#),
            &message,
            now,
        );
        assert_eq!(refused, Err(Refusal::NotSender));
    }

    #[test]
    fn expired_stays_expired_as_now_grows() {
        let request = request();
        let alice = actor("alice", "null");
        let message = message("2026-01-01T00:00:00Z");
        let mut now = at("2026-01-01T00:02:00.001Z");
        for _ in 0..1000 {
            assert_eq!(
                decide(&RecallPolicy::DEFAULT, &request, &alice, &message, now),
                Err(Refusal::WindowExpired)
            );
            now = now.saturating_add_millis(7_919_000);
        }
    }
}
