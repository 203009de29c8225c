//! `decide`, `decide_case` and `recall` on a policy, request, stored message and `now` built from raw bytes
//! through the real constructors: never a panic, and the invariants of
//! `recall_fuzz::DecideCase::check` hold (a sender is never allowed past the deadline, a
//! refusal is one of the eligibility reasons backed by its rule, ...).
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_fuzz::DecideInput;

fuzz_target!(|input: DecideInput| input.check());
