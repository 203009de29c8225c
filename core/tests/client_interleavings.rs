//! Every interleaving of an app's threads (spec 6.7, 6.8): a thread that receives a message
//! and a thread that receives a recall of it share one recall state and one message store.
//! Each call on the state is atomic (the bindings' state holds a lock), and so is each read or
//! write of the store; between them, the other threads may run. This test runs every order of
//! those steps, for each case below, and checks that the recalled content is never left
//! visible at the end, that `show` is never answered while a recall of the message is
//! remembered, and that every tombstone stored is the one the state names.
//!
//! With the contract of spec 6.7 and 6.8 the threads' steps are:
//!
//! - message thread: **store** the message (findable by the recall lookup, not shown; dropped
//!   when its id is already held), **ask** `on_message`, **apply** the answer (`show`: show
//!   what is stored; `tombstone`: replace what is stored);
//! - recall thread: **take** the recall (`on_recall` or `on_legacy_command`), **look up** the
//!   held message, **settle**, **apply** the answer (`applied`: replace the held message).
//!
//! The test also shows that each rule is needed. With the earlier one-call
//! `on_recall(recall, held, now)` (look up, then take and answer in one call) the order
//! *look up (nothing) < store < ask (`show`) < take (`remembered`)* leaves the content
//! visible; so does asking `on_message` before storing the message
//! (*ask (`show`) < take < look up (nothing) < settle < store and show*).

use recall_core::{
    Arrival, ArrivingMessage, Basis, ClientLimits, Conversation, ConversationKind, HeldMessage,
    LegacyCommand, PendingRecall, RecallNotification, RecallOutcome, RecallState, Timestamp,
    Tombstone, UserId,
};

/// How the app's threads use the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    /// The contract of spec 6.7 and 6.8: two phases for a recall, store then ask a message.
    Contract,
    /// The earlier API: look up, then one call that takes and answers the recall.
    OneCall,
    /// Two phases for a recall, but a message asked about before it is stored.
    AskThenStore,
}

/// A recall of the story's message, `m1` by `alice` in group `g1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recall {
    /// Alice recalls her message.
    Sender,
    /// Olga, an admin, recalls it, with a reason.
    Moderator,
    /// Alice's old app sends a `REVOKE_FLAG` command.
    Legacy,
    /// Mallory's legacy command for Alice's message: it names Mallory as the sender.
    Forged,
}

impl Recall {
    fn notification(self) -> RecallNotification {
        let (sender, operator, basis, ext) = match self {
            Recall::Sender | Recall::Legacy => ("alice", "alice", Basis::Sender, None),
            Recall::Moderator => ("alice", "olga", Basis::Moderator, Some("spam".to_owned())),
            Recall::Forged => ("mallory", "mallory", Basis::Sender, None),
        };
        RecallNotification {
            conversation: Conversation {
                id: "g1".try_into().unwrap(),
                kind: ConversationKind::Group,
            },
            message_id: "m1".try_into().unwrap(),
            sender_id: user(sender),
            operator_id: user(operator),
            basis,
            recalled_at: at(0),
            ext,
        }
    }

    /// Whether it recalls the story's message (its key is the message's).
    fn genuine(self) -> bool {
        self != Recall::Forged
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Thread {
    /// The message arrives.
    Message,
    /// A recall of it arrives.
    Recall(Recall),
}

fn user(name: &str) -> UserId {
    name.try_into().unwrap()
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_767_225_600_000 + secs * 1000).unwrap()
}

fn message() -> ArrivingMessage {
    ArrivingMessage {
        id: "m1".try_into().unwrap(),
        conversation_id: "g1".try_into().unwrap(),
        sender_id: user("alice"),
    }
}

/// What the app stores for the message (its store holds one message here).
#[derive(Debug, Clone, Default)]
struct Stored {
    content: Option<&'static str>,
    tombstone: Option<Tombstone>,
    shown: bool,
}

impl Stored {
    /// What a recall's lookup passes for it: flags as the app knows them.
    fn held(&self) -> HeldMessage {
        let message = message();
        HeldMessage {
            id: message.id,
            conversation_id: message.conversation_id,
            sender_id: message.sender_id,
            recalled: self.tombstone.is_some(),
            unread: self.shown,
            latest: self.shown,
            has_attachments: true,
            notification_shown: self.shown,
        }
    }

    fn replace(&mut self, tombstone: Tombstone) {
        self.content = None;
        self.tombstone = Some(tombstone);
    }
}

/// One thread's progress: what its earlier steps left for its later ones.
#[derive(Debug, Default)]
struct Local {
    done: bool,
    arrival: Option<Arrival<()>>,
    pending: Option<PendingRecall>,
    held: Option<HeldMessage>,
    outcome: Option<RecallOutcome>,
}

/// The state, the store, and each thread's progress.
struct World {
    protocol: Protocol,
    state: RecallState,
    store: Option<Stored>,
    threads: Vec<(Thread, Local)>,
    /// A genuine recall was taken: the content must end up hidden.
    recalled: bool,
    trace: Vec<String>,
}

impl World {
    fn new(protocol: Protocol, threads: &[Thread]) -> Self {
        World {
            protocol,
            state: RecallState::new(user("carol"), ClientLimits::DEFAULT),
            store: None,
            threads: threads.iter().map(|&t| (t, Local::default())).collect(),
            recalled: false,
            trace: Vec::new(),
        }
    }

    fn steps(protocol: Protocol, thread: Thread) -> usize {
        match (protocol, thread) {
            (Protocol::AskThenStore, Thread::Message) => 2,
            (_, Thread::Message) => 3,
            (Protocol::OneCall, Thread::Recall(_)) => 3,
            (_, Thread::Recall(_)) => 4,
        }
    }

    /// Runs step `step` of thread `index`.
    fn run(&mut self, index: usize, step: usize) {
        let now = at(i64::try_from(self.trace.len()).unwrap() + 1);
        let (thread, mut local) = std::mem::replace(
            &mut self.threads[index],
            (Thread::Message, Local::default()),
        );
        if !local.done {
            let what = match thread {
                Thread::Message => self.message_step(&mut local, step, now),
                Thread::Recall(recall) => self.recall_step(recall, &mut local, step, now),
            };
            self.trace.push(format!("{index}:{what}"));
        }
        self.threads[index] = (thread, local);
    }

    fn message_step(&mut self, local: &mut Local, step: usize, now: Timestamp) -> String {
        match (self.protocol, step) {
            (Protocol::AskThenStore, 0) | (Protocol::Contract | Protocol::OneCall, 1) => {
                if self.protocol == Protocol::AskThenStore && self.store.is_some() {
                    local.done = true; // the app drops an id it holds
                    return "drop".to_owned();
                }
                let arrival = self.state.on_message(&message(), (), now);
                if arrival == Arrival::Show(()) {
                    assert_eq!(
                        self.state.tombstone_of(
                            &message().conversation_id,
                            &message().id,
                            &user("alice")
                        ),
                        None,
                        "show answered while a recall of the message is remembered"
                    );
                }
                let what = format!(
                    "ask={}",
                    if arrival == Arrival::Show(()) {
                        "show"
                    } else {
                        "tombstone"
                    }
                );
                local.arrival = Some(arrival);
                what
            }
            (Protocol::AskThenStore, _) => {
                let stored = match local.arrival.take() {
                    Some(Arrival::Tombstone(tombstone)) => Stored {
                        tombstone: Some(tombstone),
                        ..Stored::default()
                    },
                    _ => Stored {
                        content: Some("secret"),
                        shown: true,
                        ..Stored::default()
                    },
                };
                self.store = Some(stored);
                "store+apply".to_owned()
            }
            (_, 0) => {
                if self.store.is_some() {
                    local.done = true;
                    return "drop".to_owned();
                }
                self.store = Some(Stored {
                    content: Some("secret"),
                    ..Stored::default()
                });
                "store".to_owned()
            }
            (_, _) => {
                let stored = self.store.as_mut().expect("stored before asking");
                match local.arrival.take() {
                    Some(Arrival::Tombstone(tombstone)) => stored.replace(tombstone),
                    _ => stored.shown = true, // shows what is stored, never writes content
                }
                "apply".to_owned()
            }
        }
    }

    fn take(&mut self, recall: Recall, now: Timestamp) -> Option<PendingRecall> {
        let notification = recall.notification();
        let pending = if recall == Recall::Legacy || recall == Recall::Forged {
            let command = LegacyCommand::from_recall(&notification).unwrap();
            self.state.on_legacy_command(&command, now).ok()
        } else {
            self.state.on_recall(notification, now).ok()
        };
        self.recalled |= pending.is_some() && recall.genuine();
        pending
    }

    fn settle(&mut self, local: &mut Local) -> String {
        let Some(pending) = local.pending.take() else {
            local.done = true;
            return "refused".to_owned();
        };
        match self.state.settle(pending, local.held.as_ref()) {
            Ok(outcome) => {
                let what = format!("settle={}", name(&outcome));
                local.outcome = Some(outcome);
                what
            }
            Err(mismatch) => {
                local.done = true;
                format!("settle={}", mismatch.reason().id())
            }
        }
    }

    fn recall_step(
        &mut self,
        recall: Recall,
        local: &mut Local,
        step: usize,
        now: Timestamp,
    ) -> String {
        let look_up = |world: &World, local: &mut Local| {
            local.held = world.store.as_ref().map(Stored::held);
            format!(
                "look_up={}",
                if local.held.is_some() { "held" } else { "none" }
            )
        };
        match (self.protocol, step) {
            (Protocol::OneCall, 0) => look_up(self, local),
            (Protocol::OneCall, 1) => {
                local.pending = self.take(recall, now);
                self.settle(local)
            }
            (Protocol::Contract | Protocol::AskThenStore, 0) => {
                local.pending = self.take(recall, now);
                if local.pending.is_none() {
                    local.done = true;
                }
                "take".to_owned()
            }
            (Protocol::Contract | Protocol::AskThenStore, 1) => look_up(self, local),
            (Protocol::Contract | Protocol::AskThenStore, 2) => self.settle(local),
            (_, _) => {
                if let Some(RecallOutcome::Applied { tombstone, .. }) = local.outcome.take() {
                    self.store
                        .as_mut()
                        .expect("applied to a held message")
                        .replace(tombstone);
                }
                "apply".to_owned()
            }
        }
    }

    /// What is wrong at the end, if anything.
    fn check_end(&self) -> Option<String> {
        let stored = self.store.as_ref()?;
        if self.recalled && stored.content.is_some() {
            return Some("the recalled content is still visible".to_owned());
        }
        if !self.recalled && stored.content.is_none() {
            return Some("a message no genuine recall names was hidden".to_owned());
        }
        if stored.content.is_some() && !stored.shown {
            return Some("a message answered `show` was never shown".to_owned());
        }
        let named =
            self.state
                .tombstone_of(&message().conversation_id, &message().id, &user("alice"));
        if let Some(tombstone) = &stored.tombstone
            && Some(tombstone) != named.as_ref()
        {
            return Some(format!(
                "stored tombstone {tombstone:?}, the state names {named:?}"
            ));
        }
        None
    }
}

fn name(outcome: &RecallOutcome) -> &'static str {
    match outcome {
        RecallOutcome::Applied { .. } => "applied",
        RecallOutcome::Remembered => "remembered",
        RecallOutcome::Duplicate => "duplicate",
    }
}

/// Every interleaving of threads with `lengths` steps: sequences of thread indices.
fn interleavings(lengths: &[usize]) -> Vec<Vec<usize>> {
    fn extend(left: &mut [usize], prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if left.iter().all(|&n| n == 0) {
            out.push(prefix.clone());
            return;
        }
        for thread in 0..left.len() {
            if left[thread] > 0 {
                left[thread] -= 1;
                prefix.push(thread);
                extend(left, prefix, out);
                prefix.pop();
                left[thread] += 1;
            }
        }
    }
    let mut out = Vec::new();
    extend(&mut lengths.to_vec(), &mut Vec::new(), &mut out);
    out
}

/// A case: what happened before the threads started, then the concurrent threads.
struct Case {
    name: &'static str,
    before: &'static [Thread],
    threads: &'static [Thread],
}

const CASES: &[Case] = &[
    Case {
        name: "a recall and its message",
        before: &[],
        threads: &[Thread::Message, Thread::Recall(Recall::Sender)],
    },
    Case {
        name: "a moderator's recall and the message",
        before: &[],
        threads: &[Thread::Message, Thread::Recall(Recall::Moderator)],
    },
    Case {
        name: "a legacy command and the message",
        before: &[],
        threads: &[Thread::Message, Thread::Recall(Recall::Legacy)],
    },
    Case {
        name: "the message held and shown before; the recall and a second delivery of the message",
        before: &[Thread::Message],
        threads: &[Thread::Recall(Recall::Sender), Thread::Message],
    },
    Case {
        name: "the recall taken before; the message and the recall again (offline sync)",
        before: &[Thread::Recall(Recall::Sender)],
        threads: &[Thread::Message, Thread::Recall(Recall::Sender)],
    },
    Case {
        name: "the same recall live and from sync, and the message",
        before: &[],
        threads: &[
            Thread::Message,
            Thread::Recall(Recall::Sender),
            Thread::Recall(Recall::Sender),
        ],
    },
    Case {
        name: "the sender's and a moderator's recalls, and the message: one tombstone",
        before: &[],
        threads: &[
            Thread::Message,
            Thread::Recall(Recall::Sender),
            Thread::Recall(Recall::Moderator),
        ],
    },
    Case {
        name: "the message delivered twice, and the recall",
        before: &[],
        threads: &[
            Thread::Message,
            Thread::Message,
            Thread::Recall(Recall::Sender),
        ],
    },
    Case {
        name: "a forged recall naming another sender, and the message: it stays visible",
        before: &[],
        threads: &[Thread::Message, Thread::Recall(Recall::Forged)],
    },
    Case {
        name: "a forged recall, the genuine one, and the message",
        before: &[],
        threads: &[
            Thread::Message,
            Thread::Recall(Recall::Forged),
            Thread::Recall(Recall::Sender),
        ],
    },
];

/// Runs every interleaving of a case; the failing ones, with their traces.
fn failures(protocol: Protocol, case: &Case) -> (usize, Vec<String>) {
    let lengths: Vec<usize> = case
        .threads
        .iter()
        .map(|&thread| World::steps(protocol, thread))
        .collect();
    let orders = interleavings(&lengths);
    let mut failed = Vec::new();
    for order in &orders {
        let mut world = World::new(protocol, case.before);
        for index in 0..case.before.len() {
            for step in 0..World::steps(protocol, case.before[index]) {
                world.run(index, step);
            }
        }
        world.threads = case
            .threads
            .iter()
            .map(|&t| (t, Local::default()))
            .collect();
        world.trace.clear();
        let mut next = vec![0; case.threads.len()];
        for &thread in order {
            world.run(thread, next[thread]);
            next[thread] += 1;
        }
        if let Some(problem) = world.check_end() {
            failed.push(format!("{problem}: {}", world.trace.join(" ")));
        }
    }
    (orders.len(), failed)
}

#[test]
fn no_interleaving_leaves_recalled_content_visible() {
    let mut total = 0;
    for case in CASES {
        let (orders, failed) = failures(Protocol::Contract, case);
        assert!(
            failed.is_empty(),
            "{}: {} of {orders} orders fail, e.g. {}",
            case.name,
            failed.len(),
            failed[0]
        );
        total += orders;
    }
    // Two threads: 7!/(3!4!) = 35 orders; three: 11!/(3!4!4!) = 11,550 or 10!/(3!3!4!) = 4,200.
    assert_eq!(total, 6 * 35 + 3 * 11_550 + 4_200);
}

#[test]
fn the_one_call_recall_leaves_content_visible() {
    let (orders, failed) = failures(Protocol::OneCall, &CASES[0]);
    assert_eq!(orders, 20);
    // Thread 0 is the message, thread 1 the recall.
    let race = "the recalled content is still visible: \
                1:look_up=none 0:store 0:ask=show 0:apply 1:settle=remembered 1:apply";
    assert!(failed.iter().any(|f| f == race), "{failed:#?}");
}

#[test]
fn asking_before_storing_leaves_content_visible() {
    let (orders, failed) = failures(Protocol::AskThenStore, &CASES[0]);
    assert_eq!(orders, 15);
    let race = "the recalled content is still visible: \
                0:ask=show 1:take 1:look_up=none 1:settle=remembered 1:apply 0:store+apply";
    assert!(failed.iter().any(|f| f == race), "{failed:#?}");
}

#[test]
fn the_interleavings_are_all_orders_of_the_steps() {
    assert_eq!(
        interleavings(&[2, 1]),
        [vec![0, 0, 1], vec![0, 1, 0], vec![1, 0, 0]]
    );
    assert_eq!(interleavings(&[3, 4]).len(), 35);
    assert_eq!(interleavings(&[3, 4, 4]).len(), 11_550);
}
