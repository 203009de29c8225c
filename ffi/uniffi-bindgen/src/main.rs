//! uniffi's binding generator, run from the workspace so its version always matches
//! `recall-ffi`'s: `cargo run -q -p uniffi-bindgen -- generate --library LIB ...`.
//! `cargo run -q -p uniffi-bindgen -- patch-swift FILE` then applies [`swift_patch`] to the
//! generated Swift. See `scripts/bindgen`.

mod swift_patch;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("patch-swift") {
        let [_, _, file] = args.as_slice() else {
            eprintln!("usage: uniffi-bindgen patch-swift FILE");
            std::process::exit(2);
        };
        let patched = std::fs::read_to_string(file)
            .map_err(|e| format!("{file}: {e}"))
            .and_then(|swift| swift_patch::patch(&swift))
            .and_then(|swift| std::fs::write(file, swift).map_err(|e| format!("{file}: {e}")));
        if let Err(e) = patched {
            eprintln!("uniffi-bindgen patch-swift: {e}");
            std::process::exit(1);
        }
        return;
    }
    uniffi::uniffi_bindgen_main();
}
