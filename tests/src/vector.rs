//! Conformance vectors (spec §10): their format, and the check of one.
//!
//! A vector file is `{"description": "...", "vectors": [VECTOR, ...]}`; each vector gives a
//! policy, the conversation (the request's conversation id, and the kind the server's records
//! give it), the actor, a stored message, `ext`, `now`, and the expected decision. Other
//! implementations can read the same files; the `recall-vectors` binary checks any of them
//! against this crate.
//!
//! A vector is checked the way a server would meet its inputs (spec 10.4): the policy is read
//! first (so an invalid policy wins over everything, rule 1), then the request (conversation
//! id, message id, `ext`), the actor and the stored message (with its conversation, id and
//! kind) from their JSON shapes (an invalid id is `invalid_argument`, rule 2), then
//! [`decide`] applies the rest of rule 2 (a conversation kind this version knows) and rules 3
//! to 9.

use recall_core::json::Json;
use recall_core::{
    Actor, Basis, Decision, Reason, RecallPolicy, RecallRequest, StoredMessage, Timestamp, decide,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::fmt;
use std::path::Path;

/// A file of vectors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// What the file covers.
    pub description: String,
    /// Its vectors, in order.
    pub vectors: Vec<Vector>,
}

impl VectorFile {
    /// Reads and parses a vector file.
    ///
    /// # Errors
    /// A sentence naming the file and what is wrong with it.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: VectorFile = serde_json::from_str(&text)
            .map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
        for vector in &file.vectors {
            vector
                .expected()
                .map_err(|e| format!("{}: {}: {e}", path.display(), vector.name))?;
        }
        Ok(file)
    }
}

/// The policy of a vector: `"default"` or a partial policy object.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PolicySpec {
    /// The word `"default"`.
    Named(DefaultPolicy),
    /// A policy object, which may omit fields and may be invalid.
    Object(Map<String, Value>),
}

/// The only named policy.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultPolicy {
    /// [`RecallPolicy::DEFAULT`].
    Default,
}

/// One case: inputs and the expected outcome. Ids stay raw JSON here, so that invalid ones
/// reach the decoder and come out as `invalid_argument`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// What it checks, in plain words; unique in the project's files.
    pub name: String,
    /// The policy.
    pub policy: PolicySpec,
    /// `{"id": ..., "kind": ...}`: the request's conversation id, and the conversation's kind
    /// as the server's records give it (it goes into the stored message).
    pub conversation: Value,
    /// `{"user_id": ..., "role": ...}`: who acts, as the server's authentication and
    /// membership records give it.
    pub actor: Value,
    /// The stored message, in its JSON shape but with `conversation_id` where the shape has
    /// `conversation` (spec 10.4 puts the vector's conversation kind there).
    pub message: Value,
    /// The request's `ext`.
    #[serde(default)]
    pub ext: Option<String>,
    /// The server's clock.
    pub now: Timestamp,
    /// The expected outcome.
    pub expect: Expect,
}

/// The `expect` object: `{"allowed": true, "basis", "deadline"?}` or
/// `{"allowed": false, "reason"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Whether the recall is allowed.
    pub allowed: bool,
    /// The basis, when allowed.
    #[serde(default)]
    pub basis: Option<Basis>,
    /// The deadline, when allowed and the window applied.
    #[serde(default)]
    pub deadline: Option<Timestamp>,
    /// The reason, when refused.
    #[serde(default)]
    pub reason: Option<Reason>,
}

/// An outcome: an allowed decision or a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome(pub Result<Decision, Reason>);

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Ok(Decision {
                basis,
                deadline: None,
            }) => write!(f, "allowed as {basis:?} (no deadline)"),
            Ok(Decision {
                basis,
                deadline: Some(at),
            }) => {
                write!(f, "allowed as {basis:?} until {at}")
            }
            Err(reason) => write!(f, "refused with {}", reason.id()),
        }
    }
}

impl Vector {
    /// The expected outcome.
    ///
    /// # Errors
    /// When `expect` mixes the fields of an allowed and a refused outcome.
    pub fn expected(&self) -> Result<Outcome, String> {
        match &self.expect {
            Expect {
                allowed: true,
                basis: Some(basis),
                deadline,
                reason: None,
            } => Ok(Outcome(Ok(Decision {
                basis: *basis,
                deadline: *deadline,
            }))),
            Expect {
                allowed: false,
                basis: None,
                deadline: None,
                reason: Some(reason),
            } => Ok(Outcome(Err(*reason))),
            _ => Err(
                "`expect` must be {allowed: true, basis, deadline?} or {allowed: false, reason}"
                    .into(),
            ),
        }
    }

    /// The outcome this crate gives.
    #[must_use]
    pub fn actual(&self) -> Outcome {
        Outcome(self.run())
    }

    /// Spec 10.4, step by step.
    fn run(&self) -> Result<Decision, Reason> {
        // 1. The policy.
        let policy = match &self.policy {
            PolicySpec::Named(DefaultPolicy::Default) => RecallPolicy::DEFAULT,
            PolicySpec::Object(fields) => {
                RecallPolicy::from_json(&Value::from(fields.clone()).to_string())?
            }
        };
        // 2. The request: the conversation's id and the message's id (each `null` when
        //    absent), and `ext`.
        let request = json!({
            "conversation_id": self.conversation.get("id"),
            "message_id": self.message.get("id"),
            "ext": self.ext,
        });
        let request = RecallRequest::from_json(&request.to_string())?;
        // 3. The actor.
        let actor = Actor::from_json(&self.actor.to_string())?;
        // 4. The stored message, its `conversation_id` replaced by its conversation: that id
        //    and the vector's conversation kind.
        let mut message = self.message.clone();
        if let Value::Object(fields) = &mut message {
            let id = fields.remove("conversation_id");
            fields.insert(
                "conversation".into(),
                json!({"id": id, "kind": self.conversation.get("kind")}),
            );
        }
        let message = StoredMessage::from_json(&message.to_string())?;
        // 5. The rules.
        Ok(decide(&policy, &request, &actor, &message, self.now)?)
    }
}
