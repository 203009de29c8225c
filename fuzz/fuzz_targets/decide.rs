//! `decide` and `recall` on a policy, request, actor, stored message and `now` built from raw
//! bytes through the real constructors: never a panic, and the invariants of
//! `recall_fuzz::DecideCase::check` hold (an unknown conversation kind is always refused, a
//! sender is never allowed past the deadline, a refusal is a reason of rules 2 to 9 backed by
//! its rule, a request decides alike after a wire round trip, ...).
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_fuzz::DecideInput;

fuzz_target!(|input: DecideInput| input.check());
