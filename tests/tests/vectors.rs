//! Runs `recall-vectors` as a user would: over the project's vectors, and over broken files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn run(files: &[PathBuf]) -> (Output, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_recall-vectors"))
        .args(files)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    (output, stdout)
}

fn project_vectors() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("vectors"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_project_vector_passes() {
    let files = project_vectors();
    let (output, stdout) = run(&files);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(output.status.success(), "{stdout}");
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 80, "only {passed} vectors");
}

#[test]
fn vector_names_are_unique_and_every_reason_is_covered() {
    let mut names = std::collections::HashSet::new();
    let mut reasons = std::collections::HashSet::new();
    for file in project_vectors() {
        for vector in recall_conformance::VectorFile::load(&file).unwrap().vectors {
            if let Err(reason) = vector.expected().unwrap().0 {
                reasons.insert(reason);
            }
            assert!(
                names.insert(vector.name.clone()),
                "duplicate name {}",
                vector.name
            );
        }
    }
    for reason in &recall_core::Reason::ALL[..11] {
        assert!(
            reasons.contains(reason),
            "no vector refuses with {}",
            reason.id()
        );
    }
}

#[test]
fn a_wrong_vector_fails_loudly() {
    let (output, stdout) = run(&[root().join("fixtures/wrong.json")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout.contains("FAIL"), "{stdout}");
    assert!(
        stdout.contains("wrong: one millisecond past the window claimed allowed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("expected: allowed as Sender until 2026-01-01T00:02:00.000Z"),
        "{stdout}"
    );
    assert!(
        stdout.contains("got:      refused with window_expired"),
        "{stdout}"
    );
    assert!(!stdout.contains("FAIL right"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 1 failed"));
}

#[test]
fn unreadable_and_unparsable_files_fail() {
    let dir = std::env::temp_dir().join(format!("recall-vectors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, "{\"description\": \"x\", \"vectors\": [").unwrap();
    let mixed = dir.join("mixed.json");
    std::fs::write(&mixed, r#"{"description": "x", "vectors": [{"name": "n", "expect": {"allowed": true, "reason": "not_found"}}]}"#).unwrap();
    let missing = dir.join("missing.json");

    let (output, stdout) = run(&[garbage, mixed, missing, root().join("vectors/rules.json")]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout.contains("cannot parse") && stdout.contains("garbage.json"),
        "{stdout}"
    );
    assert!(stdout.contains("mixed.json"), "{stdout}");
    assert!(
        stdout.contains("cannot read") && stdout.contains("missing.json"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .ends_with(" passed, 3 failed"),
        "{stdout}"
    );
}

#[test]
fn no_arguments_is_a_usage_error() {
    let (output, _) = run(&[]);
    assert_eq!(output.status.code(), Some(2));
}
