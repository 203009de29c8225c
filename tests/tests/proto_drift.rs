//! The Rust code generated from `proto/` is committed; this test regenerates it and fails
//! when the committed file differs. Regenerate with:
//! `RECALL_BLESS=1 cargo test -p recall-conformance --test proto_drift`.

use std::path::Path;

#[test]
fn generated_protobuf_code_matches_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let committed_path = root.join("core/src/wire/recall.v1.rs");
    let out = std::env::temp_dir().join(format!("recall-proto-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();

    // Pure-Rust schema compiler: no system `protoc` needed.
    let descriptors =
        protox::compile(["recall/v1/recall.proto"], [root.join("proto")]).expect("schema compiles");
    prost_build::Config::new()
        .out_dir(&out)
        .compile_fds(descriptors)
        .expect("code generates");
    let generated = std::fs::read_to_string(out.join("recall.v1.rs")).unwrap();
    let generated = format!(
        "// @generated from proto/recall/v1/recall.proto by tests/tests/proto_drift.rs: do not edit.\n{generated}"
    );
    std::fs::remove_dir_all(&out).ok();

    if std::env::var_os("RECALL_BLESS").is_some() {
        std::fs::write(&committed_path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "core/src/wire/recall.v1.rs is stale: run RECALL_BLESS=1 cargo test -p recall-conformance --test proto_drift"
    );
}
