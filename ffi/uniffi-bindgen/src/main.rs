//! uniffi's binding generator, run from the workspace so its version always matches
//! `recall-ffi`'s: `cargo run -q -p uniffi-bindgen -- generate --library LIB ...`.
//! See `scripts/bindgen`.

fn main() {
    uniffi::uniffi_bindgen_main();
}
