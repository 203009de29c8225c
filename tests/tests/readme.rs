//! The Swift and Kotlin samples of the README and of the app guides are the lines between
//! `README:begin` and `README:end` in test files that the Swift and Kotlin suites compile and
//! run; these tests fail when a document shows anything else. Each sample is checked against
//! the one document that shows it: the short examples in `README.md`, the client wiring in
//! `docs/ios.md` and `docs/android.md`. (The Rust samples of `README.md` and
//! `docs/servers.md` are doc tests of this crate: `src/lib.rs`.)

use std::path::Path;

fn snippet(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    let body: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.contains("README:begin"))
        .skip(1)
        .take_while(|line| !line.contains("README:end"))
        .collect();
    assert!(
        !body.is_empty(),
        "no README:begin/end markers in {relative}"
    );
    let indent = body
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    body.iter()
        .map(|line| line.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A document of the repository, by its path from the root (`README.md`, `docs/ios.md`).
fn document(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

/// Fails unless `document` shows, verbatim, the marked lines of the test file `source`.
fn shows_verbatim(document_path: &str, source: &str) {
    let code = snippet(source);
    assert!(
        document(document_path).contains(&code),
        "{document_path} must contain, verbatim, the lines between README:begin and \
         README:end of {source} (the sample its suite compiles and runs):\n{code}"
    );
}

#[test]
fn readme_shows_the_tested_swift_example() {
    shows_verbatim(
        "README.md",
        "bindings/swift/Tests/RecallTests/ReadmeExampleTests.swift",
    );
}

#[test]
fn readme_shows_the_tested_kotlin_example() {
    shows_verbatim(
        "README.md",
        "bindings/kotlin/src/test/kotlin/dev/recall/ReadmeExampleTest.kt",
    );
}

#[test]
fn readme_shows_the_tested_swift_client_example() {
    shows_verbatim(
        "docs/ios.md",
        "bindings/swift/Tests/RecallTests/ReadmeClientExampleTests.swift",
    );
}

#[test]
fn readme_shows_the_tested_kotlin_client_example() {
    shows_verbatim(
        "docs/android.md",
        "bindings/kotlin/src/test/kotlin/dev/recall/ReadmeClientExampleTest.kt",
    );
}

/// The README links a guide per reader; each must exist, and each guide must link back to
/// the contract it explains.
#[test]
fn readme_links_a_guide_per_reader() {
    let readme = document("README.md");
    for guide in [
        "docs/ios.md",
        "docs/android.md",
        "docs/servers.md",
        "docs/contract.md",
        "docs/development.md",
        "BENCHMARKS.md",
    ] {
        assert!(
            readme.contains(&format!("]({guide})")),
            "README.md does not link {guide}"
        );
        if guide.starts_with("docs/") {
            assert!(
                document(guide).contains("spec/recall-v1.md"),
                "{guide} does not link the contract, spec/recall-v1.md"
            );
        }
    }
}

/// `tests/README.md` lists every data file with how many vectors or scenarios it holds, and
/// the totals: this test keeps those figures true, and the scenario count that
/// `docs/contract.md` states.
#[test]
fn the_suites_readme_counts_every_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("README.md")).unwrap();
    for (folder, key) in [("vectors", "vectors"), ("scenarios", "scenarios")] {
        let mut total = 0;
        let mut files: Vec<_> = std::fs::read_dir(root.join(folder))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        for path in files {
            let file: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let count = file[key].as_array().unwrap().len();
            total += count;
            let name = path.file_name().unwrap().to_string_lossy();
            let row = format!("| `{folder}/{name}` | {count} |");
            assert!(guide.contains(&row), "tests/README.md lacks the row {row}");
        }
        let summary = format!("| {total} **{key}**");
        assert!(guide.contains(&summary), "tests/README.md lacks {summary}");
        let line = match key {
            "vectors" => format!("hold {total} vectors"),
            _ => format!("pinned by {total} scenarios"),
        };
        assert!(
            document("docs/contract.md").contains(&line),
            "docs/contract.md lacks '{line}'"
        );
    }
}
