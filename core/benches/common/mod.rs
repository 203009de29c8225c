//! What the client benchmarks share (`client.rs`, `persistence.rs`): ids of realistic length
//! and a sender's own recall of a numbered message, as a server sends it.

use recall_core::{Basis, Conversation, ConversationKind, RecallNotification, Timestamp};

/// The sender of every recall: a 40-byte user id.
pub const SENDER: &str = "usr_3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c";
/// The conversation of every recall: a 30-byte group id.
pub const CONVERSATION: &str = "grp_01JH8Z6Q4V9N2K7X3M5R8T1W0C";

/// The one clock reading every benchmark uses.
pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_767_225_600_000).unwrap()
}

/// A sender's own recall of message `msg_{n:026}`, as a server sends it.
pub fn recall(n: u64) -> RecallNotification {
    RecallNotification {
        conversation: Conversation {
            id: CONVERSATION.try_into().unwrap(),
            kind: ConversationKind::Group,
        },
        message_id: format!("msg_{n:026}").try_into().unwrap(),
        sender_id: SENDER.try_into().unwrap(),
        operator_id: SENDER.try_into().unwrap(),
        basis: Basis::Sender,
        recalled_at: now(),
        ext: None,
    }
}
