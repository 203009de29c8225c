//! uniffi's binding generator, run from the workspace so its version always matches
//! `recall-ffi`'s: `cargo run -q -p uniffi-bindgen -- generate --library LIB ...`.
//! `cargo run -q -p uniffi-bindgen -- patch-swift FILE` then applies [`swift_api`] (the
//! Swift API's labels, properties, defaults and `Int`s) and [`swift_patch`] (the fast
//! reader and writer) to the generated Swift, and `cargo run -q -p uniffi-bindgen -- patch-kotlin FILE TABLE` adds
//! [`kotlin_fast`]'s fast call path to the generated Kotlin and writes its Rust table to TABLE. See `scripts/bindgen`.

mod kotlin_fast;
mod swift_api;
mod swift_patch;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("patch-kotlin") {
        return patch_kotlin(&args);
    }
    let patch: fn(&str) -> Result<String, String> = match args.get(1).map(String::as_str) {
        Some("patch-swift") => |swift| swift_patch::patch(&swift_api::patch(swift)?),
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

/// `patch-kotlin FILE TABLE`: patches FILE and writes the fast path's Rust table to TABLE.
fn patch_kotlin(args: &[String]) {
    let [_, _, file, table] = args else {
        eprintln!("usage: uniffi-bindgen patch-kotlin FILE TABLE");
        std::process::exit(2);
    };
    let done = std::fs::read_to_string(file)
        .map_err(|e| format!("{file}: {e}"))
        .and_then(|text| kotlin_fast::patch(&text))
        .and_then(|(kotlin, rust)| {
            std::fs::write(file, kotlin).map_err(|e| format!("{file}: {e}"))?;
            std::fs::write(table, rust).map_err(|e| format!("{table}: {e}"))
        });
    if let Err(e) = done {
        eprintln!("uniffi-bindgen patch-kotlin: {e}");
        std::process::exit(1);
    }
}
