//! Benchmarks of the client recall state (issue "Performance: benchmarks and budgets"): how
//! applying a recall and checking an arriving message cost as the number of remembered recalls
//! grows from 10^3 to 10^6, one by one and as a page of [`PAGE`] (spec 6.13; throughput per
//! item, so the figures compare directly).
//!
//! Budget: at least 1,000,000 recalls applied per second with 10^5 remembered. Results:
//! `BENCHMARKS.md`.
//!
//! ```sh
//! cargo bench -p recall-core --bench client -- --warm-up-time 1 --measurement-time 3
//! ```

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use recall_core::{
    ArrivingMessage, ClientLimits, HeldMessage, LimitsConfig, RecallNotification, RecallState,
};
use std::hint::black_box;

mod common;
use common::{CONVERSATION, SENDER, now, recall};

const SIZES: [u32; 4] = [1_000, 10_000, 100_000, 1_000_000];
/// How many items a page of `on_recalls` and `settle_all` / `on_messages` holds.
const PAGE: u64 = 100;

fn held(recall: &RecallNotification) -> HeldMessage {
    HeldMessage {
        id: recall.message_id.clone(),
        conversation_id: recall.conversation.id.clone(),
        sender_id: recall.sender_id.clone(),
        recalled: false,
        unread: true,
        latest: false,
        has_attachments: false,
        notification_shown: true,
    }
}

/// A state holding `size` recalls, at its count limit, so every new one evicts the oldest.
fn state_with(size: u32) -> RecallState {
    let limits = ClientLimits::new(LimitsConfig {
        max_recalls: size,
        max_age_secs: 365 * 86_400,
        max_bytes: 256 << 20,
    })
    .unwrap();
    let mut state = RecallState::new("usr_me".try_into().unwrap(), limits);
    for n in 0..u64::from(size) {
        let pending = state.on_recall(recall(n), now()).unwrap();
        state.settle(pending, None).unwrap();
    }
    state
}

fn client(c: &mut Criterion) {
    let mut group = c.benchmark_group("client");
    group.throughput(Throughput::Elements(1));
    for size in SIZES {
        let mut state = state_with(size);
        let mut next = u64::from(size);
        // A recall for a held message the state has never seen: applied, remembered, and
        // the oldest evicted.
        group.bench_function(BenchmarkId::new("apply_held", size), |b| {
            b.iter_batched(
                || {
                    next += 1;
                    let recall = recall(next);
                    let held = held(&recall);
                    (recall, held)
                },
                // Both phases; the held message is returned so that dropping it is not timed.
                |(recall, held)| {
                    let pending = state.on_recall(recall, now()).unwrap();
                    (black_box(state.settle(pending, Some(&held))), held)
                },
                BatchSize::SmallInput,
            );
        });
        // A recall that overtakes its message: remembered (and the oldest evicted).
        group.bench_function(BenchmarkId::new("remember", size), |b| {
            b.iter_batched(
                || {
                    next += 1;
                    recall(next)
                },
                |recall| {
                    let pending = state.on_recall(recall, now()).unwrap();
                    black_box(state.settle(pending, None))
                },
                BatchSize::SmallInput,
            );
        });
        // An arriving message with no recall: the lookup every message pays.
        let unknown = ArrivingMessage {
            id: "msg_unknown".try_into().unwrap(),
            conversation_id: CONVERSATION.try_into().unwrap(),
            sender_id: SENDER.try_into().unwrap(),
        };
        group.bench_function(BenchmarkId::new("message_shown", size), |b| {
            b.iter(|| black_box(state.on_message(black_box(&unknown), (), now())));
        });
        // The same per item in pages (spec 6.13): a page of recalls that overtake their
        // messages, and a page of messages with no recall.
        group.throughput(Throughput::Elements(PAGE));
        group.bench_function(BenchmarkId::new("remember_page", size), |b| {
            b.iter_batched(
                || {
                    next += PAGE;
                    (next - PAGE + 1..=next).map(recall).collect::<Vec<_>>()
                },
                |page| {
                    let pending = state.on_recalls(page, now());
                    let looked_up = pending.into_iter().flatten().map(|pending| (pending, None));
                    black_box(state.settle_all(looked_up))
                },
                BatchSize::SmallInput,
            );
        });
        let unknown_page: Vec<ArrivingMessage> = (0..PAGE)
            .map(|n| ArrivingMessage {
                id: format!("msg_unknown_{n}").try_into().unwrap(),
                ..unknown.clone()
            })
            .collect();
        group.bench_function(BenchmarkId::new("message_page_shown", size), |b| {
            b.iter(|| {
                let page = black_box(&unknown_page).iter().map(|message| (message, ()));
                black_box(state.on_messages(page, now()))
            });
        });
        group.throughput(Throughput::Elements(1));
        drop(state);
    }
    group.finish();
}

criterion_group!(benches, client);
criterion_main!(benches);
