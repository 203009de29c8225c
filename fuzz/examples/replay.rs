//! Replays inputs through a target's checks without libFuzzer: a crash found by the fuzzer
//! (or a whole corpus) reproduces with a plain `cargo run`, under a debugger, on any
//! toolchain.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --example replay -- TARGET FILE_OR_DIR...`

use arbitrary::{Arbitrary, Unstructured};
use recall_core::{
    Decision, RecallNotification, RecallPolicy, RecallRejection, RecallRequest, StoredMessage,
};
use recall_fuzz::fast_call::FastCallInput;
use recall_fuzz::{DecideInput, json_round_trip, protobuf_round_trip};
use std::path::{Path, PathBuf};

fn check(target: &str, data: &[u8]) {
    match target {
        "protobuf_request" => protobuf_round_trip::<RecallRequest>(data),
        "protobuf_notification" => protobuf_round_trip::<RecallNotification>(data),
        "protobuf_rejection" => protobuf_round_trip::<RecallRejection>(data),
        "json_request" => json_round_trip::<RecallRequest>(data),
        "json_notification" => json_round_trip::<RecallNotification>(data),
        "json_message" => json_round_trip::<StoredMessage>(data),
        "json_policy" => json_round_trip::<RecallPolicy>(data),
        "json_decision" => json_round_trip::<Decision>(data),
        "json_rejection" => json_round_trip::<RecallRejection>(data),
        "decide" => {
            // As libfuzzer-sys reads a typed input.
            if let Ok(input) = DecideInput::arbitrary_take_rest(Unstructured::new(data)) {
                println!("{input:#?}");
                if let Some(case) = input.build() {
                    println!("{case:#?}");
                }
                input.check();
            }
        }
        "fast_call" => {
            if let Ok(input) = FastCallInput::arbitrary_take_rest(Unstructured::new(data)) {
                println!("{input:#?}");
                input.check();
            }
        }
        _ => {
            eprintln!("replay: no target '{target}'");
            std::process::exit(2);
        }
    }
}

fn files(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .expect("read the folder")
            .map(|entry| entry.expect("read the folder").path())
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_owned()]
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(target) = args.next() else {
        eprintln!("usage: replay TARGET FILE_OR_DIR...");
        std::process::exit(2);
    };
    let mut count = 0;
    for arg in args {
        for file in files(Path::new(&arg)) {
            let data = std::fs::read(&file).expect("read the input");
            check(&target, &data);
            count += 1;
        }
    }
    println!("replay: {count} input(s) of {target} passed");
}
