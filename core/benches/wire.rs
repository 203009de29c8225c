//! Benchmarks of the wire formats (issue "Performance: benchmarks and budgets"): JSON and
//! protobuf, encode and decode, of a `RecallRequest` and a `RecallNotification` with
//! realistic ids and a 20-byte `ext`. Decoding includes every check (size limit, ids,
//! enums, timestamps, `ext`), as for untrusted input.
//!
//! Results and how to read them: `BENCHMARKS.md` at the top of the repository.
//!
//! ```sh
//! cargo bench -p recall-core --bench wire -- --warm-up-time 1 --measurement-time 3
//! ```

use criterion::{Criterion, Throughput, criterion_group};
use recall_core::json::Json;
use recall_core::wire::Protobuf;
use recall_core::{
    Basis, Conversation, ConversationId, ConversationKind, MessageId, RecallNotification,
    RecallRequest, Timestamp, UserId,
};
use std::fmt::Debug;
use std::hint::black_box;

const GROUP: &str = "grp_01JH8Z6Q4V9N2K7X3M5R8T1W0C";
const MESSAGE: &str = "msg_01JH8ZB3W5Y7Q9S1U3W5Y7A9C2";
const ALICE: &str = "usr_3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c";
const OLGA: &str = "usr_0c1d2e3f-4a5b-4c6d-9e7f-8a9b0c1d2e3f";
/// An `ext` of 20 bytes, as an app sends a short reason.
const EXT: &str = "sent to wrong chat:)";

/// What a client sends: the conversation id, the message id and `ext` (spec 8.7.3).
fn request() -> RecallRequest {
    RecallRequest {
        conversation_id: ConversationId::new(GROUP).unwrap(),
        message_id: MessageId::new(MESSAGE).unwrap(),
        ext: Some(EXT.to_owned()),
    }
}

fn notification() -> RecallNotification {
    RecallNotification {
        conversation: Conversation {
            id: ConversationId::new(GROUP).unwrap(),
            kind: ConversationKind::Group,
        },
        message_id: MessageId::new(MESSAGE).unwrap(),
        sender_id: UserId::new(ALICE).unwrap(),
        operator_id: UserId::new(OLGA).unwrap(),
        basis: Basis::Moderator,
        // 2026-01-01T00:01:00.000Z
        recalled_at: Timestamp::from_unix_millis(1_767_225_660_000).unwrap(),
        ext: Some(EXT.to_owned()),
    }
}

/// The four benchmarks of one shape, under `<name>/…`, after checking that each format
/// round-trips. Prints the encoded sizes once.
fn bench_shape<T>(c: &mut Criterion, name: &str, value: &T)
where
    T: Json + Protobuf + PartialEq + Debug,
{
    let json = value.to_json();
    let bytes = value.to_protobuf();
    assert_eq!(&T::from_json(&json).unwrap(), value);
    assert_eq!(&T::from_protobuf(&bytes).unwrap(), value);
    eprintln!(
        "{name}: JSON {} bytes, protobuf {} bytes",
        json.len(),
        bytes.len()
    );

    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(1));
    group.bench_function("json_encode", |b| b.iter(|| black_box(value).to_json()));
    group.bench_function("json_decode", |b| {
        b.iter(|| T::from_json(black_box(&json)));
    });
    group.bench_function("protobuf_encode", |b| {
        b.iter(|| black_box(value).to_protobuf());
    });
    group.bench_function("protobuf_decode", |b| {
        b.iter(|| T::from_protobuf(black_box(&bytes)));
    });
    group.finish();
}

fn bench_wire(c: &mut Criterion) {
    bench_shape(c, "request", &request());
    bench_shape(c, "notification", &notification());
}

criterion_group!(benches, bench_wire);

/// One routine of [`bench_shape`], `times` times, without criterion.
fn repeat_shape<T: Json + Protobuf>(value: &T, routine: &str, times: u64) {
    let json = value.to_json();
    let bytes = value.to_protobuf();
    for _ in 0..times {
        match routine {
            "json_encode" => drop(black_box(black_box(value).to_json())),
            "json_decode" => drop(black_box(T::from_json(black_box(&json)))),
            "protobuf_encode" => drop(black_box(black_box(value).to_protobuf())),
            "protobuf_decode" => drop(black_box(T::from_protobuf(black_box(&bytes)))),
            _ => panic!("RECALL_BENCH_CASE: no routine {routine:?}"),
        }
    }
}

/// Runs the criterion benchmarks; or, with `RECALL_BENCH_REPEAT=N` set, only runs one
/// benchmark's routine N times (`RECALL_BENCH_CASE`, a full id such as
/// `request/json_decode`) and exits, for counting instructions (see `BENCHMARKS.md`).
fn main() {
    if let Ok(times) = std::env::var("RECALL_BENCH_REPEAT") {
        let times = times.parse().expect("RECALL_BENCH_REPEAT: a number");
        let name = std::env::var("RECALL_BENCH_CASE").expect("RECALL_BENCH_CASE: a benchmark");
        match name.split_once('/') {
            Some(("request", routine)) => repeat_shape(&request(), routine, times),
            Some(("notification", routine)) => repeat_shape(&notification(), routine, times),
            _ => panic!("RECALL_BENCH_CASE: no benchmark {name:?}"),
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
