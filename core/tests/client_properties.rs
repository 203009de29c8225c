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
    LegacyCommand, LimitsConfig, Mismatch, PendingRecall, RecallNotification, RecallOutcome,
    RecallState, Timestamp, UserId,
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

/// What the app passes for a message it stores.
fn held_message(stored: Msg, recalled: bool) -> HeldMessage {
    HeldMessage {
        id: format!("m{}", stored.id).try_into().unwrap(),
        conversation_id: format!("c{}", stored.conv).try_into().unwrap(),
        sender_id: user(stored.sender),
        recalled,
        unread: true,
        latest: false,
        has_attachments: false,
        notification_shown: false,
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
        Some(held_message(*stored, content.is_none()))
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
                let pending = if legacy {
                    let command = LegacyCommand::from_recall(&recall).unwrap();
                    state.on_legacy_command(&command, now).unwrap()
                } else {
                    state.on_recall(recall, now).unwrap()
                };
                // Looked up after phase one (spec 6.7).
                let held = self.held(msg);
                let outcome = state.settle(pending, held.as_ref());
                if let Ok(RecallOutcome::Applied { .. }) = outcome
                    && let Some(entry) = self.held.get_mut(&(msg.conv, msg.id))
                {
                    entry.1 = None;
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
            if let Event::Recall { msg, claimed_sender, .. } = event
                && *claimed_sender == msg.sender {
                    known_recalled.insert(*msg);
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

    /// Spec 6.9, 6.11, 6.12: count and bytes stay within the limits, and the export fits in
    /// `max_bytes` whatever the ids' lengths, the operator and the timestamps (the largest
    /// varints are those of times before 1970).
    #[test]
    fn memory_stays_within_limits_under_a_flood(
        floods in proptest::collection::vec(
            (1usize..=256, 1usize..=256, 1usize..=256, 0usize..4097, 0u32..5, any::<bool>()),
            1..400,
        ),
        max_recalls in prop_oneof![1u32..64, Just(1000)],
    ) {
        let limits = ClientLimits::new(LimitsConfig { max_recalls, max_age_secs: 3600, max_bytes: 64 << 10 }).unwrap();
        let mut state = RecallState::new(user(0), limits);
        let mut last = at(0);
        for (i, (id_len, conv_len, sender_len, ext_len, skew, moderator)) in floods.into_iter().enumerate() {
            let long = |len: usize| format!("{i}{}", "x".repeat(len)).chars().take(len.max(1)).collect::<String>();
            let mut recall = recall_of(Msg { conv: 0, id: 0, sender: 0 }, 0);
            recall.message_id = format!("{i}{}", "x".repeat(id_len)).chars().take(256).collect::<String>().try_into().unwrap();
            recall.conversation.id = long(conv_len).try_into().unwrap();
            recall.sender_id = UserId::new("s".repeat(sender_len)).unwrap();
            recall.operator_id = if moderator { UserId::new("o".repeat(sender_len)).unwrap() } else { recall.sender_id.clone() };
            recall.basis = if moderator { Basis::Moderator } else { Basis::Sender };
            recall.recalled_at = Timestamp::from_unix_millis(-62_167_219_200_000).unwrap();
            recall.ext = Some("é".repeat(ext_len / 2));
            let now = Timestamp::from_unix_millis(-1 - i64::try_from(i).unwrap() * i64::from(skew)).unwrap();
            let outcome = state.on_recall(recall, now).and_then(|pending| state.settle(pending, None));
            prop_assert!(matches!(outcome, Ok(RecallOutcome::Remembered | RecallOutcome::Duplicate)), "{:?}", outcome);
            prop_assert!(state.len() <= max_recalls as usize);
            prop_assert!(state.bytes() <= 64 << 10);
            last = now;
        }
        let exported = state.export();
        prop_assert!(exported.len() <= 64 << 10, "export of {} bytes", exported.len());
        let imported = RecallState::import(user(0), limits, &exported, last);
        prop_assert_eq!(imported.map(|restored| restored.len()), Ok(state.len()));
    }

    /// Spec 6.6, 6.9: whatever the app's clock does (it may go back), no recall older than
    /// `max_age` survives a call, and `remembered_at` never decreases from oldest to newest.
    #[test]
    fn no_recall_outlives_its_age_even_when_the_clock_goes_back(
        steps in proptest::collection::vec((0u8..20, -200i64..200, any::<bool>()), 1..60),
    ) {
        let limits = ClientLimits::new(LimitsConfig { max_recalls: 1000, max_age_secs: 60, max_bytes: 64 << 10 }).unwrap();
        let mut state = RecallState::new(user(0), limits);
        for (id, secs, restart) in steps {
            let now = at(secs);
            let msg = Msg { conv: 0, id, sender: 1 };
            let pending = state.on_recall(recall_of(msg, 1), now).unwrap();
            let _ = state.settle(pending, None);
            if restart {
                state = RecallState::import(user(0), limits, &state.export(), now).unwrap();
            }
            let times: Vec<Timestamp> = state.remembered().map(|(_, remembered_at, _)| remembered_at).collect();
            prop_assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{:?}", times);
            for remembered_at in times {
                prop_assert!(now.millis_since(remembered_at) <= 60_000);
            }
        }
    }
}

/// What can happen to one message, for [`one_key_never_has_two_tombstones`].
#[derive(Debug, Clone)]
enum Life {
    /// The message is (re-)delivered: the state is asked even when the app holds it already.
    Deliver(Msg),
    /// A recall of the message by `who` (0: the sender, 1: the sender as a moderator, 2: an
    /// admin), decided at `at` seconds, with or without a reason; passed with what the app holds.
    Recall {
        msg: Msg,
        who: u8,
        at: i64,
        ext: bool,
    },
    /// A late sync restores the content over the app's tombstone.
    Restore(Msg),
    /// The app drops the message from its storage.
    Drop(Msg),
    /// The app restarts: export, then import.
    Restart,
}

fn lives() -> impl Strategy<Value = Vec<Life>> {
    let msg = (0u8..2, 0u8..3, 0usize..3).prop_map(|(conv, id, sender)| Msg { conv, id, sender });
    let life = prop_oneof![
        msg.clone().prop_map(Life::Deliver),
        (msg.clone(), 0u8..3, 0i64..100, any::<bool>())
            .prop_map(|(msg, who, at, ext)| Life::Recall { msg, who, at, ext }),
        msg.clone().prop_map(Life::Restore),
        msg.prop_map(Life::Drop),
        Just(Life::Restart),
    ];
    proptest::collection::vec(life, 1..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Spec §6: the first recall remembered for a key names its tombstone on every path —
    /// applied to a held message, re-applied after the app lost its tombstone, a message
    /// arriving or re-delivered, after a restart — whatever recalls of it come later.
    #[test]
    fn one_key_never_has_two_tombstones(lives in lives()) {
        let me = user(1);
        let mut state = RecallState::new(me.clone(), ClientLimits::DEFAULT);
        // The app's storage: per (conversation, id), the message and its tombstone if any.
        let mut held: HashMap<(u8, u8), (Msg, Option<recall_core::Tombstone>)> = HashMap::new();
        let mut first: HashMap<Msg, recall_core::Tombstone> = HashMap::new();
        let mut seen = |msg: Msg, tombstone: &recall_core::Tombstone| -> Result<(), TestCaseError> {
            let earlier = first.entry(msg).or_insert_with(|| tombstone.clone());
            prop_assert_eq!(&*earlier, tombstone, "two tombstones for {:?}", msg);
            Ok(())
        };
        for (step, life) in lives.iter().enumerate() {
            let now = at(i64::try_from(step).unwrap());
            match *life {
                Life::Deliver(msg) => {
                    let arriving = ArrivingMessage {
                        id: format!("m{}", msg.id).try_into().unwrap(),
                        conversation_id: format!("c{}", msg.conv).try_into().unwrap(),
                        sender_id: user(msg.sender),
                    };
                    let tombstone = match state.on_message(&arriving, (), now) {
                        Arrival::Show(()) => None,
                        Arrival::Tombstone(tombstone) => {
                            seen(msg, &tombstone)?;
                            Some(tombstone)
                        }
                    };
                    held.insert((msg.conv, msg.id), (msg, tombstone));
                }
                Life::Recall { msg, who, at: secs, ext } => {
                    let mut recall = recall_of(msg, msg.sender);
                    match who {
                        0 => {}
                        1 => recall.basis = Basis::Moderator,
                        _ => {
                            recall.basis = Basis::Moderator;
                            recall.operator_id = UserId::new("admin").unwrap();
                        }
                    }
                    recall.recalled_at = at(secs);
                    recall.ext = ext.then(|| format!("reason {who}"));
                    let held_message = held
                        .get(&(msg.conv, msg.id))
                        .map(|(stored, tombstone)| held_message(*stored, tombstone.is_some()));
                    let outcome = state
                        .on_recall(recall, now)
                        .and_then(|pending| state.settle(pending, held_message.as_ref()));
                    if let Ok(RecallOutcome::Applied { tombstone, .. }) = outcome {
                        seen(msg, &tombstone)?;
                        held.get_mut(&(msg.conv, msg.id)).unwrap().1 = Some(tombstone);
                    }
                }
                Life::Restore(msg) => {
                    if let Some(entry) = held.get_mut(&(msg.conv, msg.id)) {
                        entry.1 = None;
                    }
                }
                Life::Drop(msg) => {
                    held.remove(&(msg.conv, msg.id));
                }
                Life::Restart => {
                    state = RecallState::import(me.clone(), ClientLimits::DEFAULT, &state.export(), now).unwrap();
                }
            }
        }
        // What the state would answer now agrees too.
        for (msg, tombstone) in &first {
            let looked_up = state.tombstone_of(
                &format!("c{}", msg.conv).try_into().unwrap(),
                &format!("m{}", msg.id).try_into().unwrap(),
                &user(msg.sender),
            );
            prop_assert_eq!(looked_up.as_ref(), Some(tombstone));
        }
    }
}

/// One item of a page of recalls, for [`a_batch_is_the_single_calls_in_order`]: a recall of
/// `key` by `operator` (0, 1: its sender; 2: another sender; 3: an admin), and what the app
/// holds.
#[derive(Debug, Clone)]
struct PagedRecall {
    key: Msg,
    operator: usize,
    moderator: bool,
    direct: bool,
    ext: bool,
    /// 0: nothing held; 1, 2: the recalled message; 3: another message (`other`).
    held: u8,
    other: Msg,
    recalled: bool,
}

#[derive(Debug, Clone)]
enum Page {
    Recalls(Vec<PagedRecall>),
    Messages(Vec<Msg>),
}

fn key() -> impl Strategy<Value = Msg> {
    (0u8..2, 0u8..4, 0usize..3).prop_map(|(conv, id, sender)| Msg { conv, id, sender })
}

fn pages() -> impl Strategy<Value = Vec<(Page, i64)>> {
    let recall = (
        key(),
        0usize..4,
        any::<bool>(),
        proptest::bool::weighted(0.1),
        any::<bool>(),
        0u8..4,
        key(),
        any::<bool>(),
    )
        .prop_map(
            |(key, operator, moderator, direct, ext, held, other, recalled)| PagedRecall {
                key,
                operator,
                moderator,
                direct,
                ext,
                held,
                other,
                recalled,
            },
        );
    let page = prop_oneof![
        proptest::collection::vec(recall, 0..8).prop_map(Page::Recalls),
        proptest::collection::vec(key(), 0..8).prop_map(Page::Messages),
    ];
    // Each page at its own time: mostly forward, sometimes past `max_age`, sometimes back.
    proptest::collection::vec((page, -100i64..400), 0..12)
}

fn paged_recall(item: &PagedRecall) -> (RecallNotification, Option<HeldMessage>) {
    let mut recall = recall_of(item.key, item.key.sender);
    recall.operator_id = match item.operator {
        0 | 1 => user(item.key.sender),
        2 => user((item.key.sender + 1) % 3),
        _ => UserId::new("admin").unwrap(),
    };
    recall.basis = if item.moderator {
        Basis::Moderator
    } else {
        Basis::Sender
    };
    if item.direct {
        recall.conversation.kind = ConversationKind::Direct;
    }
    recall.ext = item.ext.then(|| format!("reason {}", item.operator));
    let held = match item.held {
        0 => None,
        1 | 2 => Some(held_message(item.key, item.recalled)),
        _ => Some(held_message(item.other, item.recalled)),
    };
    (recall, held)
}

fn arriving(msg: Msg) -> ArrivingMessage {
    ArrivingMessage {
        id: format!("m{}", msg.id).try_into().unwrap(),
        conversation_id: format!("c{}", msg.conv).try_into().unwrap(),
        sender_id: user(msg.sender),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Spec 6.13: `on_recalls`, `settle_all` and `on_messages` answer, item by item, what
    /// `on_recall`, `settle` and `on_message` answer one by one in the same order, and leave
    /// the same state — the same remembered recalls, times and flags, and the same export
    /// bytes — with refusals (forged operators, wrong held messages) in the middle of a page,
    /// duplicates within a page, evictions by count and age, and a clock that goes back.
    #[test]
    fn a_batch_is_the_single_calls_in_order(
        pages in pages(),
        max_recalls in 1u32..8,
        max_age_secs in 60u32..600,
    ) {
        let limits = ClientLimits::new(LimitsConfig { max_recalls, max_age_secs, max_bytes: 64 << 10 }).unwrap();
        let mut batched = RecallState::new(user(1), limits);
        let mut single = RecallState::new(user(1), limits);
        let mut secs = 0;
        for (page, step) in &pages {
            secs += step;
            let now = at(secs);
            match page {
                Page::Recalls(items) => {
                    let page: Vec<_> = items.iter().map(paged_recall).collect();
                    let pending = batched.on_recalls(page.iter().map(|(recall, _)| recall.clone()), now);
                    let one_by_one: Vec<_> = page.iter().map(|(recall, _)| single.on_recall(recall.clone(), now)).collect();
                    prop_assert_eq!(&pending, &one_by_one);
                    prop_assert_eq!(batched.export(), single.export());
                    // Phase two for the recalls phase one took, each with what the app holds.
                    let looked_up = |pending: Vec<Result<PendingRecall, Mismatch>>| -> Vec<_> {
                        pending.into_iter().zip(&page).filter_map(|(pending, (_, held))| Some((pending.ok()?, held.as_ref()))).collect()
                    };
                    let answers = batched.settle_all(looked_up(pending));
                    let one_by_one: Vec<_> = looked_up(one_by_one).into_iter().map(|(pending, held)| single.settle(pending, held)).collect();
                    prop_assert_eq!(answers, one_by_one);
                }
                Page::Messages(msgs) => {
                    let page: Vec<_> = msgs.iter().map(|msg| (arriving(*msg), format!("secret {msg:?}"))).collect();
                    let answers = batched.on_messages(page.iter().map(|(message, content)| (message, content.clone())), now);
                    let one_by_one: Vec<_> = page.iter().map(|(message, content)| single.on_message(message, content.clone(), now)).collect();
                    prop_assert_eq!(answers, one_by_one);
                }
            }
            prop_assert_eq!(batched.remembered().collect::<Vec<_>>(), single.remembered().collect::<Vec<_>>());
            prop_assert_eq!(batched.export(), single.export());
            prop_assert_eq!(batched.bytes(), single.bytes());
        }
    }
}
