//! Properties of the eligibility rules (spec §4) and of the wire formats (spec §8), over
//! random valid policies, requests, actors, stored messages and clocks.
//!
//! The inputs are built through the real constructors (`RecallPolicy::new`, the id types,
//! `Timestamp::from_unix_millis`). Ids come from a small alphabet, so that the actor is often
//! the sender and the conversation often matches, but not always; timestamps fall within a
//! few weeks of 2026-01-01, and `now` is often right at the window's edge. The actor and the
//! stored message's conversation kind are inputs of their own, apart from the request, as a
//! server supplies them (spec 4.1.1); now and then the kind is one this version does not know.

use proptest::prelude::*;
use proptest::sample::select;
use recall_core::json::Json;
use recall_core::wire::{Protobuf, proto};
use recall_core::{
    Actor, Basis, Conversation, ConversationId, ConversationKind, Decision, MessageId, MessageKind,
    MessageState, Moderation, PolicyConfig, Reason, RecallNotification, RecallPolicy,
    RecallRejection, RecallRequest, Refusal, Role, StoredMessage, Timestamp, UserId, decide,
    recall,
};

/// 2026-01-01T00:00:00.000Z.
const BASE_MS: i64 = 1_767_225_600_000;
const DAY_MS: i64 = 86_400_000;

// --- strategies ---------------------------------------------------------------------------

fn role() -> impl Strategy<Value = Role> {
    select(Role::ALL.to_vec())
}

fn kind() -> impl Strategy<Value = MessageKind> {
    select(MessageKind::ALL.to_vec())
}

/// The kinds this version knows.
fn conversation_kind() -> impl Strategy<Value = ConversationKind> {
    select(vec![
        ConversationKind::Direct,
        ConversationKind::Group,
        ConversationKind::Room,
    ])
}

/// A kind as a stored message may carry it: now and then one a newer peer added, which this
/// version reads as unknown (spec 8.3.1).
fn stored_conversation_kind() -> impl Strategy<Value = ConversationKind> {
    prop_oneof![
        24 => conversation_kind(),
        1 => Just(ConversationKind::Unknown),
    ]
}

/// Any kind a decoder can give, the unknown one included.
fn any_conversation_kind() -> impl Strategy<Value = ConversationKind> {
    prop_oneof![
        3 => conversation_kind(),
        1 => Just(ConversationKind::Unknown),
    ]
}

/// Any basis a decoder can give, the unknown one included.
fn any_basis() -> impl Strategy<Value = Basis> {
    select(vec![Basis::Sender, Basis::Moderator, Basis::Unknown])
}

/// Any reason a decoder can give: one of the table, or a newer peer's with its code.
fn any_reason() -> impl Strategy<Value = Reason> {
    prop_oneof![
        select(Reason::ALL.to_vec()),
        (1u16..=u16::MAX).prop_filter_map("a code not in the table", |code| {
            Reason::with_code(code).filter(|reason| !reason.is_known())
        }),
    ]
}

/// Mostly `sent`, so that the later rules are reached.
fn state() -> impl Strategy<Value = MessageState> {
    prop_oneof![
        4 => Just(MessageState::Sent),
        1 => select(vec![
            MessageState::Sending,
            MessageState::Failed,
            MessageState::Recalled,
        ]),
    ]
}

/// A valid policy, through `PolicyConfig` and `RecallPolicy::new`; bounds come up often.
fn policy() -> impl Strategy<Value = RecallPolicy> {
    (
        prop_oneof![
            select(vec![0u32, 1, 60, 120, 300, 3600, 86_400, 604_800]),
            0..=RecallPolicy::MAX_WINDOW_SECS,
        ],
        proptest::collection::vec(select(vec![Role::Admin, Role::Owner]), 0..3),
        any::<bool>(),
        select(vec![Moderation::Outrank, Moderation::Any]),
        proptest::collection::vec(kind(), 0..3),
        prop_oneof![
            select(vec![0u32, 1, 200, 4096]),
            0..=RecallPolicy::MAX_EXT_BYTES
        ],
    )
        .prop_map(
            |(
                window_secs,
                moderators,
                moderators_bypass_window,
                moderation,
                excluded_kinds,
                max_ext_bytes,
            )| {
                let config = PolicyConfig {
                    window_secs,
                    moderators,
                    moderators_bypass_window,
                    moderation,
                    excluded_kinds,
                    max_ext_bytes,
                };
                RecallPolicy::new(&config).expect("a policy within bounds")
            },
        )
}

/// A user id: mostly one of three, so that the actor is often the sender.
fn user() -> impl Strategy<Value = UserId> {
    prop_oneof![
        6 => select(vec!["alice", "bob"]).prop_map(String::from),
        1 => "[a-zA-Z0-9 é中]{1,12}",
    ]
    .prop_map(|id| UserId::new(id).expect("a valid id"))
}

/// A conversation id: mostly `c1`, so that the message is often in the request's
/// conversation.
fn conversation_id() -> impl Strategy<Value = ConversationId> {
    prop_oneof![
        12 => Just("c1".to_owned()),
        1 => select(vec!["c2", "C1"]).prop_map(String::from),
    ]
    .prop_map(|id| ConversationId::new(id).expect("a valid id"))
}

/// A message id: mostly `m1`.
fn message_id() -> impl Strategy<Value = MessageId> {
    prop_oneof![
        12 => Just("m1".to_owned()),
        1 => Just("m2".to_owned()),
    ]
    .prop_map(|id| MessageId::new(id).expect("a valid id"))
}

/// A timestamp within 30 days of 2026-01-01.
fn timestamp() -> impl Strategy<Value = Timestamp> {
    (-30 * DAY_MS..=30 * DAY_MS).prop_map(|ms| Timestamp::from_unix_millis(BASE_MS + ms).unwrap())
}

/// How `now` relates to `sent_at`, resolved once the policy's window is known.
#[derive(Debug, Clone, Copy)]
enum Now {
    /// `sent_at + window + delta`: right at the edge of the window.
    Edge(i64),
    /// `sent_at + delta`, anywhere from an hour before to eight days after.
    After(i64),
    /// An unrelated instant (clock skew of any size).
    Anywhere(Timestamp),
}

fn now() -> impl Strategy<Value = Now> {
    prop_oneof![
        2 => (-2_000i64..=2_000).prop_map(Now::Edge),
        2 => (-3_600_000i64..=8 * DAY_MS).prop_map(Now::After),
        1 => timestamp().prop_map(Now::Anywhere),
    ]
}

/// How `ext` is made, resolved once the policy's `max_ext_bytes` is known.
#[derive(Debug, Clone)]
enum Ext {
    /// `max_ext_bytes + delta` ASCII bytes, or a multi-byte fill of about that size.
    Edge(i64, bool),
    Text(String),
}

fn ext() -> impl Strategy<Value = Option<Ext>> {
    proptest::option::weighted(
        0.4,
        prop_oneof![
            (-2i64..=2, any::<bool>()).prop_map(|(delta, wide)| Ext::Edge(delta, wide)),
            any::<String>().prop_map(Ext::Text),
        ],
    )
}

/// Everything `decide` reads: what the client sent (`request`), and what the server supplies
/// (`actor`, and `message` with its conversation's kind).
#[derive(Debug, Clone)]
struct Case {
    policy: RecallPolicy,
    request: RecallRequest,
    actor: Actor,
    message: StoredMessage,
    now: Timestamp,
}

impl Case {
    fn decide(&self) -> Result<Decision, Refusal> {
        self.decide_at(self.now)
    }

    fn decide_at(&self, now: Timestamp) -> Result<Decision, Refusal> {
        decide(&self.policy, &self.request, &self.actor, &self.message, now)
    }

    fn recall(&self) -> Result<RecallNotification, Refusal> {
        recall(
            &self.policy,
            &self.request,
            &self.actor,
            &self.message,
            self.now,
        )
    }

    fn window_ms(&self) -> i64 {
        i64::from(self.policy.window_secs()) * 1000
    }

    fn is_sender(&self) -> bool {
        self.actor.user_id == self.message.sender_id
    }

    /// Puts the message in a group or a room.
    fn grouped(&mut self, room: bool) {
        self.message.conversation.kind = if room {
            ConversationKind::Room
        } else {
            ConversationKind::Group
        };
    }
}

fn case() -> impl Strategy<Value = Case> {
    (
        policy(),
        (conversation_id(), message_id()),
        (user(), proptest::option::weighted(0.85, role()), ext()),
        (
            message_id(),
            conversation_id(),
            stored_conversation_kind(),
            user(),
        ),
        (
            proptest::option::weighted(0.85, role()),
            kind(),
            state(),
            timestamp(),
        ),
        now(),
    )
        .prop_map(
            |(
                policy,
                (conversation, asked),
                (actor, actor_role, ext),
                (stored, stored_conversation, conversation_kind, sender),
                (sender_role, kind, state, sent_at),
                now,
            )| {
                let window_ms = i64::from(policy.window_secs()) * 1000;
                let max_ext = i64::from(policy.max_ext_bytes());
                let ext = ext.map(|ext| match ext {
                    Ext::Edge(delta, false) => "x".repeat((max_ext + delta).max(0) as usize),
                    // "é" is 2 bytes: a fill that may straddle the limit by one byte.
                    Ext::Edge(delta, true) => "é".repeat(((max_ext + delta).max(0) / 2) as usize),
                    Ext::Text(text) => text,
                });
                let now = match now {
                    Now::Edge(delta) => sent_at.saturating_add_millis(window_ms + delta),
                    Now::After(delta) => sent_at.saturating_add_millis(delta),
                    Now::Anywhere(at) => at,
                };
                Case {
                    policy,
                    request: RecallRequest {
                        conversation_id: conversation,
                        message_id: asked,
                        ext,
                    },
                    actor: Actor::new(actor, actor_role),
                    message: StoredMessage {
                        id: stored,
                        conversation: Conversation {
                            id: stored_conversation,
                            kind: conversation_kind,
                        },
                        sender_id: sender,
                        sender_role,
                        kind,
                        state,
                        sent_at,
                    },
                    now,
                }
            },
        )
}

/// A user other than `user`.
fn other_than(user: &UserId) -> UserId {
    let other = if user.as_str() == "zed" { "yan" } else { "zed" };
    UserId::new(other).unwrap()
}

// --- strategies for the wire formats: wider values than the rules need --------------------

/// Any valid id: up to 256 bytes, any character but a control character.
fn any_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[^\\p{Cc}]{1,40}",
        1 => select(vec!["a".repeat(256), "é".repeat(128), "\u{200b}".into(), "中".repeat(85)]),
    ]
    .prop_filter("1..=256 bytes", |id| (1..=256).contains(&id.len()))
}

fn any_timestamp() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        timestamp(),
        (Timestamp::MIN.unix_millis()..=Timestamp::MAX.unix_millis())
            .prop_map(|ms| Timestamp::from_unix_millis(ms).unwrap()),
        select(vec![Timestamp::MIN, Timestamp::MAX]),
    ]
}

/// `ext` as a payload: any UTF-8 (control characters included), up to 4096 bytes.
fn any_ext() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\"\\\\/]{0,32}",
        (0usize..=4096).prop_map(|n| "x".repeat(n)),
        Just("é".repeat(2048)),
    ])
}

fn any_conversation() -> impl Strategy<Value = Conversation> {
    (any_id(), any_conversation_kind()).prop_map(|(id, kind)| Conversation {
        id: ConversationId::new(id).unwrap(),
        kind,
    })
}

fn any_request() -> impl Strategy<Value = RecallRequest> {
    (any_id(), any_id(), any_ext()).prop_map(|(conversation, message, ext)| RecallRequest {
        conversation_id: ConversationId::new(conversation).unwrap(),
        message_id: MessageId::new(message).unwrap(),
        ext,
    })
}

fn any_actor() -> impl Strategy<Value = Actor> {
    (any_id(), proptest::option::of(role()))
        .prop_map(|(user, role)| Actor::new(UserId::new(user).unwrap(), role))
}

fn any_message() -> impl Strategy<Value = StoredMessage> {
    (
        (any_id(), any_conversation(), any_id()),
        (
            proptest::option::of(role()),
            kind(),
            state(),
            any_timestamp(),
        ),
    )
        .prop_map(
            |((id, conversation, sender), (sender_role, kind, state, sent_at))| StoredMessage {
                id: MessageId::new(id).unwrap(),
                conversation,
                sender_id: UserId::new(sender).unwrap(),
                sender_role,
                kind,
                state,
                sent_at,
            },
        )
}

fn any_notification() -> impl Strategy<Value = RecallNotification> {
    (
        any_conversation(),
        (any_id(), any_id(), any_id()),
        any_basis(),
        any_timestamp(),
        any_ext(),
    )
        .prop_map(
            |(conversation, (message, sender, operator), basis, recalled_at, ext)| {
                RecallNotification {
                    conversation,
                    message_id: MessageId::new(message).unwrap(),
                    sender_id: UserId::new(sender).unwrap(),
                    operator_id: UserId::new(operator).unwrap(),
                    basis,
                    recalled_at,
                    ext,
                }
            },
        )
}

fn any_decision() -> impl Strategy<Value = Decision> {
    (any_basis(), proptest::option::of(any_timestamp()))
        .prop_map(|(basis, deadline)| Decision { basis, deadline })
}

fn json_round_trip<T: Json + PartialEq + std::fmt::Debug>(value: &T) -> Result<(), TestCaseError> {
    let text = value.to_json();
    prop_assert_eq!(&T::from_json(&text)?, value, "{}", text);
    Ok(())
}

fn protobuf_round_trip<T: Protobuf + PartialEq + std::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let bytes = value.to_protobuf();
    prop_assert_eq!(&T::from_protobuf(&bytes)?, value);
    Ok(())
}

/// Cases per property: `default`, or `PROPTEST_CASES` for a deeper run
/// (`PROPTEST_CASES=100000 cargo test --release -p recall-core --test properties`).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

// --- the rules ----------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1024)))]

    /// Rule 8: in a group or room, an actor without a moderator role (a member, no role at
    /// all, or a role the policy does not list) never recalls someone else's message.
    #[test]
    fn a_non_moderator_never_recalls_another_users_message_in_a_group_or_room(
        mut case in case(),
        room in any::<bool>(),
        pick in any::<prop::sample::Index>(),
    ) {
        case.grouped(room);
        if case.is_sender() {
            case.message.sender_id = other_than(&case.actor.user_id);
        }
        let policy = case.policy;
        let mut non_moderator: Vec<Option<Role>> = vec![None, Some(Role::Member)];
        non_moderator.extend(
            Role::ALL.into_iter().filter(|&r| !policy.is_moderator(r)).map(Some),
        );
        case.actor.role = *pick.get(&non_moderator);

        let outcome = case.decide();
        prop_assert!(outcome.is_err(), "allowed: {:?}", outcome);
        prop_assert_ne!(outcome, Err(Refusal::InsufficientRole));
    }

    /// Rule 9: nothing is allowed on basis `sender` after `sent_at + window`, and the
    /// deadline given is exactly that instant (the same holds for a moderator who does not
    /// bypass the window).
    #[test]
    fn nothing_is_allowed_as_sender_after_the_deadline(mut case in case(), own in any::<bool>()) {
        if own {
            case.actor.user_id = case.message.sender_id.clone();
        }
        if let Ok(decision) = case.decide() {
            let deadline = case.message.sent_at.saturating_add_millis(case.window_ms());
            let window_applied = decision.basis == Basis::Sender
                || !case.policy.moderators_bypass_window();
            if window_applied {
                prop_assert!(case.now <= deadline, "{:?} allowed after {:?}", decision, deadline);
                prop_assert_eq!(decision.deadline, Some(deadline));
            } else {
                prop_assert_eq!(decision.deadline, None);
            }
        }
    }

    /// Rule 9 is monotonic in time: once `window_expired`, always `window_expired`.
    #[test]
    fn window_expired_stays_expired_for_any_later_now(
        mut case in case(),
        own in any::<bool>(),
        past in 1i64..=3_600_000,
        later in proptest::collection::vec(
            prop_oneof![0i64..=2_000, 0i64..=400 * DAY_MS, Just(i64::MAX)], 1..6),
    ) {
        // Put `now` just past the deadline, so that most cases expire.
        if own {
            case.actor.user_id = case.message.sender_id.clone();
        }
        case.now = case.message.sent_at.saturating_add_millis(case.window_ms() + past);
        if case.decide() == Err(Refusal::WindowExpired) {
            for delta in later {
                let at = case.now.saturating_add_millis(delta);
                prop_assert_eq!(case.decide_at(at), Err(Refusal::WindowExpired), "at {:?}", at);
            }
        }
    }

    /// Rule 7: `command` and `notification` messages are never recallable, whatever the
    /// policy lists in `excluded_kinds`.
    #[test]
    fn command_and_notification_messages_are_never_recallable(
        mut case in case(),
        kind in select(vec![MessageKind::Command, MessageKind::Notification]),
    ) {
        case.message.kind = kind;
        let outcome = case.decide();
        prop_assert!(outcome.is_err(), "a {:?} was recallable: {:?}", kind, outcome);
        // Refused by rule 7 or an earlier one.
        let reason = outcome.unwrap_err().reason();
        prop_assert!(reason.code() <= Reason::KindNotRecallable.code(), "{:?}", reason);
        prop_assert!(case.recall().is_err());
    }

    /// Rule 8 under `outrank`: a moderator recalls someone else's message only when their
    /// role is strictly higher than the sender's (a sender with no role counting as member).
    #[test]
    fn under_outrank_a_moderator_recalls_others_only_when_outranking_them(
        mut case in case(),
        room in any::<bool>(),
        actor_role in role(),
    ) {
        let mut config = case.policy.config();
        config.moderation = Moderation::Outrank;
        case.policy = RecallPolicy::new(&config).unwrap();
        case.grouped(room);
        case.actor.role = Some(actor_role);

        if let Ok(Decision { basis: Basis::Moderator, .. }) = case.decide()
            && !case.is_sender() {
                let sender_role = case.message.sender_role.unwrap_or(Role::Member);
                prop_assert!(actor_role > sender_role, "{:?} recalled {:?}", actor_role, sender_role);
            }
    }

    /// Direct chats: the actor's role plays no part (decisions.md 5).
    #[test]
    fn in_a_direct_chat_the_actors_role_does_not_matter(
        mut case in case(),
        other_role in proptest::option::of(role()),
    ) {
        case.message.conversation.kind = ConversationKind::Direct;
        let outcome = case.decide();
        case.actor.role = other_role;
        prop_assert_eq!(case.decide(), outcome);
    }

    /// Direct chats: the sender's role plays no part either.
    #[test]
    fn in_a_direct_chat_the_senders_role_does_not_matter(
        mut case in case(),
        other_role in proptest::option::of(role()),
    ) {
        case.message.conversation.kind = ConversationKind::Direct;
        let outcome = case.decide();
        case.message.sender_role = other_role;
        prop_assert_eq!(case.decide(), outcome);
    }

    /// Rule 5 reads the size of `ext`, never its content: the same number of ASCII bytes
    /// gives the same decision.
    #[test]
    fn only_the_length_of_ext_matters(case in case(), filler in "[ -~]") {
        let outcome = case.decide();
        let mut same_length = case.clone();
        same_length.request.ext = case.request.ext.as_ref().map(|ext| filler.repeat(ext.len()));
        prop_assert_eq!(same_length.decide(), outcome);
    }

    /// `decide` is a function of its inputs, and `recall` is `decide` plus the notification:
    /// allowed exactly when `decide` allows, on the same basis, refused with the same
    /// refusal. The notification names the stored message's conversation (id and kind, from
    /// the server's records) and the actor the server supplied, never anything else.
    #[test]
    fn decide_is_deterministic_and_recall_agrees_with_it(case in case()) {
        let outcome = case.decide();
        prop_assert_eq!(case.decide(), outcome);
        match (outcome, case.recall()) {
            (Ok(decision), Ok(notification)) => {
                prop_assert_eq!(notification.basis, decision.basis);
                prop_assert_eq!(&notification.conversation, &case.message.conversation);
                prop_assert_eq!(&notification.message_id, &case.message.id);
                prop_assert_eq!(&notification.sender_id, &case.message.sender_id);
                prop_assert_eq!(&notification.operator_id, &case.actor.user_id);
                prop_assert_eq!(notification.recalled_at, case.now);
                prop_assert_eq!(&notification.ext, &case.request.ext);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "decide gave {:?}, recall gave {:?}", a, b),
        }
    }

    /// Rule 2, the part `decide` checks: a server never decides on a conversation kind this
    /// version does not know (spec 8.3.1). It is `invalid_argument`, right after the
    /// 4096-byte `ext` check of 4.4 and ahead of every later rule, for `decide` and `recall`
    /// alike.
    #[test]
    fn an_unknown_conversation_kind_is_refused_before_any_later_rule(mut case in case()) {
        case.message.conversation.kind = ConversationKind::Unknown;
        let beyond_any_policy = case.request.ext.as_ref().is_some_and(|ext| ext.len() > 4096);
        let expected = if beyond_any_policy {
            Refusal::ExtTooLarge
        } else {
            Refusal::UnknownConversationKind
        };
        prop_assert_eq!(case.decide(), Err(expected));
        prop_assert_eq!(case.recall(), Err(expected));
        prop_assert_eq!(Refusal::UnknownConversationKind.reason(), Reason::InvalidArgument);
    }

    /// Every refusal is one reason of the table, from rule 2 (`invalid_argument`) to rule 9
    /// (`window_expired`): never a reason of the decoders or the client (spec 9.3).
    #[test]
    fn every_refusal_maps_to_a_reason_of_rules_2_to_9(case in case()) {
        if let Err(refusal) = case.decide() {
            let reason = Reason::from(refusal);
            prop_assert_eq!(reason, refusal.reason());
            prop_assert!(reason.is_known());
            prop_assert!(
                (Reason::InvalidArgument.code()..=Reason::WindowExpired.code())
                    .contains(&reason.code()),
                "{:?} is {:?}", refusal, reason
            );
        }
    }

    /// Rules 3 and 4 hold before any later one: a message of another conversation (or
    /// another id) is `not_found`, whoever asks, and never reached by a role held elsewhere —
    /// save a conversation kind this version does not know (rule 2), and an `ext` no policy
    /// allows (past 4096 bytes), refused right after rule 2 on every path (spec 4.4).
    #[test]
    fn ids_from_another_conversation_are_not_found(
        mut case in case(),
        other in select(vec!["c2", "C1", "c1\u{200b}"]),
    ) {
        case.message.conversation.id = ConversationId::new(other).unwrap();
        case.request.conversation_id = ConversationId::new("c1").unwrap();
        let beyond_any_policy = case.request.ext.as_ref().is_some_and(|ext| ext.len() > 4096);
        let expected = if beyond_any_policy {
            Refusal::ExtTooLarge
        } else if case.message.conversation.kind == ConversationKind::Unknown {
            Refusal::UnknownConversationKind
        } else {
            Refusal::NotFound
        };
        prop_assert_eq!(case.decide(), Err(expected));
    }

    /// Clock skew: a `now` before `sent_at` counts as no time elapsed, so it decides as
    /// `now == sent_at` does.
    #[test]
    fn a_now_before_sent_at_decides_as_at_sent_at(
        case in case(),
        skew in prop_oneof![1i64..=2_000, 1i64..=400 * DAY_MS],
    ) {
        let early = case.message.sent_at.saturating_add_millis(-skew);
        prop_assert_eq!(case.decide_at(early), case.decide_at(case.message.sent_at));
    }
}

// --- the wire formats ---------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    #[test]
    fn json_round_trip_is_lossless_for_a_request(request in any_request()) {
        json_round_trip(&request)?;
    }

    #[test]
    fn json_round_trip_is_lossless_for_a_stored_message(message in any_message()) {
        json_round_trip(&message)?;
    }

    #[test]
    fn json_round_trip_is_lossless_for_a_notification(notification in any_notification()) {
        json_round_trip(&notification)?;
    }

    #[test]
    fn json_round_trip_is_lossless_for_a_policy(policy in policy()) {
        json_round_trip(&policy)?;
        // And the normalized configuration builds the same policy.
        prop_assert_eq!(RecallPolicy::new(&policy.config()), Ok(policy));
    }

    #[test]
    fn json_round_trip_is_lossless_for_a_decision(decision in any_decision()) {
        json_round_trip(&decision)?;
    }

    #[test]
    fn json_round_trip_is_lossless_for_decisions_and_notifications_of_real_cases(
        case in case(),
    ) {
        if let Ok(decision) = case.decide() {
            json_round_trip(&decision)?;
        }
        if let Ok(notification) = case.recall() {
            json_round_trip(&notification)?;
            protobuf_round_trip(&notification)?;
        }
        // Decoders refuse an `ext` past 4096 bytes, the most any policy allows.
        if case.request.ext.as_ref().is_some_and(|ext| ext.len() > 4096) {
            prop_assert_eq!(RecallRequest::from_json(&case.request.to_json()).map_err(Reason::from), Err(Reason::ExtTooLarge));
        } else {
            json_round_trip(&case.request)?;
        }
        json_round_trip(&case.actor)?;
        json_round_trip(&case.message)?;
    }

    #[test]
    fn json_round_trip_is_lossless_for_an_actor(actor in any_actor()) {
        json_round_trip(&actor)?;
    }

    #[test]
    fn protobuf_round_trip_is_lossless_for_a_request(request in any_request()) {
        protobuf_round_trip(&request)?;
    }

    #[test]
    fn protobuf_round_trip_is_lossless_for_a_notification(notification in any_notification()) {
        protobuf_round_trip(&notification)?;
    }

    /// Reasons of the table and of a newer peer alike (spec 9.2).
    #[test]
    fn protobuf_round_trip_is_lossless_for_a_rejection(reason in any_reason()) {
        let rejection = RecallRejection { reason };
        protobuf_round_trip(&rejection)?;
        json_round_trip(&rejection)?;
    }

    /// Spec 4.1.1 and 8.7.3: a request that still carries what the first drafts sent — field
    /// 1, a conversation with a kind, and field 3, an actor with a role — and fields a newer
    /// client adds, decodes to the request it names, without them; in JSON likewise (8.4).
    /// Without field 5, what an old client sends names no conversation: `invalid_argument`.
    #[test]
    fn a_request_claiming_an_actor_decodes_without_the_claim(
        request in any_request(),
        claimed in (any_actor(), any_conversation(), any::<i32>()),
    ) {
        let (actor, conversation, role_number) = claimed;
        let mut fields = serde_json::Map::new();
        fields.insert("actor".into(), serde_json::from_str(&actor.to_json()).unwrap());
        fields.insert(
            "conversation".into(),
            serde_json::from_str(&serde_json::to_string(&conversation).unwrap()).unwrap(),
        );
        fields.insert("priority".into(), 3.into());
        let serde_json::Value::Object(mut json) = serde_json::from_str(&request.to_json()).unwrap()
        else {
            unreachable!("a request is a JSON object")
        };
        json.extend(fields);
        let json = serde_json::Value::Object(json).to_string();
        prop_assert_eq!(RecallRequest::from_json(&json), Ok(request.clone()), "{}", json);

        let wire = request.to_proto();
        let mut old = OldRequest {
            conversation: Some(proto::Conversation {
                id: conversation.id.to_string(),
                kind: role_number,
            }),
            message_id: wire.message_id,
            actor: Some(OldActor {
                user_id: actor.user_id.to_string(),
                role: role_number,
            }),
            ext: wire.ext,
            conversation_id: wire.conversation_id,
        };
        let bytes = prost::Message::encode_to_vec(&old);
        prop_assert_eq!(RecallRequest::from_protobuf(&bytes), Ok(request));
        old.conversation_id = String::new();
        let bytes = prost::Message::encode_to_vec(&old);
        prop_assert_eq!(RecallRequest::from_protobuf(&bytes).map_err(Reason::from), Err(Reason::InvalidArgument));
    }

    /// Spec 8.3 and 8.3.1, protobuf: a conversation kind or basis number this version does not
    /// list, 0 included, decodes to the unknown kind or basis, and is written back as 0; the
    /// recall is kept.
    #[test]
    fn protobuf_kinds_and_bases_of_a_newer_peer_decode_as_unknown(
        notification in any_notification(),
        kind in prop_oneof![0i32..=5, any::<i32>()],
        basis in prop_oneof![0i32..=4, any::<i32>()],
    ) {
        let mut wire = notification.to_proto();
        wire.conversation.as_mut().unwrap().kind = kind;
        wire.basis = basis;
        let decoded = RecallNotification::from_protobuf(&prost::Message::encode_to_vec(&wire))?;
        let expected_kind = match kind {
            1 => ConversationKind::Direct,
            2 => ConversationKind::Group,
            3 => ConversationKind::Room,
            _ => ConversationKind::Unknown,
        };
        let expected_basis = match basis {
            1 => Basis::Sender,
            2 => Basis::Moderator,
            _ => Basis::Unknown,
        };
        prop_assert_eq!(decoded.conversation.kind, expected_kind);
        prop_assert_eq!(decoded.basis, expected_basis);
        let again = decoded.to_proto();
        let known = |value: i32, last: i32| if (1..=last).contains(&value) { value } else { 0 };
        prop_assert_eq!(again.conversation.unwrap().kind, known(kind, 3));
        prop_assert_eq!(again.basis, known(basis, 2));
        prop_assert_eq!(&decoded.message_id, &notification.message_id);
    }

    /// Spec 8.3.1 and 8.7.1, JSON: a kind or basis string this version does not list decodes
    /// to the unknown kind or basis, written back as `"unknown"`.
    #[test]
    fn json_kinds_and_bases_of_a_newer_peer_decode_as_unknown(
        notification in any_notification(),
        kind in prop_oneof![
            select(vec!["direct", "group", "room", "unknown", "Group", "channel"]).prop_map(String::from),
            "[a-z_]{0,12}",
        ],
        basis in prop_oneof![
            select(vec!["sender", "moderator", "unknown", "Sender", "system"]).prop_map(String::from),
            "[a-z_]{0,12}",
        ],
    ) {
        let serde_json::Value::Object(mut json) = serde_json::from_str(&notification.to_json()).unwrap()
        else {
            unreachable!("a notification is a JSON object")
        };
        json["conversation"]["kind"] = kind.clone().into();
        json["basis"] = basis.clone().into();
        let decoded = RecallNotification::from_json(&serde_json::Value::Object(json).to_string())?;
        let expected_kind = match kind.as_str() {
            "direct" => ConversationKind::Direct,
            "group" => ConversationKind::Group,
            "room" => ConversationKind::Room,
            _ => ConversationKind::Unknown,
        };
        let expected_basis = match basis.as_str() {
            "sender" => Basis::Sender,
            "moderator" => Basis::Moderator,
            _ => Basis::Unknown,
        };
        prop_assert_eq!(decoded.conversation.kind, expected_kind);
        prop_assert_eq!(decoded.basis, expected_basis);
        let again: serde_json::Value = serde_json::from_str(&decoded.to_json()).unwrap();
        let written = |value: &str, known: &[&str]| {
            if known.contains(&value) { value.to_owned() } else { "unknown".to_owned() }
        };
        prop_assert_eq!(&again["conversation"]["kind"], &written(&kind, &["direct", "group", "room"]));
        prop_assert_eq!(&again["basis"], &written(&basis, &["sender", "moderator"]));
    }

    /// Spec 8.3, 8.7.5 and 9.2: a rejection's code decodes to the table's reason, or to an
    /// unknown reason keeping a code the table does not have; 0, negative codes and codes past
    /// 65,535 are `invalid_argument`. In JSON a code of the table comes only with its own id,
    /// an id of the table only with its own code, and a code the table does not have with any
    /// other well-formed id.
    #[test]
    fn a_rejection_code_decodes_as_the_spec_says(
        code in prop_oneof![0i32..=40, any::<i32>(), 65_530i32..=65_540],
        id in prop_oneof![
            select(Reason::ALL.iter().map(|reason| reason.id().to_owned()).collect::<Vec<_>>()),
            "[a-z_]{1,16}",
        ],
    ) {
        let decoded = RecallRejection::from_protobuf(
            &prost::Message::encode_to_vec(&proto::RecallRejection { reason: code }),
        );
        let expected = u16::try_from(code).ok().and_then(Reason::with_code);
        match expected {
            Some(reason) => {
                prop_assert_eq!(decoded, Ok(RecallRejection { reason }));
                prop_assert_eq!(reason.code(), u16::try_from(code).unwrap());
                let table = Reason::ALL.iter().any(|known| i32::from(known.code()) == code);
                prop_assert_eq!(reason.is_known(), table);
            }
            None => prop_assert_eq!(decoded, Err(Reason::InvalidArgument.into())),
        }

        let json = format!(r#"{{"reason":"{id}","code":{code}}}"#);
        let expected = match expected {
            Some(reason) if reason.is_known() && reason.id() == id => Ok(RecallRejection { reason }),
            Some(reason) if !reason.is_known() && Reason::from_id(&id).is_none() => {
                Ok(RecallRejection { reason })
            }
            _ => Err(Reason::InvalidArgument),
        };
        prop_assert_eq!(RecallRejection::from_json(&json).map_err(Reason::from), expected, "{}", json);
    }
}

/// What a client of the first drafts sent (spec 8.7.3: fields 1 and 3, now reserved), with
/// field 5 for the cases that also name the conversation as today.
#[derive(Clone, PartialEq, prost::Message)]
struct OldRequest {
    #[prost(message, optional, tag = "1")]
    conversation: Option<proto::Conversation>,
    #[prost(string, tag = "2")]
    message_id: String,
    #[prost(message, optional, tag = "3")]
    actor: Option<OldActor>,
    #[prost(string, optional, tag = "4")]
    ext: Option<String>,
    #[prost(string, tag = "5")]
    conversation_id: String,
}

/// The retired `Actor` message: a user id and a role number.
#[derive(Clone, PartialEq, prost::Message)]
struct OldActor {
    #[prost(string, tag = "1")]
    user_id: String,
    #[prost(int32, tag = "2")]
    role: i32,
}

/// The properties above are only as good as the cases they see: the generated cases reach
/// every refusal of `decide` and both bases, with and without a deadline.
#[test]
fn generated_cases_reach_every_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeMap;

    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..4000 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let outcome = match case.decide() {
            Ok(decision) => format!("{:?}/{}", decision.basis, decision.deadline.is_some()),
            Err(refusal) => refusal.reason().id().to_owned(),
        };
        *seen.entry(outcome).or_default() += 1;
    }
    let expected = [
        "invalid_argument",
        "Sender/true",
        "Moderator/true",
        "Moderator/false",
        "not_found",
        "not_in_conversation",
        "ext_too_large",
        "not_sent",
        "already_recalled",
        "kind_not_recallable",
        "not_sender",
        "insufficient_role",
        "window_expired",
    ];
    for outcome in expected {
        assert!(
            seen.get(outcome).copied().unwrap_or(0) >= 20,
            "{outcome} is rare or missing: {seen:?}"
        );
    }
    eprintln!("{seen:?}");
}
