//! # recall-core
//!
//! Decides and carries out "recall a sent message" (unsend / revoke / delete for everyone)
//! the same way on a chat server, in an iOS app and in an Android app.
//!
//! The contract is `spec/recall-v1.md` in this repository: the normative text of the rules,
//! the client behaviour, the wire formats, the reasons and the conformance data formats.
//! This crate is its reference implementation; the "spec §6" and "spec 6.3" in its docs cite
//! that file's sections and clauses.
//!
//! The crate is pure and deterministic: no I/O, no clock, no threads, no global state.
//! Every function takes what it needs as arguments, `now` included. The server or app does
//! the storage, the network and the UI; the core tells it what to do.
//!
//! ## Where each part of the spec lives
//!
//! | spec | module | items |
//! |---|---|---|
//! | §2 vocabulary | [`model`](crate::Role), `id`, `timestamp` | [`ConversationKind`], [`Role`], [`MessageKind`], [`MessageState`], [`StoredMessage`], [`RecallRequest`], [`Actor`], [`UserId`], [`ConversationId`], [`MessageId`], [`Timestamp`] |
//! | §3 policy | `policy` | [`RecallPolicy`], [`PolicyConfig`], [`Moderation`] |
//! | §4 eligibility rules | `eligibility` | [`decide`], [`recall`], [`Decision`], [`Basis`], [`Refusal`] |
//! | §5 notification | `notification` | [`RecallNotification`], [`RecallRejection`] |
//! | §6 applying a recall on a client | `client` | [`RecallState`], [`PendingRecall`], [`Mismatch`], [`HeldMessage`], [`ArrivingMessage`], [`RecallOutcome`], [`Arrival`], [`Tombstone`], [`Effects`], [`ClientLimits`] |
//! | §7 legacy commands | `legacy` | [`LegacyCommand`] |
//! | §8 wire formats | [`wire`], [`json`] | [`wire::Protobuf`], [`json::Json`] |
//! | §9 reasons | `reason` | [`Reason`] |
//!
//! ## Example
//!
//! ```
//! use recall_core::json::Json;
//! use recall_core::{decide, recall, Actor, Basis, Reason, RecallPolicy, RecallRequest, Refusal,
//!                   StoredMessage, Timestamp};
//!
//! let policy = RecallPolicy::DEFAULT; // 2-minute window, owner/admin moderate
//! // What a client asks: which message. Nothing in a request says who asks, or with what role.
//! let request = RecallRequest::from_json(r#"{"conversation_id": "g1", "message_id": "m1"}"#)?;
//! // Who asks, and their role: from the server's session and membership records.
//! let alice = Actor::from_json(r#"{"user_id": "alice", "role": "member"}"#)?;
//! // The message as the server stored it, with its conversation's kind from its own records.
//! let message = StoredMessage::from_json(r#"{
//!     "id": "m1", "conversation": {"id": "g1", "kind": "group"}, "sender_id": "alice",
//!     "sender_role": "member", "kind": "text", "state": "sent",
//!     "sent_at": "2026-01-01T00:00:00.000Z"
//! }"#)?;
//!
//! // 90 seconds later, Alice may still recall her own message, until the deadline.
//! let decision = decide(&policy, &request, &alice, &message, Timestamp::parse("2026-01-01T00:01:30.000Z")?)?;
//! assert_eq!(decision.basis, Basis::Sender);
//! assert_eq!(decision.deadline.unwrap().to_string(), "2026-01-01T00:02:00.000Z");
//!
//! // One millisecond past the window, she may not: the refusal maps to its reason.
//! let late = Timestamp::parse("2026-01-01T00:02:00.001Z")?;
//! let refused = decide(&policy, &request, &alice, &message, late).unwrap_err();
//! assert_eq!(refused, Refusal::WindowExpired);
//! assert_eq!(refused.reason(), Reason::WindowExpired);
//!
//! // The server decides and builds the notification to deliver in one call.
//! let now = Timestamp::parse("2026-01-01T00:01:00.000Z")?;
//! let notification = recall(&policy, &request, &alice, &message, now)?;
//! assert_eq!(notification.operator_id.as_str(), "alice");
//! # Ok::<(), Reason>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
mod decode;
mod eligibility;
mod id;
pub mod json;
mod legacy;
mod model;
mod notification;
mod policy;
mod reason;
mod timestamp;
pub mod wire;

/// The crate's README example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;

pub use client::{
    Arrival, ArrivingMessage, ClientLimits, Effects, HeldMessage, LimitsConfig, Mismatch,
    PendingRecall, RecallOutcome, RecallState, RecalledBy, Tombstone,
};
pub use decode::DecodeError;
pub use eligibility::{Basis, Decision, Refusal, decide, recall};
pub use id::{ConversationId, IdError, MAX_ID_BYTES, MessageId, UserId};
pub use legacy::{LegacyCommand, LegacyError, MESSAGE_ID_ATTRIBUTE, REVOKE_ACTION};
pub use model::{
    Actor, Conversation, ConversationKind, MessageKind, MessageState, RecallRequest, Role,
    StoredMessage,
};
pub use notification::{RecallNotification, RecallRejection};
pub use policy::{Moderation, PolicyConfig, PolicyError, RecallPolicy};
pub use reason::Reason;
pub use timestamp::{Timestamp, TimestampError};
