//! Benchmarks of `decide` and `recall` (issue "Performance: benchmarks and budgets").
//!
//! One decision per path: the two allowed bases (a sender within the window, a moderator
//! bypassing it) and every refusal `decide` can return (rule 2's unknown conversation kind,
//! rules 3 to 9 of spec §4). Then `recall`, which decides and builds the notification (it
//! allocates), and a "screen": the 50 decisions an app makes to draw one screen of messages
//! ("offer Recall in this message's menu?"). The actor is an input of its own, as the server
//! (or the app, for its own menu) supplies it.
//!
//! Budget: a Rust decision takes at most 100 ns. Results and how to read them:
//! `BENCHMARKS.md` at the top of the repository.
//!
//! ```sh
//! cargo bench -p recall-core --bench decide -- --warm-up-time 1 --measurement-time 3
//! ```

use criterion::{Criterion, Throughput, criterion_group};
use recall_core::{
    Actor, Basis, Conversation, ConversationId, ConversationKind, MessageId, MessageKind,
    MessageState, RecallPolicy, RecallRequest, Refusal, Role, StoredMessage, Timestamp, UserId,
    decide, recall,
};
use std::hint::black_box;

/// Ids shaped like a real server's: prefixed ULIDs and UUIDs, 26 to 38 bytes.
const GROUP: &str = "grp_01JH8Z6Q4V9N2K7X3M5R8T1W0C";
const DIRECT: &str = "dm_01JH8Z7A2B3C4D5E6F7G8H9J0K";
const MESSAGE: &str = "msg_01JH8ZB3W5Y7Q9S1U3W5Y7A9C2";
const OTHER_MESSAGE: &str = "msg_01JH8ZB3W5Y7Q9S1U3W5Y7A9C3";
const ALICE: &str = "usr_3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c";
const BOB: &str = "usr_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const OLGA: &str = "usr_0c1d2e3f-4a5b-4c6d-9e7f-8a9b0c1d2e3f";
/// An `ext` of 20 bytes, as an app sends a short reason.
const EXT: &str = "sent to wrong chat:)";

/// 2026-01-01T00:00:00.000Z, when the message was sent.
const SENT_AT_MS: i64 = 1_767_225_600_000;

fn at(offset_ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(SENT_AT_MS + offset_ms).unwrap()
}

fn request(conversation: &str) -> RecallRequest {
    RecallRequest {
        conversation_id: ConversationId::new(conversation).unwrap(),
        message_id: MessageId::new(MESSAGE).unwrap(),
        ext: Some(EXT.to_owned()),
    }
}

fn actor(user: &str, role: Option<Role>) -> Actor {
    Actor::new(UserId::new(user).unwrap(), role)
}

/// Alice's text message in the group, sent and stored.
fn message() -> StoredMessage {
    StoredMessage {
        id: MessageId::new(MESSAGE).unwrap(),
        conversation: Conversation {
            id: ConversationId::new(GROUP).unwrap(),
            kind: ConversationKind::Group,
        },
        sender_id: UserId::new(ALICE).unwrap(),
        sender_role: Some(Role::Member),
        kind: MessageKind::Text,
        state: MessageState::Sent,
        sent_at: at(0),
    }
}

/// One benchmark case: what `decide` is asked, and what it must answer.
struct Case {
    name: &'static str,
    request: RecallRequest,
    actor: Actor,
    message: StoredMessage,
    now: Timestamp,
    expected: Result<Basis, Refusal>,
}

fn cases() -> Vec<Case> {
    let in_group = request(GROUP);
    let alice = actor(ALICE, Some(Role::Member));
    let sent = message();
    let within = at(60_000); // one minute after sending: inside the default 2-minute window
    let case =
        |name, request: &RecallRequest, actor: &Actor, message: &StoredMessage, now, expected| {
            Case {
                name,
                request: request.clone(),
                actor: actor.clone(),
                message: message.clone(),
                now,
                expected,
            }
        };

    let mut direct_message = sent.clone();
    direct_message.conversation = Conversation {
        id: ConversationId::new(DIRECT).unwrap(),
        kind: ConversationKind::Direct,
    };
    direct_message.sender_role = None;
    let mut unknown_kind = sent.clone();
    unknown_kind.conversation.kind = ConversationKind::Unknown;
    let mut other_message = in_group.clone();
    other_message.message_id = MessageId::new(OTHER_MESSAGE).unwrap();
    let mut big_ext = in_group.clone();
    big_ext.ext = Some("x".repeat(201));
    let with_state = |state| StoredMessage {
        state,
        ..sent.clone()
    };
    let mut command = sent.clone();
    command.kind = MessageKind::Command;
    let mut by_owner = sent.clone();
    by_owner.sender_role = Some(Role::Owner);

    vec![
        case(
            "allowed/sender",
            &in_group,
            &alice,
            &sent,
            within,
            Ok(Basis::Sender),
        ),
        case(
            "allowed/sender_direct",
            &request(DIRECT),
            &actor(ALICE, None),
            &direct_message,
            within,
            Ok(Basis::Sender),
        ),
        case(
            "allowed/moderator_bypassing_window",
            &in_group,
            &actor(OLGA, Some(Role::Owner)),
            &sent,
            at(3_600_000),
            Ok(Basis::Moderator),
        ),
        case(
            "refused/unknown_conversation_kind",
            &in_group,
            &alice,
            &unknown_kind,
            within,
            Err(Refusal::UnknownConversationKind),
        ),
        case(
            "refused/not_found",
            &other_message,
            &alice,
            &sent,
            within,
            Err(Refusal::NotFound),
        ),
        case(
            "refused/not_in_conversation",
            &in_group,
            &actor(ALICE, None),
            &sent,
            within,
            Err(Refusal::NotInConversation),
        ),
        case(
            "refused/ext_too_large",
            &big_ext,
            &alice,
            &sent,
            within,
            Err(Refusal::ExtTooLarge),
        ),
        case(
            "refused/not_sent",
            &in_group,
            &alice,
            &with_state(MessageState::Sending),
            within,
            Err(Refusal::NotSent),
        ),
        case(
            "refused/already_recalled",
            &in_group,
            &alice,
            &with_state(MessageState::Recalled),
            within,
            Err(Refusal::AlreadyRecalled),
        ),
        case(
            "refused/kind_not_recallable",
            &in_group,
            &alice,
            &command,
            within,
            Err(Refusal::KindNotRecallable),
        ),
        case(
            "refused/not_sender",
            &in_group,
            &actor(BOB, Some(Role::Member)),
            &sent,
            within,
            Err(Refusal::NotSender),
        ),
        case(
            "refused/insufficient_role",
            &in_group,
            &actor(BOB, Some(Role::Admin)),
            &by_owner,
            within,
            Err(Refusal::InsufficientRole),
        ),
        case(
            "refused/window_expired",
            &in_group,
            &alice,
            &sent,
            at(120_001),
            Err(Refusal::WindowExpired),
        ),
    ]
}

fn bench_decide(c: &mut Criterion) {
    let policy = RecallPolicy::DEFAULT;
    let mut group = c.benchmark_group("decide");
    group.throughput(Throughput::Elements(1));
    for case in cases() {
        let outcome = decide(&policy, &case.request, &case.actor, &case.message, case.now);
        assert_eq!(
            outcome.map(|decision| decision.basis),
            case.expected,
            "{}",
            case.name
        );
        group.bench_function(case.name, |b| {
            b.iter(|| {
                decide(
                    black_box(&policy),
                    black_box(&case.request),
                    black_box(&case.actor),
                    black_box(&case.message),
                    black_box(case.now),
                )
            });
        });
    }
    group.finish();
}

fn bench_recall(c: &mut Criterion) {
    let policy = RecallPolicy::DEFAULT;
    let mut group = c.benchmark_group("recall");
    group.throughput(Throughput::Elements(1));
    let cases = cases();
    for name in ["allowed/sender", "allowed/moderator_bypassing_window"] {
        let case = cases.iter().find(|case| case.name == name).unwrap();
        let notification =
            recall(&policy, &case.request, &case.actor, &case.message, case.now).unwrap();
        assert_eq!(Ok(notification.basis), case.expected, "{name}");
        // The notification is built and dropped in each iteration: both allocate or free
        // five strings (four ids and `ext`).
        group.bench_function(name, |b| {
            b.iter(|| {
                recall(
                    black_box(&policy),
                    black_box(&case.request),
                    black_box(&case.actor),
                    black_box(&case.message),
                    black_box(case.now),
                )
            });
        });
    }
    group.finish();
}

/// Messages on one screen of a chat.
const SCREEN: usize = 50;

/// One screen of a busy group: 50 messages, one every 6 seconds, the newest just sent;
/// every fourth is the app user's own (Alice), the rest from five other members. For each,
/// the app asks whether to offer "Recall" in the message's menu, and until when. Alice's
/// most recent messages are inside the 2-minute window, her older ones are not, and the
/// others' are not hers: a mix of allowed, `window_expired` and `not_sender`.
fn screen() -> (Actor, Vec<(RecallRequest, StoredMessage)>, Timestamp) {
    let now = at(SCREEN as i64 * 6_000);
    let pairs = (0..SCREEN)
        .map(|i| {
            let id = format!("msg_01JH8ZB3W5Y7Q9S1U3W5Y7{i:04}");
            let sender = if i % 4 == 0 {
                ALICE.to_owned()
            } else {
                format!("usr_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6{}", i % 5)
            };
            let message = StoredMessage {
                id: MessageId::new(id.as_str()).unwrap(),
                conversation: Conversation {
                    id: ConversationId::new(GROUP).unwrap(),
                    kind: ConversationKind::Group,
                },
                sender_id: UserId::new(sender).unwrap(),
                sender_role: Some(Role::Member),
                kind: MessageKind::Text,
                state: MessageState::Sent,
                sent_at: at(i as i64 * 6_000),
            };
            let request = RecallRequest::new(
                ConversationId::new(GROUP).unwrap(),
                MessageId::new(id).unwrap(),
            );
            (request, message)
        })
        .collect();
    (actor(ALICE, Some(Role::Member)), pairs, now)
}

/// Decides every message of `screen` for the app's user; returns how many may be recalled.
fn decide_screen(
    policy: &RecallPolicy,
    me: &Actor,
    screen: &[(RecallRequest, StoredMessage)],
    now: Timestamp,
) -> usize {
    let mut offered = 0_usize;
    for (request, message) in screen {
        if black_box(decide(policy, request, me, message, now)).is_ok() {
            offered += 1;
        }
    }
    offered
}

fn bench_screen(c: &mut Criterion) {
    let policy = RecallPolicy::DEFAULT;
    let (me, screen, now) = screen();
    let offered = decide_screen(&policy, &me, &screen, now);
    assert!(
        offered > 0 && offered < SCREEN / 4,
        "a mix of allowed and refused: {offered}"
    );

    let mut group = c.benchmark_group("screen");
    group.throughput(Throughput::Elements(SCREEN as u64));
    group.bench_function("decide_50_messages", |b| {
        b.iter(|| {
            decide_screen(
                black_box(&policy),
                black_box(&me),
                black_box(&screen),
                black_box(now),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, bench_decide, bench_recall, bench_screen);

/// Runs one benchmark's routine `times` times, without criterion: `name` is a benchmark's
/// full id, e.g. `decide/allowed/sender`, `recall/allowed/sender`,
/// `screen/decide_50_messages`.
fn repeat(name: &str, times: u64) {
    let policy = RecallPolicy::DEFAULT;
    let cases = cases();
    let case = |id: &str| {
        cases
            .iter()
            .find(|case| case.name == id)
            .unwrap_or_else(|| panic!("RECALL_BENCH_CASE: no benchmark {name:?}"))
    };
    if name == "screen/decide_50_messages" {
        let (me, screen, now) = screen();
        for _ in 0..times {
            black_box(decide_screen(
                black_box(&policy),
                black_box(&me),
                black_box(&screen),
                black_box(now),
            ));
        }
    } else if let Some(id) = name.strip_prefix("recall/") {
        let case = case(id);
        for _ in 0..times {
            black_box(recall(
                black_box(&policy),
                black_box(&case.request),
                black_box(&case.actor),
                black_box(&case.message),
                black_box(case.now),
            ))
            .ok();
        }
    } else {
        let case = case(name.strip_prefix("decide/").unwrap_or(name));
        for _ in 0..times {
            black_box(decide(
                black_box(&policy),
                black_box(&case.request),
                black_box(&case.actor),
                black_box(&case.message),
                black_box(case.now),
            ))
            .ok();
        }
    }
}

/// Runs the criterion benchmarks; or, with `RECALL_BENCH_REPEAT=N` set, only runs one
/// benchmark's routine N times (`RECALL_BENCH_CASE`, a full id, default
/// `decide/allowed/sender`) and exits. That mode is for counting instructions, a figure that
/// does not depend on the machine's load: the difference between N = 1000000 and N = 0,
/// divided by 1000000, is the instructions of one iteration. See `BENCHMARKS.md`.
///
/// ```sh
/// RECALL_BENCH_REPEAT=1000000 valgrind --tool=callgrind --callgrind-out-file=/dev/null BENCH_BINARY
/// ```
fn main() {
    if let Ok(times) = std::env::var("RECALL_BENCH_REPEAT") {
        let times = times.parse().expect("RECALL_BENCH_REPEAT: a number");
        let name = std::env::var("RECALL_BENCH_CASE");
        repeat(name.as_deref().unwrap_or("decide/allowed/sender"), times);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
