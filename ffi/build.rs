//! Links the shared library with every symbol defined (`-z defs`, on the targets whose linker
//! does not already insist): the fast path's table (src/fast_table.rs) declares the
//! functions it calls by name, so a name that does not exist fails the build, not a call.
//! (macOS and iOS refuse undefined symbols by default; Windows too.)

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    // Not in a fuzzing or sanitizer build: their runtimes' symbols come from the program
    // that links the library, not the library.
    let instrumented = std::env::var_os("CARGO_CFG_FUZZING").is_some()
        || std::env::var_os("CARGO_CFG_SANITIZE").is_some();
    if matches!(os.as_str(), "linux" | "android" | "freebsd") && !instrumented {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,defs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
