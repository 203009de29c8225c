//! The threads' steps (see the story in `main.rs`): the message thread, the recall thread
//! and the user, each step run against one recall state and one app store.

use super::Protocol;
use crate::store::{Store, Undo};
use recall_core::{
    Arrival, ArrivingMessage, Basis, ClientLimits, Conversation, ConversationKind, Effects,
    HeldMessage, LegacyCommand, PendingRecall, RecallNotification, RecallOutcome, RecallState,
    Timestamp, UserId,
};

/// A recall of the story's message, `m1` by `alice` in group `g1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recall {
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
pub enum Thread {
    /// The message arrives.
    Message,
    /// A recall of it arrives.
    Recall(Recall),
    /// The user opens the conversation and reads it.
    Read,
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

/// One thread's progress: what its earlier steps left for its later ones.
#[derive(Debug, Default)]
pub struct Local {
    done: bool,
    arrival: Option<Arrival<()>>,
    pending: Option<PendingRecall>,
    held: Option<HeldMessage>,
    outcome: Option<RecallOutcome>,
}

/// The state, the store, and each thread's progress.
pub struct World {
    protocol: Protocol,
    state: RecallState,
    store: Store,
    /// Each thread and its progress.
    pub threads: Vec<(Thread, Local)>,
    /// A genuine recall was taken: nothing of the message may be left.
    recalled: bool,
    /// What each step did, `thread:step`.
    pub trace: Vec<String>,
}

impl World {
    pub fn new(protocol: Protocol, threads: &[Thread]) -> Self {
        World {
            protocol,
            state: RecallState::new(user("carol"), ClientLimits::DEFAULT),
            store: Store::default(),
            threads: threads.iter().map(|&t| (t, Local::default())).collect(),
            recalled: false,
            trace: Vec::new(),
        }
    }

    /// How many steps `thread` takes under `protocol`.
    pub fn steps(protocol: Protocol, thread: Thread) -> usize {
        match thread {
            Thread::Message if protocol.store_first => 3,
            Thread::Message => 2,
            Thread::Recall(_) if protocol.two_phases => 4,
            Thread::Recall(_) => 3,
            Thread::Read => 1,
        }
    }

    /// Runs step `step` of thread `index`.
    pub fn run(&mut self, index: usize, step: usize) {
        let now = at(i64::try_from(self.trace.len()).unwrap() + 1);
        let (thread, mut local) = std::mem::replace(
            &mut self.threads[index],
            (Thread::Message, Local::default()),
        );
        if !local.done {
            let what = match thread {
                Thread::Message => self.message_step(&mut local, step, now),
                Thread::Recall(recall) => self.recall_step(recall, &mut local, step, now),
                Thread::Read => self.read_step(),
            };
            self.trace.push(format!("{index}:{what}"));
        }
        self.threads[index] = (thread, local);
    }

    /// The user's one step: open the conversation.
    fn read_step(&mut self) -> String {
        let read = self.store.read();
        (if read { "read" } else { "read=nothing" }).to_owned()
    }

    /// Step `step` of the message thread: store, ask, apply (or ask, then store and apply).
    fn message_step(&mut self, local: &mut Local, step: usize, now: Timestamp) -> String {
        let ask = if self.protocol.store_first { 1 } else { 0 };
        match step {
            _ if step == ask => {
                if !self.protocol.store_first && self.store.holds() {
                    local.done = true; // the app drops an id it holds
                    return "drop".to_owned();
                }
                let arrival = self.state.on_message(&message(), (), now);
                let what = match arrival {
                    Arrival::Show(()) => {
                        let remembered = self.state.tombstone_of(
                            &message().conversation_id,
                            &message().id,
                            &user("alice"),
                        );
                        assert_eq!(
                            remembered, None,
                            "show answered while a recall is remembered"
                        );
                        "ask=show"
                    }
                    Arrival::Tombstone(_) => "ask=tombstone",
                };
                local.arrival = Some(arrival);
                what.to_owned()
            }
            0 => {
                if !self.store.insert_hidden() {
                    local.done = true;
                    return "drop".to_owned();
                }
                "store".to_owned()
            }
            _ => {
                let stored = if self.protocol.store_first {
                    ""
                } else if self.store.insert_hidden() {
                    "store+"
                } else {
                    return "drop".to_owned(); // another delivery stored it since the ask
                };
                let applied = match local.arrival.take().expect("asked before applying") {
                    Arrival::Show(()) => {
                        if self.store.show(self.protocol.conditional_show) {
                            "show"
                        } else {
                            "show=nothing"
                        }
                    }
                    Arrival::Tombstone(tombstone) => {
                        self.store.replace(tombstone, &self.undo(None));
                        "replace"
                    }
                };
                format!("{stored}{applied}")
            }
        }
    }

    /// What a replacement undoes under this protocol, given the effects `settle` answered.
    fn undo(&self, effects: Option<Effects>) -> Undo {
        if self.protocol.replace_from_row {
            Undo::WhatTheRowRecords
        } else {
            Undo::Effects(effects.unwrap_or_default())
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

    /// Step `step` of a recall's thread: take, look up, settle, apply (or look up, then take
    /// and settle in one call, then apply).
    fn recall_step(
        &mut self,
        recall: Recall,
        local: &mut Local,
        step: usize,
        now: Timestamp,
    ) -> String {
        let look_up = |world: &World, local: &mut Local| {
            local.held = world.store.held(message());
            let found = if local.held.is_some() { "held" } else { "none" };
            format!("look_up={found}")
        };
        match (self.protocol.two_phases, step) {
            (false, 0) => look_up(self, local),
            (false, 1) => {
                local.pending = self.take(recall, now);
                self.settle(local)
            }
            (true, 0) => {
                local.pending = self.take(recall, now);
                if local.pending.is_none() {
                    local.done = true;
                }
                "take".to_owned()
            }
            (true, 1) => look_up(self, local),
            (true, 2) => self.settle(local),
            (_, _) => match local.outcome.take() {
                Some(RecallOutcome::Applied { tombstone, effects }) => {
                    self.store.replace(tombstone, &self.undo(Some(effects)));
                    "replace".to_owned()
                }
                _ => "nothing".to_owned(),
            },
        }
    }

    /// What is wrong at the end: nothing, for a correct protocol.
    pub fn check_end(&self) -> Vec<String> {
        let mut problems = if self.recalled {
            self.store.leftovers()
        } else {
            self.store.missing()
        };
        let named =
            self.state
                .tombstone_of(&message().conversation_id, &message().id, &user("alice"));
        if let Some(tombstone) = self.store.tombstone()
            && Some(tombstone) != named.as_ref()
        {
            problems.push(format!(
                "stored tombstone {tombstone:?}, the state names {named:?}"
            ));
        }
        problems
    }
}

fn name(outcome: &RecallOutcome) -> &'static str {
    match outcome {
        RecallOutcome::Applied { .. } => "applied",
        RecallOutcome::Remembered => "remembered",
        RecallOutcome::Duplicate => "duplicate",
    }
}
