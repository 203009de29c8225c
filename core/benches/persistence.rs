//! Benchmarks of keeping remembered recalls across a restart (spec 6.12): `RecallState::export`
//! and `RecallState::import` of a state holding 10^4 and 10^5 recalls with ids of realistic
//! length (a 30-byte conversation id, a 30-byte message id, a 40-byte user id), so an app can
//! tell when to call them and on which thread (docs/ios.md and docs/android.md, "Threads and persistence").
//!
//! The limits are raised so that every recall stays remembered: 10^5 of these recalls charge
//! 30.2 MB (spec 6.11), past the default 4 MiB. Results: `BENCHMARKS.md`.
//!
//! The bytes and the state are dropped outside the timed part.
//!
//! ```sh
//! cargo bench -p recall-core --bench persistence -- --warm-up-time 1 --measurement-time 3
//! ```

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use recall_core::{ClientLimits, LimitsConfig, RecallState, UserId};
use std::hint::black_box;

mod common;
use common::{now, recall};

const SIZES: [u32; 2] = [10_000, 100_000];

fn me() -> UserId {
    "usr_me".try_into().unwrap()
}

/// Limits that keep `size` recalls of these ids.
fn limits(size: u32) -> ClientLimits {
    ClientLimits::new(LimitsConfig {
        max_recalls: size,
        max_age_secs: 365 * 86_400,
        max_bytes: 256 << 20,
    })
    .unwrap()
}

/// A state holding `size` recalls, each taken and settled with no held message (remembered).
fn state_with(size: u32) -> RecallState {
    let mut state = RecallState::new(me(), limits(size));
    for n in 0..u64::from(size) {
        let pending = state.on_recall(recall(n), now()).unwrap();
        state.settle(pending, None).unwrap();
    }
    assert_eq!(state.len(), size as usize);
    state
}

fn persistence(c: &mut Criterion) {
    let mut group = c.benchmark_group("persistence");
    group.sample_size(10);
    for size in SIZES {
        let state = state_with(size);
        let bytes = state.export();
        eprintln!(
            "persistence/{size}: export {} bytes ({} per recall), state charged {} bytes",
            bytes.len(),
            bytes.len() / size as usize,
            state.bytes()
        );
        let restored = RecallState::import(me(), limits(size), &bytes, now()).unwrap();
        assert_eq!(restored.len(), state.len());
        assert_eq!(restored.export(), bytes);
        group.throughput(Throughput::Elements(u64::from(size)));
        group.bench_function(BenchmarkId::new("export", size), |b| {
            b.iter_with_large_drop(|| black_box(&state).export());
        });
        group.bench_function(BenchmarkId::new("import", size), |b| {
            b.iter_with_large_drop(|| {
                black_box(RecallState::import(
                    me(),
                    limits(size),
                    black_box(&bytes),
                    now(),
                ))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, persistence);
criterion_main!(benches);
