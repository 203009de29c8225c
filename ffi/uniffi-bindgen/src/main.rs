//! uniffi's binding generator, run from the workspace so its version always matches
//! `recall-ffi`'s: `cargo run -q -p uniffi-bindgen -- generate --library LIB ...`.
//! `cargo run -q -p uniffi-bindgen -- patch-swift FILE` then applies [`swift_api`] (the
//! Swift API's labels, properties, defaults and `Int`s) and [`swift_patch`] (the fast
//! reader and writer) to the generated Swift, and `cargo run -q -p uniffi-bindgen -- patch-kotlin FILE` adds
//! [`kotlin_fast`]'s fast call path to the generated Kotlin. See `scripts/bindgen`.

mod kotlin_fast;
mod swift_api;
mod swift_patch;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let patch: fn(&str) -> Result<String, String> = match args.get(1).map(String::as_str) {
        Some("patch-swift") => |swift| swift_patch::patch(&swift_api::patch(swift)?),
        Some("patch-kotlin") => kotlin_fast::patch,
        _ => return uniffi::uniffi_bindgen_main(),
    };
    let [_, command, file] = args.as_slice() else {
        eprintln!("usage: uniffi-bindgen {} FILE", args[1]);
        std::process::exit(2);
    };
    let patched = std::fs::read_to_string(file)
        .map_err(|e| format!("{file}: {e}"))
        .and_then(|text| patch(&text))
        .and_then(|text| std::fs::write(file, text).map_err(|e| format!("{file}: {e}")));
    if let Err(e) = patched {
        eprintln!("uniffi-bindgen {command}: {e}");
        std::process::exit(1);
    }
}
