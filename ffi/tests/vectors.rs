//! Every conformance vector (tests/vectors/*.json, spec §10) through the exported API, three
//! ways: `decide`, `recall` and `decideEach` must give the vector's outcome, so they can
//! never disagree (issue: a 5,000-byte `ext` once answered `not_found` from one and
//! `ext_too_large` from the other). The Swift and Kotlin suites replay the same files through
//! their bindings.

use recall_ffi::{
    Basis, Conversation, ConversationKind, Eligibility, MessageKind, MessageState, Operator,
    RecallPolicy, RecallRequest, Role, StoredMessage, Timestamp,
};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// An outcome as text: "allowed sender until <ms>", "allowed moderator", "refused <id>".
type Outcome = String;

fn allowed(basis: Basis, deadline: Option<Timestamp>) -> Outcome {
    let basis = match basis {
        Basis::Sender => "sender",
        Basis::Moderator => "moderator",
        Basis::Unknown => "unknown",
    };
    match deadline {
        Some(at) => format!("allowed {basis} until {}", at.unix_millis()),
        None => format!("allowed {basis}"),
    }
}

fn expected(vector: &Value) -> Outcome {
    let expect = &vector["expect"];
    if expect["allowed"] == Value::Bool(false) {
        return format!("refused {}", expect["reason"].as_str().unwrap());
    }
    let basis = match expect["basis"].as_str().unwrap() {
        "sender" => Basis::Sender,
        _ => Basis::Moderator,
    };
    let deadline = expect["deadline"]
        .as_str()
        .map(|at| Timestamp::parse(at).unwrap());
    allowed(basis, deadline)
}

fn text(value: &Value) -> String {
    value.as_str().unwrap().to_owned()
}

fn role(value: &Value) -> Option<Role> {
    value.as_str().map(|role| match role {
        "member" => Role::Member,
        "admin" => Role::Admin,
        _ => Role::Owner,
    })
}

fn from_snake<T: Copy>(all: &[(&str, T)], value: &Value) -> T {
    let name = value.as_str().unwrap();
    all.iter()
        .find(|(id, _)| *id == name)
        .map(|(_, v)| *v)
        .unwrap()
}

/// The vector's inputs, as spec 10.4 builds them; `Err` when the policy is refused.
fn inputs(
    vector: &Value,
) -> Result<
    (
        Arc<RecallPolicy>,
        RecallRequest,
        Operator,
        StoredMessage,
        Timestamp,
    ),
    Outcome,
> {
    let policy = match &vector["policy"] {
        Value::Object(_) => RecallPolicy::from_json(&vector["policy"].to_string())
            .map_err(|error| format!("refused {}", error.reason().id()))?,
        _ => RecallPolicy::defaults(),
    };
    let conversation = &vector["conversation"];
    let message = &vector["message"];
    let kind = match conversation["kind"].as_str().unwrap() {
        "direct" => ConversationKind::Direct,
        "group" => ConversationKind::Group,
        "room" => ConversationKind::Room,
        _ => ConversationKind::Unknown,
    };
    let request = RecallRequest {
        conversation_id: text(&conversation["id"]),
        message_id: text(&message["id"]),
        ext: vector["ext"].as_str().map(str::to_owned),
    };
    let actor = Operator {
        user_id: text(&vector["actor"]["user_id"]),
        role: role(&vector["actor"]["role"]),
    };
    let kinds = [
        ("text", MessageKind::Text),
        ("image", MessageKind::Image),
        ("audio", MessageKind::Audio),
        ("video", MessageKind::Video),
        ("file", MessageKind::File),
        ("location", MessageKind::Location),
        ("custom", MessageKind::Custom),
        ("command", MessageKind::Command),
        ("notification", MessageKind::Notification),
    ];
    let states = [
        ("sending", MessageState::Sending),
        ("sent", MessageState::Sent),
        ("failed", MessageState::Failed),
        ("recalled", MessageState::Recalled),
    ];
    let stored = StoredMessage {
        id: text(&message["id"]),
        conversation: Conversation {
            id: text(&message["conversation_id"]),
            kind,
        },
        sender_id: text(&message["sender_id"]),
        sender_role: role(&message["sender_role"]),
        kind: from_snake(&kinds, &message["kind"]),
        state: from_snake(&states, &message["state"]),
        sent_at: Timestamp::parse(message["sent_at"].as_str().unwrap()).unwrap(),
    };
    let now = Timestamp::parse(vector["now"].as_str().unwrap()).unwrap();
    Ok((policy, request, actor, stored, now))
}

/// The outcomes of `decide`, `recall` and `decideEach`.
fn three_ways(vector: &Value) -> [Outcome; 3] {
    let (policy, request, actor, message, now) = match inputs(vector) {
        Ok(inputs) => inputs,
        Err(refused) => return [refused.clone(), refused.clone(), refused],
    };
    let refused = |error: recall_ffi::RecallError| format!("refused {}", error.reason().id());
    let decided = policy
        .decide(request.clone(), actor.clone(), message.clone(), now)
        .map_or_else(refused, |d| allowed(d.basis, d.deadline));
    let recalled = policy
        .recall(request.clone(), actor.clone(), message.clone(), now)
        .map_or_else(refused, |n| {
            // A notification carries the decision's basis; its deadline is decide's to say.
            let deadline = policy
                .decide(request.clone(), actor.clone(), message.clone(), now)
                .ok()
                .and_then(|d| d.deadline);
            allowed(n.basis, deadline)
        });
    let each = policy
        .decide_each(
            request.conversation_id,
            actor,
            vec![message],
            now,
            request.ext,
        )
        .map_or_else(refused, |mut answers| match answers.remove(0) {
            Eligibility::Allowed { basis, deadline } => allowed(basis, deadline),
            Eligibility::Refused { reason } => format!("refused {}", reason.id()),
        });
    [decided, recalled, each]
}

#[test]
fn every_vector_agrees_across_decide_recall_and_decide_each() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    let (mut passed, mut failures) = (0, Vec::new());
    for file in files {
        let data: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for vector in data["vectors"].as_array().unwrap() {
            let expected = expected(vector);
            let actual = three_ways(vector);
            if actual.iter().all(|outcome| *outcome == expected) {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}: {}: expected {expected}, got decide/recall/decideEach {actual:?}",
                    file.display(),
                    vector["name"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(passed >= 381, "only {passed} vectors");
}
