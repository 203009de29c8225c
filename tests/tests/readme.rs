//! The README's Swift and Kotlin examples are the lines between `README:begin` and
//! `README:end` in test files that the Swift and Kotlin suites compile and run; this test
//! fails when the README shows anything else.

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

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap()
}

#[test]
fn readme_shows_the_tested_swift_example() {
    let code = snippet("bindings/swift/Tests/RecallTests/ReadmeExampleTests.swift");
    assert!(
        readme().contains(&code),
        "README.md must contain, verbatim:\n{code}"
    );
}

#[test]
fn readme_shows_the_tested_swift_client_example() {
    let code = snippet("bindings/swift/Tests/RecallTests/ReadmeClientExampleTests.swift");
    assert!(
        readme().contains(&code),
        "README.md must contain, verbatim:\n{code}"
    );
}

#[test]
fn readme_shows_the_tested_kotlin_client_example() {
    let code = snippet("bindings/kotlin/src/test/kotlin/dev/recall/ReadmeClientExampleTest.kt");
    assert!(
        readme().contains(&code),
        "README.md must contain, verbatim:\n{code}"
    );
}

#[test]
fn readme_shows_the_tested_kotlin_example() {
    let code = snippet("bindings/kotlin/src/test/kotlin/dev/recall/ReadmeExampleTest.kt");
    assert!(
        readme().contains(&code),
        "README.md must contain, verbatim:\n{code}"
    );
}

/// `tests/README.md` lists every data file with how many vectors or scenarios it holds, and
/// the totals: this test keeps those figures true.
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
        if key == "scenarios" {
            let line = format!("pinned by {total} scenarios");
            assert!(readme().contains(&line), "README.md lacks '{line}'");
        }
    }
}
