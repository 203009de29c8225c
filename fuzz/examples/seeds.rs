//! Writes the seed corpora under `fuzz/corpus/<target>/`: a handful of valid encodings per
//! target, from the same shapes as the README and the conformance vectors.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --example seeds`

use recall_core::json::Json;
use recall_core::wire::Protobuf;
use recall_core::{
    Decision, Reason, RecallNotification, RecallPolicy, RecallRejection, RecallRequest,
    StoredMessage,
};
use std::path::{Path, PathBuf};

const REQUESTS: &[&str] = &[
    r#"{"conversation_id":"g1","message_id":"m1","ext":"spam 广告"}"#,
    r#"{"conversation_id":"d1","message_id":"m1"}"#,
    r#"{"conversation_id":"r1","message_id":"m9","ext":""}"#,
    // What a client of the first drafts still sends besides: ignored (spec 4.1.1, 8.4).
    r#"{"conversation_id":"g1","message_id":"m1","ext":null,"conversation":{"id":"g1","kind":"group"},"actor":{"user_id":"mia","role":"owner"}}"#,
];

const NOTIFICATIONS: &[&str] = &[
    r#"{"conversation":{"id":"r1","kind":"room"},"message_id":"m9","sender_id":"alice","operator_id":"bob","basis":"moderator","recalled_at":"2026-01-01T00:02:00.001Z","ext":null}"#,
    r#"{"conversation":{"id":"d1","kind":"direct"},"message_id":"m1","sender_id":"a","operator_id":"a","basis":"sender","recalled_at":"2026-01-01T08:00:00+08:00","ext":"{\"why\":\"typo\"}"}"#,
    r#"{"conversation":{"id":"g1","kind":"group"},"message_id":"m2","sender_id":"alice smith 中文","operator_id":"alice smith 中文","basis":"sender","recalled_at":"9999-12-31T23:59:59.999Z"}"#,
];

const MESSAGES: &[&str] = &[
    r#"{"id":"m42","conversation":{"id":"team","kind":"group"},"sender_id":"bob","sender_role":"member","kind":"text","state":"sent","sent_at":"2026-01-01T00:00:00.000Z"}"#,
    r#"{"id":"m1","conversation":{"id":"d1","kind":"direct"},"sender_id":"alice","kind":"image","state":"sending","sent_at":"2026-01-01T00:00:00Z"}"#,
    r#"{"id":"m2","conversation":{"id":"g1","kind":"unknown"},"sender_id":"olga","sender_role":null,"kind":"command","state":"recalled","sent_at":"0000-01-01T00:00:00.000Z"}"#,
    r#"{"id":"m3","conversation":{"id":"r1","kind":"room"},"sender_id":"ann","sender_role":"owner","kind":"notification","state":"failed","sent_at":"2026-06-30T12:34:56.789-07:00"}"#,
];

const POLICIES: &[&str] = &[
    "{}",
    r#"{"window_secs": 300}"#,
    r#"{"window_secs":60,"moderators":["owner","admin"],"moderators_bypass_window":false,"moderation":"any","excluded_kinds":["video","command","notification"],"max_ext_bytes":0}"#,
    r#"{"window_secs":604800,"moderators":[],"excluded_kinds":[],"max_ext_bytes":4096}"#,
    r#"{"moderators":["admin","admin"],"moderation":"outrank","moderators_bypass_window":true}"#,
];

const DECISIONS: &[&str] = &[
    r#"{"basis":"sender","deadline":"2026-01-01T00:02:00.000Z"}"#,
    r#"{"basis":"moderator"}"#,
    r#"{"basis":"moderator","deadline":null}"#,
    r#"{"basis":"moderator","deadline":"9999-12-31T23:59:59.999Z"}"#,
];

/// A protobuf target and the encoder of its seeds.
type ProtobufSeeds<'a, T> = Option<(&'a str, fn(&T) -> Vec<u8>)>;

fn write(dir: &Path, target: &str, name: &str, bytes: &[u8]) {
    let folder = dir.join(target);
    std::fs::create_dir_all(&folder).expect("create the corpus folder");
    std::fs::write(folder.join(name), bytes).expect("write a seed");
}

/// Checks that every seed decodes, then writes its JSON text and, where the type has one,
/// its protobuf encoding.
fn seeds<T: Json + std::fmt::Debug>(
    dir: &Path,
    json_target: &str,
    texts: &[&str],
    protobuf: ProtobufSeeds<'_, T>,
) {
    for (i, text) in texts.iter().enumerate() {
        let value = T::from_json(text).unwrap_or_else(|r| panic!("seed {text} refused: {r:?}"));
        write(dir, json_target, &format!("seed-{i}.json"), text.as_bytes());
        if let Some((target, encode)) = protobuf {
            write(dir, target, &format!("seed-{i}.pb"), &encode(&value));
        }
    }
}

fn main() {
    let dir: PathBuf = std::env::args_os().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        PathBuf::from,
    );
    seeds::<RecallRequest>(
        &dir,
        "json_request",
        REQUESTS,
        Some(("protobuf_request", Protobuf::to_protobuf)),
    );
    seeds::<RecallNotification>(
        &dir,
        "json_notification",
        NOTIFICATIONS,
        Some(("protobuf_notification", Protobuf::to_protobuf)),
    );
    seeds::<StoredMessage>(&dir, "json_message", MESSAGES, None);
    seeds::<RecallPolicy>(&dir, "json_policy", POLICIES, None);
    seeds::<Decision>(&dir, "json_decision", DECISIONS, None);

    let rejections: Vec<String> = [
        Reason::NotFound,
        Reason::NotSender,
        Reason::WindowExpired,
        Reason::MalformedInput,
        Reason::Unknown(34),
    ]
    .iter()
    .map(|&reason| RecallRejection { reason }.to_json())
    .collect();
    let rejections: Vec<&str> = rejections.iter().map(String::as_str).collect();
    seeds::<RecallRejection>(
        &dir,
        "json_rejection",
        &rejections,
        Some(("protobuf_rejection", Protobuf::to_protobuf)),
    );

    // `decide` reads its input through `arbitrary`, for which any bytes are valid: a few
    // patterns of different lengths to start from.
    let patterns: [Vec<u8>; 5] = [
        vec![0; 64],
        vec![1; 96],
        (0u8..=255).collect(),
        (0u8..128).map(|b| b.wrapping_mul(37)).collect(),
        b"alice bob g1 m1 2026-01-01T00:00:00.000Z text sent group admin".to_vec(),
    ];
    for (i, bytes) in patterns.iter().enumerate() {
        write(&dir, "decide", &format!("seed-{i}.bin"), bytes);
    }
    println!("seeds written under {}", dir.display());
}
