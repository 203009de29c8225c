//! Checks conformance vector files against recall-core.
//!
//! Usage: `recall-vectors FILE...`. Names each failing vector with what it expected and what
//! it got, prints `N passed, M failed` as its last line (a file that cannot be read or parsed
//! counts as one failure), and exits 1 when anything failed.

use recall_conformance::VectorFile;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: recall-vectors FILE...");
        return ExitCode::from(2);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let vectors = match VectorFile::load(Path::new(file)) {
            Ok(loaded) => loaded.vectors,
            Err(error) => {
                println!("error: {error}");
                failed += 1;
                continue;
            }
        };
        for vector in &vectors {
            // `load` has checked every `expect`.
            let Ok(expected) = vector.expected() else {
                continue;
            };
            let actual = vector.actual();
            if actual == expected {
                passed += 1;
            } else {
                failed += 1;
                println!(
                    "FAIL {file}: {}\n  expected: {expected}\n  got:      {actual}",
                    vector.name
                );
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
