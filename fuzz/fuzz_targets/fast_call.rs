//! The Kotlin fast path's entry (`ffi/src/fast.rs`) on requests built from raw bytes: the
//! table index (past the end too), every header word, the alignment, the argument slots, the
//! buffer triples and the data bytes, for every export of the generated table. A malformed
//! request must answer BAD_REQUEST, exactly, and never panic; a well-formed one a status
//! uniffi gives (`recall_fuzz::fast_call`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall_fuzz::fast_call::FastCallInput;

fuzz_target!(|input: FastCallInput| input.check());
