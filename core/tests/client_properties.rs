//! Properties of the client recall state (spec §6), over random orders, duplications and
//! interleavings of the same messages and recalls:
//!
//! - the visible state at the end is always the same: a message is a tombstone exactly when a
//!   genuine recall of it (from its sender, in its conversation) was fed;
//! - no content is ever handed back after a genuine recall of the message is known;
//! - forged recalls (another sender) and legacy commands from someone else change nothing;
//! - the state stays within its count and byte limits under a flood of recalls for unknown
//!   messages.

use proptest::prelude::*;
use recall_core::{
    Arrival, ArrivingMessage, Basis, ClientLimits, Conversation, ConversationKind, HeldMessage,
    LegacyCommand, LimitsConfig, RecallNotification, RecallOutcome, RecallState, Timestamp, UserId,
};
use std::collections::{BTreeMap, HashMap};

const SENDERS: [&str; 3] = ["alice", "bob", "carol"];

/// A message of the story: conversation `c{conv}`, id `m{id}`, sent by `SENDERS[sender]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Msg {
    conv: u8,
    id: u8,
    sender: usize,
}

#[derive(Debug, Clone)]
enum Event {
    Arrive(Msg),
    /// A recall of `msg` claiming `claimed_sender`; legacy when `legacy`.
    Recall {
        msg: Msg,
        claimed_sender: usize,
        legacy: bool,
    },
}

fn user(i: usize) -> UserId {
    UserId::new(SENDERS[i]).unwrap()
}

fn conversation(conv: u8) -> Conversation {
    Conversation {
        id: format!("c{conv}").try_into().unwrap(),
        kind: ConversationKind::Group,
    }
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_767_225_600_000 + secs * 1000).unwrap()
}

fn recall_of(msg: Msg, claimed_sender: usize) -> RecallNotification {
    RecallNotification {
        conversation: conversation(msg.conv),
        message_id: format!("m{}", msg.id).try_into().unwrap(),
        sender_id: user(claimed_sender),
        operator_id: user(claimed_sender),
        basis: Basis::Sender,
        recalled_at: at(0),
        ext: None,
    }
}

/// The app: what it stores per (conversation, message id), and the content it shows.
#[derive(Default)]
struct App {
    held: HashMap<(u8, u8), (Msg, Option<String>)>,
}

impl App {
    fn held(&self, msg: Msg) -> Option<HeldMessage> {
        let (stored, content) = self.held.get(&(msg.conv, msg.id))?;
        Some(HeldMessage {
            id: format!("m{}", stored.id).try_into().unwrap(),
            conversation_id: format!("c{}", stored.conv).try_into().unwrap(),
            sender_id: user(stored.sender),
            recalled: content.is_none(),
            unread: true,
            latest: false,
            has_attachments: false,
            notification_shown: false,
        })
    }

    /// Feeds one event; returns the content handed back to the UI, if any.
    fn feed(&mut self, state: &mut RecallState, event: &Event, now: Timestamp) -> Option<String> {
        match *event {
            Event::Arrive(msg) => {
                if self.held.contains_key(&(msg.conv, msg.id)) {
                    return None; // the app drops duplicates by id
                }
                let arriving = ArrivingMessage {
                    id: format!("m{}", msg.id).try_into().unwrap(),
                    conversation_id: format!("c{}", msg.conv).try_into().unwrap(),
                    sender_id: user(msg.sender),
                };
                let content = format!("secret {msg:?}");
                match state.on_message(&arriving, content, now) {
                    Arrival::Show(content) => {
                        self.held
                            .insert((msg.conv, msg.id), (msg, Some(content.clone())));
                        Some(content)
                    }
                    Arrival::Tombstone(_) => {
                        self.held.insert((msg.conv, msg.id), (msg, None));
                        None
                    }
                }
            }
            Event::Recall {
                msg,
                claimed_sender,
                legacy,
            } => {
                let recall = recall_of(msg, claimed_sender);
                let held = self.held(msg);
                let outcome = if legacy {
                    let command = LegacyCommand::from_recall(&recall).unwrap();
                    state.on_legacy_command(&command, held.as_ref(), now)
                } else {
                    state.on_recall(&recall, held.as_ref(), now)
                };
                if let Ok(RecallOutcome::Applied { .. }) = outcome {
                    if let Some(entry) = self.held.get_mut(&(msg.conv, msg.id)) {
                        entry.1 = None;
                    }
                }
                None
            }
        }
    }

    /// What the user sees: per message, its content or a tombstone (`None`).
    fn visible(&self) -> BTreeMap<(u8, u8), Option<String>> {
        self.held
            .iter()
            .map(|(key, (_, content))| (*key, content.clone()))
            .collect()
    }
}

fn messages() -> impl Strategy<Value = Vec<Msg>> {
    proptest::collection::btree_map((0u8..2, 0u8..4), 0usize..3, 1..6).prop_map(|map| {
        map.into_iter()
            .map(|((conv, id), sender)| Msg { conv, id, sender })
            .collect()
    })
}

/// Messages, and for each a list of recalls: (genuine?, legacy?) pairs.
fn story() -> impl Strategy<Value = (Vec<Msg>, Vec<Event>)> {
    messages()
        .prop_flat_map(|msgs| {
            let recalls = proptest::collection::vec(
                (0..msgs.len(), any::<bool>(), any::<bool>(), 1usize..3),
                0..8,
            );
            (Just(msgs), recalls)
        })
        .prop_map(|(msgs, recalls)| {
            let mut events: Vec<Event> = msgs.iter().copied().map(Event::Arrive).collect();
            for (index, genuine, legacy, shift) in recalls {
                let msg = msgs[index];
                let claimed_sender = if genuine {
                    msg.sender
                } else {
                    (msg.sender + shift) % 3
                };
                events.push(Event::Recall {
                    msg,
                    claimed_sender,
                    legacy,
                });
            }
            (msgs, events)
        })
}

/// A random interleaving of `events`, each possibly duplicated.
fn shuffled(events: Vec<Event>) -> impl Strategy<Value = Vec<Event>> {
    let n = events.len();
    (Just(events), proptest::collection::vec(0..n.max(1), 0..4)).prop_flat_map(
        |(events, duplicates)| {
            let mut all = events.clone();
            all.extend(
                duplicates
                    .into_iter()
                    .filter_map(|i| events.get(i).cloned()),
            );
            Just(all).prop_shuffle()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_order_ends_in_the_same_visible_state(
        (msgs, events) in story().prop_flat_map(|(msgs, events)| (Just(msgs), shuffled(events)))
    ) {
        let mut state = RecallState::new(user(0), ClientLimits::DEFAULT);
        let mut app = App::default();
        let mut known_recalled = std::collections::HashSet::new();
        for (step, event) in events.iter().enumerate() {
            if let Event::Recall { msg, claimed_sender, .. } = event {
                if *claimed_sender == msg.sender {
                    known_recalled.insert(*msg);
                }
            }
            let shown = app.feed(&mut state, event, at(i64::try_from(step).unwrap()));
            if let (Some(_), Event::Arrive(msg)) = (&shown, event) {
                prop_assert!(!known_recalled.contains(msg), "content of {msg:?} shown after its recall was known");
            }
        }
        // The same state, whatever the order: tombstone exactly for genuinely recalled messages.
        let genuinely_recalled: std::collections::HashSet<Msg> = events.iter().filter_map(|e| match e {
            Event::Recall { msg, claimed_sender, .. } if *claimed_sender == msg.sender => Some(*msg),
            _ => None,
        }).collect();
        let expected: BTreeMap<(u8, u8), Option<String>> = msgs.iter().map(|msg| {
            let content = (!genuinely_recalled.contains(msg)).then(|| format!("secret {msg:?}"));
            ((msg.conv, msg.id), content)
        }).collect();
        prop_assert_eq!(app.visible(), expected);
    }

    #[test]
    fn the_state_survives_a_restart_at_any_point(
        (msgs, events) in story().prop_flat_map(|(msgs, events)| (Just(msgs), shuffled(events))),
        cut in 0usize..20,
    ) {
        let mut state = RecallState::new(user(1), ClientLimits::DEFAULT);
        let mut app = App::default();
        for (step, event) in events.iter().enumerate() {
            if step == cut {
                state = RecallState::import(user(1), ClientLimits::DEFAULT, &state.export(), at(0)).unwrap();
            }
            app.feed(&mut state, event, at(i64::try_from(step).unwrap()));
        }
        let recalled: std::collections::HashSet<Msg> = events.iter().filter_map(|e| match e {
            Event::Recall { msg, claimed_sender, .. } if *claimed_sender == msg.sender => Some(*msg),
            _ => None,
        }).collect();
        for msg in msgs {
            prop_assert_eq!(app.visible()[&(msg.conv, msg.id)].is_none(), recalled.contains(&msg));
        }
    }

    #[test]
    fn memory_stays_within_limits_under_a_flood(
        floods in proptest::collection::vec((1usize..256, 0usize..4097, 0u32..5), 1..400),
        max_recalls in 1u32..64,
    ) {
        let limits = ClientLimits::new(LimitsConfig { max_recalls, max_age_secs: 3600, max_bytes: 64 << 10 }).unwrap();
        let mut state = RecallState::new(user(0), limits);
        for (i, (id_len, ext_len, skew)) in floods.into_iter().enumerate() {
            let mut recall = recall_of(Msg { conv: 0, id: 0, sender: 0 }, 0);
            recall.message_id = format!("{i}{}", "x".repeat(id_len)).chars().take(256).collect::<String>().try_into().unwrap();
            recall.ext = Some("é".repeat(ext_len / 2));
            let now = at(i64::try_from(i).unwrap() * i64::from(skew));
            prop_assert_eq!(state.on_recall(&recall, None, now), Ok(RecallOutcome::Remembered));
            prop_assert!(state.len() <= max_recalls as usize);
            prop_assert!(state.bytes() <= 64 << 10);
        }
        prop_assert!(state.export().len() <= 64 << 10);
    }
}
