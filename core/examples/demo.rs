//! A simulated chat server deciding a handful of recalls, printed in plain words.
//!
//! A client's request names the message (conversation id, message id, `ext`) and nothing
//! else; the server takes who asks from the session, their role from its membership records,
//! and the conversation's kind from its own records (spec 4.1.1).
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
            conversation: Conversation {
                id: conversation.clone(),
                kind: self.conversations[&conversation].0,
            },
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

    /// Handles a request `session_user` sent: builds the actor from the session and the
    /// membership records, looks the message up by both ids, fills in the sender's current
    /// role, decides, and stores the tombstone.
    fn recall(
        &mut self,
        now: Timestamp,
        session_user: &str,
        conversation: &str,
        id: &str,
        ext: Option<&str>,
    ) {
        // What the client sent: which message, and an optional reason.
        let request = RecallRequest {
            conversation_id: ConversationId::new(conversation).unwrap(),
            message_id: MessageId::new(id).unwrap(),
            ext: ext.map(String::from),
        };
        // Who asks: the session's user, with the role the server's records give them now.
        let user_id = UserId::new(session_user).unwrap();
        let actor = Actor::new(
            user_id.clone(),
            self.role(&request.conversation_id, &user_id),
        );
        print!(
            "  {}  {session_user} recalls {conversation}/{id}",
            clock(now)
        );
        if let Some(ext) = ext {
            print!(" (ext {ext:?})");
        }
        let key = (request.conversation_id.clone(), request.message_id.clone());
        let Some(stored) = self.messages.get_mut(&key) else {
            refused(Reason::NotFound);
            return;
        };
        stored.sender_role = self.conversations[&request.conversation_id]
            .1
            .get(&stored.sender_id)
            .copied();
        match recall(&self.policy, &request, &actor, stored, now) {
            Ok(notification) => {
                stored.state = MessageState::Recalled;
                describe(&notification);
            }
            Err(refusal) => refused(refusal.reason()),
        }
    }
}

fn describe(notification: &RecallNotification) {
    let why = match notification.basis {
        Basis::Sender => "own message",
        Basis::Moderator => "as a moderator",
        // A newer version's basis; `recall` never gives one.
        _ => "on a basis this version does not know",
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
    server.recall(at(90), "alice", "dm:alice+bob", "m1", None);
    server.recall(at(95), "alice", "dm:alice+bob", "m1", None);
    server.recall(at(100), "alice", "dm:alice+bob", "m2", None);
    server.recall(at(130), "bob", "dm:alice+bob", "m2", None);
    server.recall(
        at(131),
        "bob",
        "dm:alice+bob",
        "m2",
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
    server.recall(at(216), "alice", "group:team", "g3", None);
    server.recall(at(220), "mallory", "group:team", "g2", None);
    // A role held in the group must not reach a message through another conversation.
    server.recall(at(220), "olga", "dm:alice+bob", "g2", None);
    server.recall(at(3600), "bob", "group:team", "g1", None);
    server.recall(at(3600), "alice", "group:team", "g1", None);
    server.recall(at(3600), "adam", "group:team", "g1", Some("spam"));
    server.recall(at(3660), "adam", "group:team", "g2", None);
    server.recall(at(3690), "olga", "group:team", "g2", None);
}
