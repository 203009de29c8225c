//! The Kotlin fast path's entry (`ffi/src/fast.rs`) on requests built from raw bytes: every
//! header word, mask, slot and data byte for a stand-in function, and well-formed requests with
//! arbitrary argument contents for a few real exports; only functions the target knows are
//! ever named. A malformed request must answer BAD_REQUEST, exactly, and never panic; what is
//! called must get its arguments and give back its answer as the module doc says
//! (`recall_fuzz::fast_call`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_fuzz::fast_call::FastCallInput;

fuzz_target!(|input: FastCallInput| input.check());
