//! Random sequences of operations on the client recall state — recalls (genuine, forged,
//! legacy) taken in two phases with any number of other operations between a recall's phase
//! one and its settle, arriving messages, restarts and clock jumps — checking its invariants
//! after each step: never a panic; count and bytes within the limits; an export within
//! `max_bytes` that imports to the same state (less what expired); with roomy limits, an
//! arriving message is a tombstone exactly when a recall of it (same conversation, id and
//! sender) was taken before (phase one is enough: spec 6.7.1).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use recall_core::{
    Arrival, ArrivingMessage, Basis, ClientLimits, Conversation, ConversationKind, HeldMessage,
    LegacyCommand, LimitsConfig, Mismatch, PendingRecall, RecallNotification, RecallOutcome,
    RecallState, Timestamp, UserId,
};
use std::collections::HashSet;

#[derive(Arbitrary, Debug)]
struct Input {
    tight: bool,
    max_recalls: u8,
    ops: Vec<Op>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Key {
    conv: u8,
    msg: u8,
    sender: u8,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Recall {
        key: Key,
        operator: u8,
        moderator: bool,
        direct: bool,
        ext_len: u16,
        held: Option<Held>,
    },
    Legacy {
        key: Key,
        revoke: bool,
        attributes: u8,
        held: Option<Held>,
    },
    /// Settles the pending recall at this index (modulo how many wait), with a held message.
    Settle {
        index: u8,
        held: Option<Held>,
    },
    Message(Key),
    Restart,
    Advance(u32),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Held {
    key: Key,
    recalled: bool,
    unread: bool,
    latest: bool,
    attachments: bool,
    notification: bool,
}

fn user(n: u8) -> UserId {
    format!("u{}", n % 4).try_into().unwrap()
}

fn conversation(key: Key, direct: bool) -> Conversation {
    let kind = if direct {
        ConversationKind::Direct
    } else {
        ConversationKind::Group
    };
    Conversation {
        id: format!("c{}", key.conv % 3).try_into().unwrap(),
        kind,
    }
}

fn held(held: Held) -> HeldMessage {
    HeldMessage {
        id: format!("m{}", held.key.msg % 5).try_into().unwrap(),
        conversation_id: format!("c{}", held.key.conv % 3).try_into().unwrap(),
        sender_id: user(held.key.sender),
        recalled: held.recalled,
        unread: held.unread,
        latest: held.latest,
        has_attachments: held.attachments,
        notification_shown: held.notification,
    }
}

/// Phase two, checking what an answer may say.
fn settle(state: &mut RecallState, taken: PendingRecall, held: Option<&HeldMessage>) {
    let first = taken.is_first();
    let recall = taken.recall().clone();
    match state.settle(taken, held) {
        Ok(RecallOutcome::Applied { tombstone, .. }) => {
            let held = held.expect("applied needs a held message");
            assert!(!held.recalled);
            assert_eq!(held.sender_id, recall.sender_id);
            assert_eq!(tombstone.message_id, recall.message_id);
            assert_eq!(tombstone.sender_id, recall.sender_id);
        }
        Ok(RecallOutcome::Remembered) => assert!(held.is_none()),
        Ok(RecallOutcome::Duplicate) => assert!(held.is_some_and(|held| held.recalled) || !first),
        Err(mismatch) => assert!(held.is_some() && mismatch != Mismatch::Operator),
    }
}

fn norm(key: Key) -> (u8, u8, u8) {
    (key.conv % 3, key.msg % 5, key.sender % 4)
}

fuzz_target!(|input: Input| {
    let limits = if input.tight {
        ClientLimits::new(LimitsConfig {
            max_recalls: u32::from(input.max_recalls.max(1)),
            max_age_secs: 60,
            max_bytes: 64 << 10,
        })
        .unwrap()
    } else {
        ClientLimits::DEFAULT
    };
    let me = user(0);
    let mut now = Timestamp::from_unix_millis(1_767_225_600_000).unwrap();
    let mut state = RecallState::new(me.clone(), limits);
    // Keys whose recall was accepted; exact only while nothing can be evicted.
    let mut accepted: HashSet<(u8, u8, u8)> = HashSet::new();
    // Recalls taken and not settled yet; settled later by `Settle`, or at once when `held`.
    let mut pending: Vec<PendingRecall> = Vec::new();
    for op in input.ops.iter().take(256) {
        match op {
            Op::Recall {
                key,
                operator,
                moderator,
                direct,
                ext_len,
                held: h,
            } => {
                let recall = RecallNotification {
                    conversation: conversation(*key, *direct),
                    message_id: format!("m{}", key.msg % 5).try_into().unwrap(),
                    sender_id: user(key.sender),
                    operator_id: user(*operator),
                    basis: if *moderator {
                        Basis::Moderator
                    } else {
                        Basis::Sender
                    },
                    recalled_at: now,
                    ext: (*ext_len > 0).then(|| "x".repeat(usize::from(*ext_len % 4097))),
                };
                let by_sender = recall.operator_id == recall.sender_id;
                match state.on_recall(recall, now) {
                    Ok(taken) => {
                        accepted.insert(norm(*key));
                        match h {
                            Some(h) => settle(&mut state, taken, Some(&held(*h))),
                            None => pending.push(taken),
                        }
                    }
                    Err(mismatch) => {
                        assert_eq!(mismatch, Mismatch::Operator);
                        assert!(!by_sender || *moderator);
                    }
                }
            }
            Op::Legacy {
                key,
                revoke,
                attributes,
                held: h,
            } => {
                let mut command = LegacyCommand {
                    conversation: conversation(*key, false),
                    from: user(key.sender),
                    action: if *revoke {
                        "REVOKE_FLAG".into()
                    } else {
                        "TYPING".into()
                    },
                    attributes: Default::default(),
                    sent_at: now,
                };
                command
                    .attributes
                    .insert("msgId".into(), format!("m{}", key.msg % 5));
                for i in 0..(attributes % 40) {
                    command.attributes.insert(format!("a{i}"), String::new());
                }
                if let Ok(taken) = state.on_legacy_command(&command, now) {
                    accepted.insert(norm(*key));
                    match h {
                        Some(h) => settle(&mut state, taken, Some(&held(*h))),
                        None => pending.push(taken),
                    }
                }
            }
            Op::Settle { index, held: h } => {
                if !pending.is_empty() {
                    let taken = pending.swap_remove(usize::from(*index) % pending.len());
                    settle(&mut state, taken, h.map(held).as_ref());
                }
            }
            Op::Message(key) => {
                let message = ArrivingMessage {
                    id: format!("m{}", key.msg % 5).try_into().unwrap(),
                    conversation_id: format!("c{}", key.conv % 3).try_into().unwrap(),
                    sender_id: user(key.sender),
                };
                let arrival = state.on_message(&message, "content", now);
                if !input.tight {
                    assert_eq!(
                        matches!(arrival, Arrival::Tombstone(_)),
                        accepted.contains(&norm(*key)),
                        "{message:?}"
                    );
                }
            }
            Op::Restart => {
                let bytes = state.export();
                assert!(bytes.len() <= limits.config().max_bytes as usize);
                let restored = RecallState::import(me.clone(), limits, &bytes, now).unwrap();
                // Import forgets what has expired by `now`; with roomy limits (no clock jumps)
                // nothing has, and the state comes back byte for byte.
                assert!(restored.len() <= state.len());
                if !input.tight {
                    assert_eq!(restored.export(), bytes);
                }
                state = restored;
            }
            Op::Advance(secs) => {
                if !input.tight {
                    continue; // keep the model exact: no expiry with roomy limits
                }
                now = now.saturating_add_millis(i64::from(*secs % 120) * 1000);
            }
        }
        assert!(state.len() <= limits.config().max_recalls as usize);
        assert!(state.bytes() <= limits.config().max_bytes as usize);
    }
});
