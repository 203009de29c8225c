//! A simulated chat server deciding a handful of recalls, printed in plain words.
//!
//! Run with `cargo run -q --example demo`.

use recall_core::json::Json;
use recall_core::wire::Protobuf;
use recall_core::{
    Actor, Basis, Conversation, ConversationId, ConversationKind, MessageId, MessageKind,
    MessageState, Reason, RecallNotification, RecallPolicy, RecallRequest, Role, StoredMessage,
    Timestamp, UserId, recall,
};
use std::collections::HashMap;

/// The server's side of the story: memberships, stored messages, and a clock it owns.
struct Server {
    policy: RecallPolicy,
    conversations: HashMap<ConversationId, (ConversationKind, HashMap<UserId, Role>)>,
    messages: HashMap<(ConversationId, MessageId), StoredMessage>,
}

impl Server {
    fn role(&self, conversation: &ConversationId, user: &UserId) -> Option<Role> {
        self.conversations
            .get(conversation)
            .and_then(|(_, roles)| roles.get(user).copied())
    }

    fn send(
        &mut self,
        at: Timestamp,
        conversation: &str,
        id: &str,
        sender: &str,
        kind: MessageKind,
        text: &str,
    ) {
        let conversation = ConversationId::new(conversation).unwrap();
        let sender_id = UserId::new(sender).unwrap();
        let message = StoredMessage {
            id: MessageId::new(id).unwrap(),
            conversation_id: conversation.clone(),
            sender_role: None,
            sender_id,
            kind,
            state: MessageState::Sent,
            sent_at: at,
        };
        let kind = format!("{kind:?}").to_lowercase();
        println!("  {}  {sender} sends {id} ({kind}): {text:?}", clock(at));
        self.messages
            .insert((conversation, message.id.clone()), message);
    }

    /// Looks the message up, fills in current roles, decides, and stores the tombstone.
    fn recall(
        &mut self,
        now: Timestamp,
        conversation: &str,
        id: &str,
        actor: &str,
        ext: Option<&str>,
    ) {
        let conversation_id = ConversationId::new(conversation).unwrap();
        let kind = self.conversations[&conversation_id].0;
        let user_id = UserId::new(actor).unwrap();
        let request = RecallRequest {
            conversation: Conversation {
                id: conversation_id.clone(),
                kind,
            },
            message_id: MessageId::new(id).unwrap(),
            actor: Actor {
                role: self.role(&conversation_id, &user_id),
                user_id,
            },
            ext: ext.map(String::from),
        };
        print!("  {}  {actor} recalls {conversation}/{id}", clock(now));
        if let Some(ext) = ext {
            print!(" (ext {ext:?})");
        }
        let key = (conversation_id.clone(), request.message_id.clone());
        let Some(stored) = self.messages.get_mut(&key) else {
            refused(Reason::NotFound);
            return;
        };
        stored.sender_role = self.conversations[&conversation_id]
            .1
            .get(&stored.sender_id)
            .copied();
        match recall(&self.policy, &request, stored, now) {
            Ok(notification) => {
                stored.state = MessageState::Recalled;
                describe(&notification);
            }
            Err(reason) => refused(reason),
        }
    }
}

fn describe(notification: &RecallNotification) {
    let why = match notification.basis {
        Basis::Sender => "own message",
        Basis::Moderator => "as a moderator",
    };
    println!(" → allowed, {why}");
    println!(
        "      notify every member and every device of {}: \"{} recalled a message\" (silent: no sound, no unread)",
        notification.sender_id, notification.operator_id
    );
    println!(
        "      wire: {} bytes of protobuf, JSON {}",
        notification.to_protobuf().len(),
        notification.to_json()
    );
}

fn refused(reason: Reason) {
    println!(
        " → refused: {} (code {}): {reason}",
        reason.id(),
        reason.code()
    );
}

fn clock(at: Timestamp) -> String {
    at.to_string()[11..19].to_string()
}

fn main() {
    let start = Timestamp::parse("2026-01-01T09:00:00.000Z").unwrap();
    let at = |secs: i64| start.saturating_add_millis(secs * 1000);
    let user = |name: &str| UserId::new(name).unwrap();

    let mut server = Server {
        policy: RecallPolicy::DEFAULT,
        conversations: HashMap::new(),
        messages: HashMap::new(),
    };
    server.conversations.insert(
        ConversationId::new("dm:alice+bob").unwrap(),
        (ConversationKind::Direct, HashMap::new()),
    );
    let team = [
        ("olga", Role::Owner),
        ("adam", Role::Admin),
        ("alice", Role::Member),
        ("bob", Role::Member),
    ];
    server.conversations.insert(
        ConversationId::new("group:team").unwrap(),
        (
            ConversationKind::Group,
            team.iter()
                .map(|&(name, role)| (user(name), role))
                .collect(),
        ),
    );

    println!("Policy: {}", server.policy.to_json());
    println!(
        "(a sender may recall within 2 minutes; owner and admin may recall the messages of lower roles at any time)\n"
    );

    println!("Direct chat dm:alice+bob");
    server.send(
        at(0),
        "dm:alice+bob",
        "m1",
        "alice",
        MessageKind::Text,
        "Lunch at noon?",
    );
    server.send(
        at(10),
        "dm:alice+bob",
        "m2",
        "bob",
        MessageKind::Image,
        "[photo]",
    );
    server.recall(at(90), "dm:alice+bob", "m1", "alice", None);
    server.recall(at(95), "dm:alice+bob", "m1", "alice", None);
    server.recall(at(100), "dm:alice+bob", "m2", "alice", None);
    server.recall(at(130), "dm:alice+bob", "m2", "bob", None);
    server.recall(
        at(131),
        "dm:alice+bob",
        "m2",
        "bob",
        Some("sent to the wrong person"),
    );

    println!("\nGroup group:team (olga owner, adam admin, alice and bob members)");
    server.send(
        at(200),
        "group:team",
        "g1",
        "bob",
        MessageKind::Text,
        "Buy cheap watches at ...",
    );
    server.send(
        at(210),
        "group:team",
        "g2",
        "olga",
        MessageKind::Text,
        "Release moved to Friday",
    );
    server.send(
        at(215),
        "group:team",
        "g3",
        "alice",
        MessageKind::Command,
        "typing…",
    );
    server.recall(at(216), "group:team", "g3", "alice", None);
    server.recall(at(220), "group:team", "g2", "mallory", None);
    // A role held in the group must not reach a message through another conversation.
    server.recall(at(220), "dm:alice+bob", "g2", "olga", None);
    server.recall(at(3600), "group:team", "g1", "bob", None);
    server.recall(at(3600), "group:team", "g1", "alice", None);
    server.recall(at(3600), "group:team", "g1", "adam", Some("spam"));
    server.recall(at(3660), "group:team", "g2", "adam", None);
    server.recall(at(3690), "group:team", "g2", "olga", None);
}
