//! The one change we make to uniffi's generated Swift: a faster reader and writer for the
//! buffers that carry records, enums and optionals across the boundary, and call helpers the
//! optimizer can see through.
//!
//! uniffi 0.32's Swift reads every field of an answer through Foundation's
//! `Data.copyBytes(to:from:)`, an unspecialized generic path that made one `decide` cost
//! several microseconds; grows each argument's buffer from empty; writes a string in three
//! steps through its UTF-8 view; and calls Rust through helpers that keep each generated
//! function's closure out of line, which then retains and releases every string of the
//! records it lowers (all measured in docs/bench-bindings.md). This module swaps those helper
//! functions for the ones in `patches/*.recall.swift`. It is applied by `scripts/bindgen` to
//! freshly generated code, so the committed file is still never edited by hand and
//! `scripts/bindgen --check` still catches drift. Each replaced block must match uniffi's text
//! exactly (`patches/*.uniffi.swift`): when a uniffi upgrade changes it, generation fails here
//! rather than shipping a half-patched file.

/// One block of uniffi's output and what replaces it.
struct Replacement {
    what: &'static str,
    uniffi: &'static str,
    recall: &'static str,
}

const BLOCKS: &[Replacement] = &[
    Replacement {
        what: "reader helpers",
        uniffi: include_str!("../patches/swift-reader.uniffi.swift"),
        recall: include_str!("../patches/swift-reader.recall.swift"),
    },
    Replacement {
        what: "writer helpers",
        uniffi: include_str!("../patches/swift-writer.uniffi.swift"),
        recall: include_str!("../patches/swift-writer.recall.swift"),
    },
    Replacement {
        what: "call helpers",
        uniffi: include_str!("../patches/swift-call.uniffi.swift"),
        recall: include_str!("../patches/swift-call.recall.swift"),
    },
    Replacement {
        what: "string writer",
        uniffi: "        let len = Int32(value.utf8.count)\n        writeInt(&buf, len)\n        writeBytes(&buf, value.utf8)\n",
        recall: "        writeString(&buf, value)\n",
    },
    Replacement {
        what: "buffer of `lower`",
        uniffi: "          write(value, into: &writer)\n          return RustBuffer(bytes: writer)\n",
        recall: "          write(value, into: &writer)\n          return writer\n",
    },
    Replacement {
        what: "the reader's creation in `lift`",
        uniffi: "var reader = createReader(data: Data(rustBuffer: buf))",
        recall: "var reader = createReader(rustBuffer: buf)",
    },
];

/// uniffi's spelling of the reader's type, used by every `read(from:)`.
const READER_TYPE: &str = "(data: Data, offset: Data.Index)";

/// Ours: the same bytes, read from the buffer's memory.
const RECALL_READER_TYPE: &str = "(bytes: UnsafeRawBufferPointer, offset: Int)";

/// uniffi's spelling of the writer's type, used by every `write(_:into:)`.
const WRITER_TYPE: &str = "inout [UInt8]";

/// Ours: the buffer Rust will receive.
const RECALL_WRITER_TYPE: &str = "inout RustBuffer";

/// Applies the patch to the text of a generated `.swift` file.
pub fn patch(swift: &str) -> Result<String, String> {
    let mut out = swift.to_owned();
    for block in BLOCKS {
        match out.matches(block.uniffi).count() {
            1 => out = out.replacen(block.uniffi, block.recall, 1),
            n => {
                return Err(format!(
                    "uniffi's Swift {} appear {n} times instead of once: the uniffi version \
                     changed its templates. Compare its output with \
                     ffi/uniffi-bindgen/patches/ and update both files.",
                    block.what
                ));
            }
        }
    }
    if !out.contains(READER_TYPE) {
        return Err(format!(
            "uniffi's Swift no longer spells the reader `{READER_TYPE}`: update \
             ffi/uniffi-bindgen/src/swift_patch.rs"
        ));
    }
    out = out.replace(READER_TYPE, RECALL_READER_TYPE);
    if !out.contains(WRITER_TYPE) {
        return Err(format!(
            "uniffi's Swift no longer spells the writer `{WRITER_TYPE}`: update \
             ffi/uniffi-bindgen/src/swift_patch.rs"
        ));
    }
    out = out.replace(WRITER_TYPE, RECALL_WRITER_TYPE);
    if out.contains("Data(rustBuffer:") || out.contains("reader.data") {
        return Err("a use of uniffi's Data-based reader is left after patching".to_owned());
    }
    if out.contains("RustBuffer(bytes: writer)") || out.contains("-> [UInt8]") {
        return Err("a use of uniffi's array-based writer is left after patching".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A miniature of uniffi's output: the blocks, a use of the reader type and two of the
    /// writer type.
    fn generated() -> String {
        format!(
            "// header\n{}\n{}\n{}\nstatic func read(from buf: inout {READER_TYPE}) throws -> Int\n\
             static func write(_ value: Int, into buf: {WRITER_TYPE})\n\
             static func write(_ value: String, into buf: {WRITER_TYPE}) {{\n{}    }}\n\
             func lower(_ value: Int) -> RustBuffer {{\n          var writer = createWriter()\n{}}}\n\
             func lift(_ buf: RustBuffer) {{\n    {}\n}}\n",
            BLOCKS[0].uniffi,
            BLOCKS[1].uniffi,
            BLOCKS[2].uniffi,
            BLOCKS[3].uniffi,
            BLOCKS[4].uniffi,
            BLOCKS[5].uniffi
        )
    }

    #[test]
    fn replaces_every_block_and_the_reader_type() {
        let out = patch(&generated()).unwrap();
        for block in BLOCKS {
            assert!(!out.contains(block.uniffi), "{} left", block.what);
            assert!(out.contains(block.recall), "{} missing", block.what);
        }
        assert!(!out.contains(READER_TYPE));
        assert!(out.contains(&format!(
            "static func read(from buf: inout {RECALL_READER_TYPE}) throws -> Int"
        )));
        assert!(out.contains(&format!(
            "static func write(_ value: Int, into buf: {RECALL_WRITER_TYPE})"
        )));
        assert!(out.contains("          return writer\n"));
        assert!(out.starts_with("// header\n"));
    }

    #[test]
    fn refuses_output_it_does_not_recognize() {
        let changed = generated().replace("return []", "return [UInt8]()");
        let err = patch(&changed).unwrap_err();
        assert!(err.contains("writer helpers appear 0 times"), "{err}");

        let twice = format!("{}{}", generated(), BLOCKS[5].uniffi);
        assert!(patch(&twice).unwrap_err().contains("appear 2 times"));

        let no_reader = generated().replace(
            &format!("inout {READER_TYPE}) throws -> Int"),
            "inout Reader) throws -> Int",
        );
        assert!(patch(&no_reader).unwrap_err().contains("no longer spells"));
    }

    #[test]
    fn is_not_applied_twice() {
        let once = patch(&generated()).unwrap();
        assert!(patch(&once).is_err());
    }
}
