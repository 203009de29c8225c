//! What the fuzz targets share: the round-trip checks of the decoders and the structured
//! input of the `decide` target.
//!
//! Each target in `fuzz_targets/` is one line calling into this crate, so the checks can also
//! be read, reused and replayed without libFuzzer:
//! `cargo run --example replay -- TARGET FILE_OR_DIR...`.

pub mod fast_call;

use arbitrary::Arbitrary;
use recall_core::json::Json;
use recall_core::wire::Protobuf;
use recall_core::{
    Actor, Basis, Conversation, ConversationKind, Decision, IdError, MessageKind, MessageState,
    Moderation, PolicyConfig, Reason, RecallPolicy, RecallRequest, Refusal, Role, StoredMessage,
    Timestamp, decide, recall,
};
use std::fmt::Debug;

/// Reasons a decoder may give for untrusted input.
const DECODING_REASONS: [Reason; 5] = [
    Reason::MalformedInput,
    Reason::InputTooLarge,
    Reason::InvalidArgument,
    Reason::InvalidPolicy,
    Reason::ExtTooLarge,
];

/// Decodes untrusted protobuf bytes as `T`; when that succeeds, the value must survive
/// encoding and decoding unchanged, its encoding must be stable, and its JSON form must
/// round-trip too.
pub fn protobuf_round_trip<T>(bytes: &[u8])
where
    T: Protobuf + Json + PartialEq + Debug,
{
    let value = match T::from_protobuf(bytes) {
        Ok(value) => value,
        Err(error) => {
            let reason = error.reason();
            assert!(
                DECODING_REASONS.contains(&reason),
                "decoding refused with a non-decoding reason {reason:?}"
            );
            return;
        }
    };
    let encoded = value.to_protobuf();
    let again = T::from_protobuf(&encoded)
        .unwrap_or_else(|reason| panic!("{value:?} encodes to bytes refused with {reason:?}"));
    assert_eq!(again, value, "protobuf round trip changed the value");
    assert_eq!(
        again.to_protobuf(),
        encoded,
        "protobuf encoding is not stable"
    );
    json_value_round_trip(&value);
}

/// Decodes untrusted JSON text as `T`; when that succeeds, the value must survive encoding
/// and decoding unchanged, and its encoding must be stable.
pub fn json_round_trip<T>(data: &[u8])
where
    T: Json + PartialEq + Debug,
{
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match T::from_json(text) {
        Ok(value) => json_value_round_trip(&value),
        Err(error) => assert!(
            DECODING_REASONS.contains(&error.reason()),
            "decoding refused with a non-decoding reason {error:?}"
        ),
    }
}

fn json_value_round_trip<T>(value: &T)
where
    T: Json + PartialEq + Debug,
{
    let text = value.to_json();
    let again = T::from_json(&text)
        .unwrap_or_else(|reason| panic!("{value:?} encodes to {text:?}, refused with {reason:?}"));
    assert_eq!(&again, value, "JSON round trip changed the value: {text}");
    assert_eq!(again.to_json(), text, "JSON encoding is not stable");
}

// --- the `decide` target -----------------------------------------------------------------

/// 2026-01-01T00:00:00.000Z, where most generated timestamps fall.
pub const BASE_MILLIS: i64 = 1_767_225_600_000;

/// Everything `decide` reads, as raw values; [`DecideInput::check`] builds the domain values
/// through their real constructors (which refuse what is invalid) and checks the invariants.
/// The request holds the conversation id, the message id and `ext`; the actor and the stored
/// message (with its conversation's kind) are the server's (spec 4.1.1).
#[derive(Debug, Arbitrary)]
pub struct DecideInput {
    policy: PolicyInput,
    conversation_id: IdInput,
    message_id: IdInput,
    ext: Option<ExtInput>,
    actor_id: IdInput,
    actor_role: Option<RoleInput>,
    stored_id: IdInput,
    stored_conversation_id: IdInput,
    conversation_kind: KindInput,
    sender_id: IdInput,
    sender_role: Option<RoleInput>,
    message_kind: u8,
    state: StateInput,
    sent_at: TimeInput,
    now: TimeInput,
}

#[derive(Debug, Arbitrary)]
struct PolicyInput {
    window_secs: NumberInput,
    moderators: Vec<RoleInput>,
    moderators_bypass_window: bool,
    moderation_any: bool,
    excluded_kinds: Vec<u8>,
    max_ext_bytes: NumberInput,
}

/// A number, usually small or at a bound, sometimes anything.
#[derive(Debug, Arbitrary)]
enum NumberInput {
    Small(u16),
    Bound(u8),
    Any(u32),
}

impl NumberInput {
    fn value(&self, bound: u32) -> u32 {
        match *self {
            NumberInput::Small(n) => u32::from(n),
            NumberInput::Bound(delta) => (bound + 2).saturating_sub(u32::from(delta % 4)),
            NumberInput::Any(n) => n,
        }
    }
}

/// An id, usually from a small alphabet so that ids often match, sometimes any text.
#[derive(Debug, Arbitrary)]
enum IdInput {
    Known(u8),
    Text(String),
}

/// Ids that look alike: a case difference and a zero-width space must not match.
const KNOWN_IDS: [&str; 5] = ["a", "b", "c", "A", "a\u{200b}"];

impl IdInput {
    fn text(&self) -> String {
        match self {
            IdInput::Known(i) => KNOWN_IDS[usize::from(*i) % KNOWN_IDS.len()].to_owned(),
            IdInput::Text(text) => text.clone(),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum ExtInput {
    /// `n` ASCII bytes: lengths around `max_ext_bytes` come up often.
    Length(u16),
    Text(String),
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum RoleInput {
    Member,
    Admin,
    Owner,
}

impl From<RoleInput> for Role {
    fn from(role: RoleInput) -> Role {
        match role {
            RoleInput::Member => Role::Member,
            RoleInput::Admin => Role::Admin,
            RoleInput::Owner => Role::Owner,
        }
    }
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum KindInput {
    Direct,
    Group,
    Room,
    /// A kind of a newer version, read as unknown (spec 8.3.1).
    Unknown,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum StateInput {
    Sending,
    Sent,
    Failed,
    Recalled,
}

/// A timestamp: usually within a few weeks of 2026-01-01, sometimes any `i64`.
#[derive(Debug, Arbitrary)]
enum TimeInput {
    Near(i32),
    NearSeconds(i32),
    Any(i64),
}

impl TimeInput {
    fn millis(&self) -> i64 {
        match *self {
            TimeInput::Near(ms) => BASE_MILLIS + i64::from(ms),
            TimeInput::NearSeconds(s) => BASE_MILLIS + i64::from(s) * 1000,
            TimeInput::Any(ms) => ms,
        }
    }
}

/// The inputs of one `decide` call, built through the real constructors.
#[derive(Debug)]
pub struct DecideCase {
    /// The policy.
    pub policy: RecallPolicy,
    /// The request, as a client sent it.
    pub request: RecallRequest,
    /// Who acts, as the server knows them.
    pub actor: Actor,
    /// The stored message, with its conversation's kind from the server's records.
    pub message: StoredMessage,
    /// The server's clock.
    pub now: Timestamp,
}

impl DecideInput {
    /// The policy through its real constructor; `None` when it refuses (after checking it was
    /// right to).
    fn policy(&self) -> Option<RecallPolicy> {
        let config = PolicyConfig {
            window_secs: self.policy.window_secs.value(RecallPolicy::MAX_WINDOW_SECS),
            moderators: self.policy.moderators.iter().map(|&r| r.into()).collect(),
            moderators_bypass_window: self.policy.moderators_bypass_window,
            moderation: if self.policy.moderation_any {
                Moderation::Any
            } else {
                Moderation::Outrank
            },
            excluded_kinds: self
                .policy
                .excluded_kinds
                .iter()
                .map(|&k| MessageKind::ALL[usize::from(k) % MessageKind::ALL.len()])
                .collect(),
            max_ext_bytes: self.policy.max_ext_bytes.value(RecallPolicy::MAX_EXT_BYTES),
        };
        match RecallPolicy::new(&config) {
            Ok(policy) => Some(policy),
            Err(error) => {
                assert_eq!(Reason::from(error), Reason::InvalidPolicy);
                assert!(
                    config.window_secs > RecallPolicy::MAX_WINDOW_SECS
                        || config.max_ext_bytes > RecallPolicy::MAX_EXT_BYTES
                        || config.moderators.contains(&Role::Member),
                    "a policy within bounds was refused: {config:?}"
                );
                None
            }
        }
    }

    fn ext(&self) -> Option<String> {
        self.ext.as_ref().map(|ext| match ext {
            ExtInput::Length(n) => {
                "x".repeat(usize::from(*n) % (RecallPolicy::MAX_EXT_BYTES as usize + 2))
            }
            ExtInput::Text(text) => text.clone(),
        })
    }

    fn conversation_kind(&self) -> ConversationKind {
        match self.conversation_kind {
            KindInput::Direct => ConversationKind::Direct,
            KindInput::Group => ConversationKind::Group,
            KindInput::Room => ConversationKind::Room,
            KindInput::Unknown => ConversationKind::Unknown,
        }
    }

    fn message_kind(&self) -> MessageKind {
        MessageKind::ALL[usize::from(self.message_kind) % MessageKind::ALL.len()]
    }

    fn state(&self) -> MessageState {
        match self.state {
            StateInput::Sending => MessageState::Sending,
            StateInput::Sent => MessageState::Sent,
            StateInput::Failed => MessageState::Failed,
            StateInput::Recalled => MessageState::Recalled,
        }
    }

    /// Builds the case; `None` when a constructor refuses a value (after checking it was
    /// right to).
    #[must_use]
    pub fn build(&self) -> Option<DecideCase> {
        let policy = self.policy()?;
        let request = RecallRequest {
            conversation_id: id(&self.conversation_id)?,
            message_id: id(&self.message_id)?,
            ext: self.ext(),
        };
        let actor = Actor::new(id(&self.actor_id)?, self.actor_role.map(Role::from));
        let message = StoredMessage {
            id: id(&self.stored_id)?,
            conversation: Conversation {
                id: id(&self.stored_conversation_id)?,
                kind: self.conversation_kind(),
            },
            sender_id: id(&self.sender_id)?,
            sender_role: self.sender_role.map(Role::from),
            kind: self.message_kind(),
            state: self.state(),
            sent_at: time(&self.sent_at)?,
        };
        Some(DecideCase {
            policy,
            request,
            actor,
            message,
            now: time(&self.now)?,
        })
    }

    /// Builds the case and, when every value is valid, calls `decide` and checks the
    /// invariants.
    pub fn check(&self) {
        if let Some(case) = self.build() {
            case.check();
        }
    }
}

/// An id through its real constructor, which must refuse exactly the invalid ones.
fn id<T: TryFrom<String, Error = IdError>>(input: &IdInput) -> Option<T> {
    let text = input.text();
    let valid = !text.is_empty()
        && text.len() <= recall_core::MAX_ID_BYTES
        && !text.chars().any(char::is_control);
    match T::try_from(text) {
        Ok(id) => {
            assert!(valid, "an invalid id was accepted: {input:?}");
            Some(id)
        }
        Err(error) => {
            assert_eq!(Reason::from(error), Reason::InvalidArgument);
            assert!(!valid, "a valid id was refused: {input:?}");
            None
        }
    }
}

fn time(input: &TimeInput) -> Option<Timestamp> {
    let ms = input.millis();
    let valid = (Timestamp::MIN.unix_millis()..=Timestamp::MAX.unix_millis()).contains(&ms);
    match Timestamp::from_unix_millis(ms) {
        Ok(at) => {
            assert!(valid && at.unix_millis() == ms);
            Some(at)
        }
        Err(error) => {
            assert_eq!(Reason::from(error), Reason::InvalidArgument);
            assert!(!valid, "a timestamp in range was refused: {ms}");
            None
        }
    }
}

impl DecideCase {
    /// Calls `decide` (and `recall`) and checks what must hold whatever the inputs.
    pub fn check(&self) {
        let DecideCase {
            policy,
            request,
            actor,
            message,
            now,
        } = self;
        let now = *now;
        let outcome = decide(policy, request, actor, message, now);
        assert_eq!(
            outcome,
            decide(policy, request, actor, message, now),
            "decide is not deterministic"
        );

        // `recall` is `decide` plus the notification: the stored message's conversation, the
        // actor the server supplied.
        match (&outcome, recall(policy, request, actor, message, now)) {
            (Ok(decision), Ok(notification)) => {
                assert_eq!(notification.basis, decision.basis);
                assert_eq!(notification.conversation, message.conversation);
                assert_eq!(notification.message_id, message.id);
                assert_eq!(notification.sender_id, message.sender_id);
                assert_eq!(notification.operator_id, actor.user_id);
                assert_eq!(notification.recalled_at, now);
                assert_eq!(notification.ext, request.ext);
            }
            (Err(a), Err(b)) => assert_eq!(*a, b),
            (a, b) => panic!("decide gave {a:?} but recall gave {b:?}"),
        }

        // A server decodes the request from what a client sent: what survives the wire
        // decides alike (an `ext` past 4096 bytes never gets that far, spec 4.4).
        let beyond_any_policy = request
            .ext
            .as_ref()
            .is_some_and(|ext| ext.len() > RecallPolicy::MAX_EXT_BYTES as usize);
        for decoded in [
            RecallRequest::from_protobuf(&request.to_protobuf()),
            RecallRequest::from_json(&request.to_json()),
        ] {
            match decoded {
                Ok(decoded) => {
                    assert!(!beyond_any_policy);
                    assert_eq!(&decoded, request, "the request did not round-trip");
                    assert_eq!(decide(policy, &decoded, actor, message, now), outcome);
                }
                // JSON text past 64 KiB is refused before its `ext` is read.
                Err(reason) => assert!(
                    beyond_any_policy
                        && matches!(reason.reason(), Reason::ExtTooLarge | Reason::InputTooLarge),
                    "{reason:?}"
                ),
            }
        }

        let window_ms = i64::from(policy.window_secs()) * 1000;
        let deadline = message.sent_at.saturating_add_millis(window_ms);
        let is_sender = actor.user_id == message.sender_id;
        let known_kind = message.conversation.kind != ConversationKind::Unknown;
        let ids_match =
            message.conversation.id == request.conversation_id && message.id == request.message_id;
        // The bound no policy passes first (spec 4.4: an `ext` past 4096 bytes, as a decoder
        // of the request refuses it), then rule 2's one check left: a server never decides on
        // a conversation kind it does not know (spec 8.3.1), whatever else is wrong; then
        // rule 3: `not_found` exactly when the message is not the one asked for, in the
        // request's conversation.
        if beyond_any_policy {
            assert_eq!(outcome, Err(Refusal::ExtTooLarge), "spec 4.4");
        }
        assert_eq!(
            !known_kind && !beyond_any_policy,
            outcome == Err(Refusal::UnknownConversationKind),
            "an unknown kind must be refused exactly, right after spec 4.4"
        );
        assert_eq!(
            known_kind && !ids_match && !beyond_any_policy,
            outcome == Err(Refusal::NotFound),
            "not_found must be given exactly when an id differs"
        );
        match outcome {
            Ok(decision) => self.check_allowed(decision, deadline, is_sender),
            Err(refusal) => {
                let reason = refusal.reason();
                assert_eq!(Reason::from(refusal), reason);
                assert!(
                    (2..=11).contains(&reason.code()),
                    "decide refused with {refusal:?} ({reason:?}), not a reason of rules 2 to 9"
                );
                // Each refusal is backed by its rule's condition.
                match refusal {
                    Refusal::UnknownConversationKind => assert!(!known_kind),
                    Refusal::NotInConversation => assert!(
                        message.conversation.kind != ConversationKind::Direct
                            && actor.role.is_none()
                    ),
                    Refusal::ExtTooLarge => assert!(
                        request.ext.as_ref().map_or(0, String::len)
                            > usize::from(policy.max_ext_bytes())
                    ),
                    Refusal::NotSent => assert!(matches!(
                        message.state,
                        MessageState::Sending | MessageState::Failed
                    )),
                    Refusal::AlreadyRecalled => assert_eq!(message.state, MessageState::Recalled),
                    Refusal::KindNotRecallable => assert!(policy.excludes(message.kind)),
                    Refusal::NotSender => assert!(!is_sender),
                    Refusal::InsufficientRole => {
                        assert!(!is_sender && actor.role.is_some_and(|r| policy.is_moderator(r)))
                    }
                    Refusal::WindowExpired => assert!(now > deadline && now > message.sent_at),
                    _ => {}
                }
            }
        }
        // Whatever the outcome, these kinds never pass.
        if matches!(
            message.kind,
            MessageKind::Command | MessageKind::Notification
        ) {
            assert!(
                outcome.is_err(),
                "a {:?} message was recallable",
                message.kind
            );
        }
    }

    fn check_allowed(&self, decision: Decision, deadline: Timestamp, is_sender: bool) {
        let DecideCase {
            policy,
            request,
            actor,
            message,
            now,
        } = self;
        let now = *now;
        assert_eq!(message.state, MessageState::Sent);
        assert!(!policy.excludes(message.kind));
        assert!(request.ext.as_ref().map_or(0, String::len) <= usize::from(policy.max_ext_bytes()));
        match decision.basis {
            Basis::Sender => {
                assert!(is_sender, "basis sender for an actor who is not the sender");
                let Some(given) = decision.deadline else {
                    panic!("basis sender without a deadline");
                };
                assert_eq!(given, deadline);
                assert!(
                    now <= given || now < message.sent_at,
                    "allowed as sender after the deadline"
                );
            }
            Basis::Moderator => {
                assert_ne!(message.conversation.kind, ConversationKind::Direct);
                let role = actor.role.expect("a moderator without a role");
                assert!(policy.is_moderator(role));
                if policy.moderation() == Moderation::Outrank && !is_sender {
                    assert!(
                        role > message.sender_role.unwrap_or(Role::Member),
                        "a moderator recalled a message of an equal or higher role"
                    );
                }
                if policy.moderators_bypass_window() {
                    assert_eq!(decision.deadline, None);
                } else {
                    assert_eq!(decision.deadline, Some(deadline));
                    assert!(now <= deadline || now < message.sent_at);
                }
            }
            basis => panic!("decide allowed on {basis:?}, a basis it never gives"),
        }
        // The decision has a lossless JSON form.
        json_value_round_trip(&decision);
    }
}
