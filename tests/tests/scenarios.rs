//! Runs `recall-scenarios` as a user would: over the project's scenarios, and over a wrong one.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn project_scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn run(files: &[PathBuf]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_recall-scenarios"))
        .args(files)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn every_project_scenario_passes() {
    let (code, stdout) = run(&project_scenarios());
    assert_eq!(code, Some(0), "{stdout}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
}

/// Spec 6.13: consecutive recall steps at one `now` passed as one page (`on_recalls`, then
/// `settle_all`) and message steps as one `on_messages` give every step's answer, as the Swift
/// and Kotlin replays check through the bindings.
#[test]
fn every_project_scenario_passes_in_pages() {
    let mut checked = 0;
    for file in project_scenarios() {
        for scenario in recall_conformance::ScenarioFile::load(&file)
            .unwrap()
            .scenarios
        {
            let failures = scenario.run_in_pages();
            assert!(failures.is_empty(), "{}: {failures:#?}", scenario.name);
            checked += 1;
        }
    }
    assert!(checked >= 40);
}

#[test]
fn scenario_names_are_unique() {
    let mut names = std::collections::HashSet::new();
    for file in project_scenarios() {
        for scenario in recall_conformance::ScenarioFile::load(&file)
            .unwrap()
            .scenarios
        {
            assert!(
                names.insert(scenario.name.clone()),
                "duplicate name {}",
                scenario.name
            );
        }
    }
    assert!(names.len() >= 40, "only {} scenarios", names.len());
}

#[test]
fn a_wrong_scenario_fails_loudly() {
    let (code, stdout) = run(&[root().join("fixtures/wrong-scenario.json")]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains("FAIL") && stdout.contains("wrong: a forged recall claimed to apply"),
        "{stdout}"
    );
    assert!(stdout.contains("step 1:"), "{stdout}");
    assert!(
        stdout.contains(r#"got:      {"outcome":"rejected","reason":"sender_mismatch"}"#),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("0 passed, 1 failed"));
}

#[test]
fn a_malformed_step_fails_the_file_loudly() {
    for (fixture, complaint) in [
        ("stray-key-scenario.json", "unknown field `hled`"),
        ("two-kinds-scenario.json", r#"holds ["message", "restart"]"#),
        ("restart-false-scenario.json", r#"must say "restart": true"#),
    ] {
        let (code, stdout) = run(&[root().join("fixtures").join(fixture)]);
        assert_eq!(code, Some(1), "{fixture}: {stdout}");
        assert!(
            stdout.contains("error: cannot parse") && stdout.contains(complaint),
            "{fixture}: {stdout}"
        );
        assert_eq!(
            stdout.lines().last(),
            Some("0 passed, 1 failed"),
            "{fixture}"
        );
    }
}
