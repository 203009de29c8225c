//! Who may recall which message, and until when: the rules of spec §4, in order.
//!
//! `rules` (behind [`decide`] and [`decide_case`]) is the one place the rules live. Each step
//! quotes the sentence of the spec it implements; the first rule that fails is the reason
//! reported. Rules 1 and 2 (a valid policy, valid ids) hold before `decide` is called:
//! [`RecallPolicy`] and the id types can only be built through constructors that refuse
//! invalid values with `invalid_policy` and `invalid_argument`, and the decoders check the
//! policy before the ids. [`decide_case`] takes ids as borrowed strings and checks them first.
//!
//! The allowed path does no heap allocation.

use crate::id::check;
use crate::{
    ConversationKind, MessageKind, MessageState, Moderation, Reason, RecallNotification,
    RecallPolicy, RecallRequest, Role, StoredMessage, Timestamp,
};
use serde::{Deserialize, Serialize};

/// Why an allowed recall is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The actor sent the message.
    Sender,
    /// The actor holds a moderator role in the group or room.
    Moderator,
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

/// Decides whether `request` may recall `message` at `now` under `policy` (spec §4).
///
/// `message` is the stored message the caller looked up by `request.message_id`.
///
/// # Errors
/// The reason of the first rule that fails, from `not_found` to `window_expired`.
pub fn decide(
    policy: &RecallPolicy,
    request: &RecallRequest,
    message: &StoredMessage,
    now: Timestamp,
) -> Result<Decision, Reason> {
    // 1. "the policy is valid, else `invalid_policy`" — by construction of `RecallPolicy`.
    // 2. "every id is valid, else `invalid_argument`" — by construction of the id types.
    rules(policy, &Case::of(request, message), now)
}

/// A recall request and the stored message it names, borrowed: everything [`decide`] reads.
///
/// For callers that hold the ids in their own strings (the FFI, a server reading rows):
/// [`decide_case`] checks them where they are instead of copying them into id types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case<'a> {
    /// The request's conversation id.
    pub conversation_id: &'a str,
    /// The request's conversation kind.
    pub conversation_kind: ConversationKind,
    /// The id of the message the request asks to recall.
    pub message_id: &'a str,
    /// Who asks.
    pub actor_id: &'a str,
    /// Their current role in the group or room; `None` when not a member.
    pub actor_role: Option<Role>,
    /// The request's `ext`.
    pub ext: Option<&'a str>,
    /// The stored message's id.
    pub stored_id: &'a str,
    /// The conversation the stored message belongs to.
    pub stored_conversation_id: &'a str,
    /// Who sent the stored message.
    pub sender_id: &'a str,
    /// The sender's current role; `None` when they hold none.
    pub sender_role: Option<Role>,
    /// What the stored message carries.
    pub kind: MessageKind,
    /// Where the stored message is in its life.
    pub state: MessageState,
    /// The server timestamp of its sending.
    pub sent_at: Timestamp,
}

impl<'a> Case<'a> {
    /// Borrows a request and its stored message.
    #[must_use]
    #[inline]
    pub fn of(request: &'a RecallRequest, message: &'a StoredMessage) -> Self {
        Case {
            conversation_id: request.conversation.id.as_str(),
            conversation_kind: request.conversation.kind,
            message_id: request.message_id.as_str(),
            actor_id: request.actor.user_id.as_str(),
            actor_role: request.actor.role,
            ext: request.ext.as_deref(),
            stored_id: message.id.as_str(),
            stored_conversation_id: message.conversation_id.as_str(),
            sender_id: message.sender_id.as_str(),
            sender_role: message.sender_role,
            kind: message.kind,
            state: message.state,
            sent_at: message.sent_at,
        }
    }
}

/// [`decide`] for a borrowed [`Case`]: the same rules, in the same order, and the same answers.
/// The ids are checked here (rule 2), where [`decide`] has them checked by its id types.
///
/// # Errors
/// `invalid_argument` for an invalid id; otherwise as [`decide`].
pub fn decide_case(
    policy: &RecallPolicy,
    case: &Case<'_>,
    now: Timestamp,
) -> Result<Decision, Reason> {
    // 2. "every id is valid, else `invalid_argument`". A stored id equal to the request's
    //    (the usual case: the same message, conversation and, for one's own message, user)
    //    is valid when that one is, so it is not scanned twice.
    check(case.conversation_id)?;
    check(case.message_id)?;
    check(case.actor_id)?;
    for (stored, asked) in [
        (case.stored_id, case.message_id),
        (case.stored_conversation_id, case.conversation_id),
        (case.sender_id, case.actor_id),
    ] {
        if stored != asked {
            check(stored)?;
        }
    }
    rules(policy, case, now)
}

/// Rules 3 to 9, on a case whose ids are valid. Inlined into both callers, so that `decide`
/// reads the fields in place rather than through a `Case` built in memory.
#[inline(always)]
fn rules(policy: &RecallPolicy, case: &Case<'_>, now: Timestamp) -> Result<Decision, Reason> {
    // 4.4 "an `ext` longer than 4096 bytes is refused with `ext_too_large` right after rule 2,
    //    whichever way the request arrived": as the decoders do, so that a request built in
    //    code or through a binding gets the answer a decoded one gets.
    if case
        .ext
        .is_some_and(|ext| ext.len() > RecallPolicy::MAX_EXT_BYTES as usize)
    {
        return Err(Reason::ExtTooLarge);
    }

    // 3. "the message belongs to the request's conversation, else `not_found` (never let a
    //    role held in one conversation reach a message of another)". A stored message that
    //    is not the one asked for is not found either.
    if case.stored_conversation_id != case.conversation_id || case.stored_id != case.message_id {
        return Err(Reason::NotFound);
    }

    // 4. "group/room: the actor has a role in it, else `not_in_conversation`".
    //    In a direct chat roles play no part, so the actor's role is not read.
    let actor_role = match case.conversation_kind {
        ConversationKind::Direct => None,
        ConversationKind::Group | ConversationKind::Room => {
            Some(case.actor_role.ok_or(Reason::NotInConversation)?)
        }
    };

    // 5. "`ext` is at most `max_ext_bytes` bytes, else `ext_too_large`".
    if let Some(ext) = case.ext
        && ext.len() > usize::from(policy.max_ext_bytes())
    {
        return Err(Reason::ExtTooLarge);
    }

    // 6. "the message state is `sent`: `sending`/`failed` → `not_sent`,
    //    `recalled` → `already_recalled`".
    match case.state {
        MessageState::Sent => {}
        MessageState::Sending | MessageState::Failed => return Err(Reason::NotSent),
        MessageState::Recalled => return Err(Reason::AlreadyRecalled),
    }

    // 7. "the kind is not excluded, else `kind_not_recallable`" (command and notification
    //    always are).
    if policy.excludes(case.kind) {
        return Err(Reason::KindNotRecallable);
    }

    // 8. Authority.
    let is_sender = case.actor_id == case.sender_id;
    let basis = match actor_role {
        // "direct: the actor is the sender, else `not_sender`".
        None if is_sender => Basis::Sender,
        None => return Err(Reason::NotSender),
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
        return Err(Reason::WindowExpired);
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
) -> Result<Basis, Reason> {
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
        Reason::InsufficientRole
    } else {
        Reason::NotSender
    })
}

/// Decides a recall and, when allowed, builds the notification to deliver (spec §5): the
/// server's one call per request.
///
/// # Errors
/// The reason [`decide`] gives.
pub fn recall(
    policy: &RecallPolicy,
    request: &RecallRequest,
    message: &StoredMessage,
    now: Timestamp,
) -> Result<RecallNotification, Reason> {
    let decision = decide(policy, request, message, now)?;
    Ok(RecallNotification {
        conversation: request.conversation.clone(),
        message_id: message.id.clone(),
        sender_id: message.sender_id.clone(),
        operator_id: request.actor.user_id.clone(),
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

    fn request(kind: &str, actor: &str, role: &str) -> RecallRequest {
        RecallRequest::from_json(&format!(
            r#"{{"conversation":{{"id":"c1","kind":"{kind}"}},"message_id":"m1","actor":{{"user_id":"{actor}","role":{role}}}}}"#
        ))
        .unwrap()
    }

    fn message(sent_at: &str) -> StoredMessage {
        StoredMessage::from_json(&format!(
            r#"{{"id":"m1","conversation_id":"c1","sender_id":"alice","sender_role":"member","kind":"text","state":"sent","sent_at":"{sent_at}"}}"#
        ))
        .unwrap()
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn a_stored_message_other_than_the_one_asked_for_is_not_found() {
        let mut request = request("direct", "alice", "null");
        request.message_id = MessageId::new("m2").unwrap();
        let outcome = decide(
            &RecallPolicy::DEFAULT,
            &request,
            &message("2026-01-01T00:00:00Z"),
            at("2026-01-01T00:00:00Z"),
        );
        assert_eq!(outcome, Err(Reason::NotFound));
    }

    #[test]
    fn an_ext_past_4096_bytes_is_refused_before_rule_3_on_every_path() {
        // Spec 4.4: as a decoder would, for a request built in code too.
        let mut request = request("direct", "alice", "null");
        request.message_id = MessageId::new("m2").unwrap();
        let message = message("2026-01-01T00:00:00Z");
        let now = at("2026-01-01T00:00:00Z");
        request.ext = Some("x".repeat(4097));
        assert_eq!(
            decide(&RecallPolicy::DEFAULT, &request, &message, now),
            Err(Reason::ExtTooLarge)
        );
        assert_eq!(
            recall(&RecallPolicy::DEFAULT, &request, &message, now),
            Err(Reason::ExtTooLarge)
        );
        // 4096 bytes meet rule 5 in its place: rule 3 speaks first.
        request.ext = Some("x".repeat(4096));
        assert_eq!(
            decide(&RecallPolicy::DEFAULT, &request, &message, now),
            Err(Reason::NotFound)
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
            &request("direct", "alice", "null"),
            &message(late),
            at(late),
        )
        .unwrap();
        assert_eq!(decision.deadline, Some(Timestamp::MAX));
    }

    #[test]
    fn recall_builds_the_notification_from_the_decision() {
        let mut request = request("group", "olga", r#""owner""#);
        request.ext = Some("spam".into());
        let now = at("2026-01-02T00:00:00Z");
        let notification = recall(
            &RecallPolicy::DEFAULT,
            &request,
            &message("2026-01-01T00:00:00Z"),
            now,
        )
        .unwrap();
        assert_eq!(notification.conversation, request.conversation);
        assert_eq!(notification.message_id.as_str(), "m1");
        assert_eq!(notification.sender_id.as_str(), "alice");
        assert_eq!(notification.operator_id.as_str(), "olga");
        assert_eq!(notification.basis, Basis::Moderator);
        assert_eq!(notification.recalled_at, now);
        assert_eq!(notification.ext.as_deref(), Some("spam"));

        let member = self::request("group", "mia", r#""member""#);
        let refused = recall(
            &RecallPolicy::DEFAULT,
            &member,
            &message("2026-01-01T00:00:00Z"),
            now,
        );
        assert_eq!(refused, Err(Reason::NotSender));
    }

    #[test]
    fn expired_stays_expired_as_now_grows() {
        let request = request("direct", "alice", "null");
        let message = message("2026-01-01T00:00:00Z");
        let mut now = at("2026-01-01T00:02:00.001Z");
        for _ in 0..1000 {
            assert_eq!(
                decide(&RecallPolicy::DEFAULT, &request, &message, now),
                Err(Reason::WindowExpired)
            );
            now = now.saturating_add_millis(7_919_000);
        }
    }
}
