//! The allowed path of `decide` does no heap allocation (issue: "No heap allocation on the
//! path that allows a recall"). A counting global allocator proves it.

#![allow(unsafe_code)] // A global allocator cannot be written without `unsafe impl`.

use recall_core::json::Json;
use recall_core::{Actor, RecallPolicy, RecallRequest, StoredMessage, Timestamp, decide};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards every call to `System` unchanged; it only counts allocations.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn allowed_decisions_do_not_allocate() {
    let policy = RecallPolicy::from_json(r#"{"moderators_bypass_window": false}"#).unwrap();
    let message = StoredMessage::from_json(
        r#"{"id":"m1","conversation":{"id":"g1","kind":"group"},"sender_id":"alice","sender_role":"member","kind":"image","state":"sent","sent_at":"2026-01-01T00:00:00.000Z"}"#,
    )
    .unwrap();
    let request =
        RecallRequest::from_json(r#"{"conversation_id":"g1","message_id":"m1","ext":"typo"}"#)
            .unwrap();
    let sender = Actor::from_json(r#"{"user_id":"alice","role":"member"}"#).unwrap();
    let moderator = Actor::from_json(r#"{"user_id":"olga","role":"owner"}"#).unwrap();
    let now = Timestamp::parse("2026-01-01T00:01:00.000Z").unwrap();

    for actor in [&sender, &moderator] {
        let mut allowed = false;
        let count = allocations_during(|| {
            allowed = decide(&policy, &request, actor, &message, now).is_ok();
        });
        assert!(allowed);
        assert_eq!(count, 0, "{actor:?}");
    }
    // The counter works: copying a request allocates.
    assert!(allocations_during(|| drop(request.clone())) > 0);
}
