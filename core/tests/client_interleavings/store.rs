//! The app's store, as spec 6.1.1 and 6.8.3 see it: the message's row, and everything a show
//! changes — the notifications posted, the conversation's preview, the search index, the
//! unread count — and the attachments in local storage. Each method is one atomic write (or
//! read) of the store. The conversation holds one message, `m1`, whose content is
//! [`CONTENT`].

use recall_core::{ArrivingMessage, Effects, HeldMessage, Tombstone};

/// The content of the message, as it arrived.
pub const CONTENT: &str = "secret";

/// What the conversation's preview shows once it is refreshed after the replacement.
const RECALLED: &str = "a message was recalled";

/// A notification the app posted for the message.
#[derive(Debug, Clone)]
struct Notification {
    content: &'static str,
    posted: bool,
}

/// The message's row: its content or tombstone, and what it records as done (6.8.3).
#[derive(Debug, Clone, Default)]
struct Row {
    content: Option<&'static str>,
    tombstone: Option<Tombstone>,
    /// Its bubble is on screen (the content, or the tombstone that replaced it).
    shown: bool,
    notified: bool,
    previewed: bool,
    indexed: bool,
    unread: bool,
    attachments: bool,
}

/// What a replacement undoes.
#[derive(Debug, Clone, Copy)]
pub enum Undo {
    /// What the row records at that moment: the contract (6.8.3).
    WhatTheRowRecords,
    /// Only the effects `settle` answered (none for `tombstone`): the README before issue 20.
    Effects(Effects),
}

/// The app's store.
#[derive(Debug, Clone, Default)]
pub struct Store {
    row: Option<Row>,
    notifications: Vec<Notification>,
    /// What the conversation's preview shows.
    preview: Option<&'static str>,
    /// What the search index holds for the message.
    index: Vec<&'static str>,
    /// The conversation's unread count.
    unread: i64,
    /// The user read the message (its content was on screen when they opened it).
    read: bool,
}

impl Store {
    /// Whether the message's id is held.
    pub fn holds(&self) -> bool {
        self.row.is_some()
    }

    /// Stores the arriving message, not shown, with its attachments (6.8.1); `false` when its
    /// id is already held, and the arriving one is dropped.
    pub fn insert_hidden(&mut self) -> bool {
        if self.holds() {
            return false;
        }
        self.row = Some(Row {
            content: Some(CONTENT),
            attachments: true,
            ..Row::default()
        });
        true
    }

    /// The lookup (6.7.2): the held message, with the flags the row records now (6.2).
    pub fn held(&self, message: ArrivingMessage) -> Option<HeldMessage> {
        let row = self.row.as_ref()?;
        Some(HeldMessage {
            id: message.id,
            conversation_id: message.conversation_id,
            sender_id: message.sender_id,
            recalled: row.tombstone.is_some(),
            unread: row.unread,
            latest: row.previewed,
            has_attachments: row.attachments,
            notification_shown: row.notified,
        })
    }

    /// The show on `show`; whether it showed the message. `conditional`: the show of 6.8.3,
    /// only while the row holds the message, built from the row. Otherwise the README's
    /// `store.show(id)` before issue 20: it never writes the content, but shows, notifies,
    /// previews, indexes and counts from what arrived, whatever the row holds.
    pub fn show(&mut self, conditional: bool) -> bool {
        let row = self.row.as_mut().expect("stored before shown");
        let content = if conditional {
            let Some(content) = row.content else {
                return false; // a tombstone: nothing at all
            };
            content
        } else {
            CONTENT
        };
        row.shown = true;
        self.notifications.push(Notification {
            content,
            posted: true,
        });
        row.notified = true;
        self.preview = Some(content);
        row.previewed = true;
        self.index.push(content);
        row.indexed = true;
        if !row.unread {
            self.unread += 1;
            row.unread = true;
        }
        true
    }

    /// The replacement (6.8.3): the tombstone in place of the content, and in the same write
    /// what `undo` says is to be undone.
    pub fn replace(&mut self, tombstone: Tombstone, undo: &Undo) {
        let row = self.row.as_mut().expect("replaced a held message");
        let (cancel, refresh, drop, decrement, delete) = match *undo {
            Undo::WhatTheRowRecords => (
                row.notified,
                row.previewed,
                row.indexed,
                row.unread,
                row.attachments,
            ),
            Undo::Effects(effects) => (
                effects.cancel_notification,
                effects.refresh_preview,
                effects.drop_from_search_index,
                effects.decrement_unread,
                effects.delete_attachments,
            ),
        };
        row.content = None;
        row.tombstone = Some(tombstone);
        if cancel {
            for notification in &mut self.notifications {
                notification.posted = false; // every notification of the message
            }
            row.notified = false;
        }
        if refresh {
            self.preview = Some(RECALLED);
            row.previewed = false;
        }
        if drop {
            self.index.clear();
            row.indexed = false;
        }
        if decrement {
            self.unread -= 1;
            row.unread = false;
        }
        if delete {
            row.attachments = false;
        }
    }

    /// The user opens the conversation: a message whose content is on screen leaves the unread
    /// count and its notification is dismissed. Whether they read it.
    pub fn read(&mut self) -> bool {
        let Some(row) = self.row.as_mut() else {
            return false;
        };
        if !row.shown || row.content.is_none() {
            return false;
        }
        if row.unread {
            self.unread -= 1;
            row.unread = false;
        }
        for notification in &mut self.notifications {
            notification.posted = false;
        }
        row.notified = false;
        self.read = true;
        true
    }

    /// The tombstone the row holds, if any.
    pub fn tombstone(&self) -> Option<&Tombstone> {
        self.row.as_ref()?.tombstone.as_ref()
    }

    fn posted(&self) -> bool {
        self.notifications
            .iter()
            .any(|n| n.posted && n.content == CONTENT)
    }

    /// What is left of a recalled message: the five invariants, and its attachments.
    pub fn leftovers(&self) -> Vec<String> {
        let Some(row) = &self.row else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        if row.content.is_some() {
            problems.push("the recalled content is still visible".to_owned());
        }
        if self.posted() {
            problems.push("a notification of the recalled content is posted".to_owned());
        }
        if self.preview == Some(CONTENT) {
            problems.push("the preview shows the recalled content".to_owned());
        }
        if self.index.contains(&CONTENT) {
            problems.push("the search index holds the recalled content".to_owned());
        }
        if self.unread != 0 {
            problems.push(format!("the unread count is {}, not 0", self.unread));
        }
        if row.attachments {
            problems.push("the recalled message's attachments are kept".to_owned());
        }
        problems
    }

    /// What is missing for a message no genuine recall names: it is shown, notified (until
    /// read), previewed, indexed, counted (until read), and keeps its attachments.
    pub fn missing(&self) -> Vec<String> {
        let Some(row) = &self.row else {
            return vec!["the message was never stored".to_owned()];
        };
        let mut problems = Vec::new();
        if row.content.is_none() {
            problems.push("a message no genuine recall names was hidden".to_owned());
        }
        if !row.shown {
            problems.push("a message answered `show` was never shown".to_owned());
        }
        if self.posted() == self.read {
            problems.push(format!(
                "the message is {}notified, and {}read",
                if self.posted() { "" } else { "not " },
                if self.read { "" } else { "not " }
            ));
        }
        if self.preview != Some(CONTENT) {
            problems.push("the preview does not show the message".to_owned());
        }
        if !self.index.contains(&CONTENT) {
            problems.push("the search index does not hold the message".to_owned());
        }
        let expected = i64::from(!self.read);
        if self.unread != expected {
            problems.push(format!(
                "the unread count is {}, not {expected}",
                self.unread
            ));
        }
        if !row.attachments {
            problems.push("the message's attachments were deleted".to_owned());
        }
        problems
    }
}
