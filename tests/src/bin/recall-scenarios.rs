//! Checks client-side scenario files against recall-core.
//!
//! Usage: `recall-scenarios FILE...`. Names each failing scenario with the step that failed,
//! what it expected and what it got; prints `N passed, M failed` (scenarios) as its last
//! line (a file that cannot be read or parsed counts as one failure); exits 1 when anything
//! failed.

use recall_conformance::ScenarioFile;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: recall-scenarios FILE...");
        return ExitCode::from(2);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let scenarios = match ScenarioFile::load(Path::new(file)) {
            Ok(loaded) => loaded.scenarios,
            Err(error) => {
                println!("error: {error}");
                failed += 1;
                continue;
            }
        };
        for scenario in &scenarios {
            let failures = scenario.run();
            if failures.is_empty() {
                passed += 1;
            } else {
                failed += 1;
                println!("FAIL {file}: {}", scenario.name);
                for failure in failures {
                    println!("  {failure}");
                }
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
