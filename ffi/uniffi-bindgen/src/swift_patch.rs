//! The one change we make to uniffi's generated Swift: a faster reader and writer for the
//! buffers that carry records, enums and optionals across the boundary, and call helpers the
//! optimizer can see through.
//!
//! uniffi 0.32's Swift reads every field of an answer through Foundation's
//! `Data.copyBytes(to:from:)`, an unspecialized generic path that made one `decide` cost
//! several microseconds; grows each argument's buffer from empty; writes a string in three
//! steps through its UTF-8 view; reads a string by copying its bytes into a fresh `Array`
//! first (an allocation, a copy and a release per string); and calls Rust through helpers
//! that keep each generated function's closure out of line, which then retains and releases
//! every string of the records it lowers (measured in docs/bench-bindings.md; the string read
//! in a callgrind profile of `settle`). It is applied by `scripts/bindgen` to freshly
//! generated code, so the committed file is still never edited by hand and
//! `scripts/bindgen --check` still catches drift.
//!
//! **uniffi's public converters are left as uniffi wrote them.** Another uniffi crate that uses
//! this one's types (external types) generates Swift that calls `FfiConverterType…` `lift`,
//! `lower`, `read(from: inout (data: Data, offset: Data.Index))` and
//! `write(_:into: inout [UInt8])` across modules, so those signatures, and uniffi's reader and
//! writer they use, stay exactly uniffi's. This module adds beside them:
//! - fast reader and writer helpers (`patches/*.recall.swift`), overloads of uniffi's on
//!   another reader type ([`FAST_READER_TYPE`]) and writer type ([`FAST_WRITER_TYPE`]);
//! - for every `read(from:)` and `write(_:into:)` uniffi generated, a `fileprivate` twin of
//!   the same text on the fast types (so its nested calls resolve to the fast overloads),
//!   except in the string converter's twins ([`TWIN_EDITS`]): the string is written with one
//!   reservation and one copy (`writeString`) and decoded straight from the buffer's memory
//!   (`readString`);
//! - in the internal `lift`/`lower` of buffer-carried types, the fast reader and writer, and
//!   the fast twins through them.
//!
//! Calls from this file thus take the fast path, calls from other modules uniffi's. Every
//! block of uniffi's text that is touched must match exactly (`patches/*.uniffi.swift` and the
//! strings below), every use of uniffi's reader and writer types must be one this module
//! knows, and every twin's body must be found whole: when a uniffi upgrade changes any of it,
//! generation fails here rather than shipping a half-patched file.

/// One block of uniffi's output and what replaces it (or follows it).
struct Edit {
    what: &'static str,
    uniffi: &'static str,
    recall: &'static str,
    /// Whether uniffi's block stays, with ours after it, or is replaced by ours.
    keep_uniffi: bool,
}

const EDITS: &[Edit] = &[
    Edit {
        what: "reader helpers",
        uniffi: include_str!("../patches/swift-reader.uniffi.swift"),
        recall: include_str!("../patches/swift-reader.recall.swift"),
        keep_uniffi: true,
    },
    Edit {
        what: "writer helpers",
        uniffi: include_str!("../patches/swift-writer.uniffi.swift"),
        recall: include_str!("../patches/swift-writer.recall.swift"),
        keep_uniffi: true,
    },
    Edit {
        what: "call helpers",
        uniffi: include_str!("../patches/swift-call.uniffi.swift"),
        recall: include_str!("../patches/swift-call.recall.swift"),
        keep_uniffi: false,
    },
    Edit {
        what: "the reader's creation in `lift`",
        uniffi: "        var reader = createReader(data: Data(rustBuffer: buf))\n",
        recall: "        var reader = createReader(rustBuffer: buf)\n",
        keep_uniffi: false,
    },
    Edit {
        what: "the writer of `lower`",
        uniffi: "          var writer = createWriter()\n          write(value, into: &writer)\n          return RustBuffer(bytes: writer)\n",
        recall: "          var writer = createRustBufferWriter()\n          write(value, into: &writer)\n          return writer\n",
        keep_uniffi: false,
    },
];

/// Applied to the fast twins only: the string's `write` in one reservation and one copy.
const STRING_WRITER: Edit = Edit {
    what: "string writer",
    uniffi: "        let len = Int32(value.utf8.count)\n        writeInt(&buf, len)\n        writeBytes(&buf, value.utf8)\n",
    recall: "        writeString(&buf, value)\n",
    keep_uniffi: false,
};

/// Applied to the fast twins only: the string's `read` decodes from the buffer's memory,
/// without the `Array` that `readBytes` would allocate, fill and release.
const STRING_READER: Edit = Edit {
    what: "string reader",
    uniffi: "        return String(decoding: try readBytes(&buf, count: Int(len)), as: UTF8.self)\n",
    recall: "        return try readString(&buf, count: Int(len))\n",
    keep_uniffi: false,
};

/// The edits of the fast twins' bodies; each must match exactly once among all the twins.
const TWIN_EDITS: [&Edit; 2] = [&STRING_WRITER, &STRING_READER];

/// uniffi's spelling of the reader's type, used by every public `read(from:)`.
const READER_TYPE: &str = "(data: Data, offset: Data.Index)";

/// Ours: the same bytes, read from the buffer's memory.
const FAST_READER_TYPE: &str = "(bytes: UnsafeRawBufferPointer, offset: Int)";

/// uniffi's spelling of the writer's type, used by every public `write(_:into:)`.
const WRITER_TYPE: &str = "inout [UInt8]";

/// Ours: the buffer Rust will receive.
const FAST_WRITER_TYPE: &str = "inout RustBuffer";

/// How uniffi declares a converter's reader and writer (after `static func `).
const READ_DECL: &str = "read(from buf: inout (data: Data, offset: Data.Index))";
const WRITE_DECL: &str = "into buf: inout [UInt8])";

/// Applies the patch to the text of a generated `.swift` file.
pub fn patch(swift: &str) -> Result<String, String> {
    if swift.contains(FAST_READER_TYPE) || swift.contains(FAST_WRITER_TYPE) {
        return Err("the file already uses the fast reader or writer: patched twice?".to_owned());
    }
    check_uses(swift)?;
    let mut out = add_fast_twins(swift)?;
    for edit in EDITS {
        out = apply(&out, edit)?;
    }
    check_patched(&out)?;
    Ok(out)
}

/// Applies one edit, which must match exactly once.
fn apply(text: &str, edit: &Edit) -> Result<String, String> {
    match text.matches(edit.uniffi).count() {
        1 => {
            let with = if edit.keep_uniffi {
                format!("{}\n{}", edit.uniffi, edit.recall)
            } else {
                edit.recall.to_owned()
            };
            Ok(text.replacen(edit.uniffi, &with, 1))
        }
        n => Err(format!(
            "uniffi's Swift {} appear {n} times instead of once: the uniffi version changed \
             its templates. Compare its output with ffi/uniffi-bindgen/patches/ and \
             ffi/uniffi-bindgen/src/swift_patch.rs and update them.",
            edit.what
        )),
    }
}

/// Whether a line declares a converter's `read` or `write` on uniffi's types.
fn is_converter_decl(line: &str) -> bool {
    line.contains("static func ")
        && (line.contains(READ_DECL)
            || (line.contains("static func write(_ value: ") && line.contains(WRITE_DECL)))
}

/// Every use of uniffi's reader and writer types must be in its helpers (kept as they are)
/// or in a converter's declaration (which gets a twin): anything else is a use this patch
/// does not know, and would silently stay on the slow path or fail to compile.
fn check_uses(swift: &str) -> Result<(), String> {
    let helpers = [EDITS[0].uniffi, EDITS[1].uniffi];
    let in_helpers = |ty: &str| helpers.iter().map(|h| h.matches(ty).count()).sum::<usize>();
    for ty in [READER_TYPE, WRITER_TYPE] {
        let in_decls: usize = swift
            .lines()
            .filter(|line| is_converter_decl(line))
            .map(|line| line.matches(ty).count())
            .sum();
        if swift.matches(ty).count() != in_decls + in_helpers(ty) {
            let line = swift
                .lines()
                .find(|line| line.contains(ty) && !is_converter_decl(line))
                .unwrap_or("");
            return Err(format!(
                "uniffi's Swift uses `{ty}` where this patch does not expect it (`{}`): the \
                 uniffi version changed its templates. Update \
                 ffi/uniffi-bindgen/src/swift_patch.rs",
                line.trim()
            ));
        }
    }
    Ok(())
}

/// Puts after every converter `read`/`write` on uniffi's types a `fileprivate` twin on ours.
fn add_fast_twins(swift: &str) -> Result<String, String> {
    let lines: Vec<&str> = swift.split_inclusive('\n').collect();
    let mut out = String::with_capacity(swift.len() * 2);
    let mut twin_edits = [0usize; TWIN_EDITS.len()];
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push_str(line);
        i += 1;
        if !is_converter_decl(line) {
            continue;
        }
        let decl = line.trim_end();
        let twin = if decl.ends_with('{') {
            // The body ends at the first line that closes it at the declaration's indentation.
            let indent = &line[..line.len() - line.trim_start().len()];
            let close = format!("{indent}}}");
            let Some(end) = (i..lines.len()).find(|&j| lines[j].trim_end() == close) else {
                return Err(format!("no end found for the body of `{}`", decl.trim()));
            };
            let body: String = lines[i..=end].concat();
            let nested = lines[i..=end].iter().any(|l| is_converter_decl(l));
            out.push_str(&body);
            i = end + 1;
            let function = format!("{line}{body}");
            if nested || !closes_at_end(&function) {
                return Err(format!(
                    "the body of `{}` does not end where its indentation says",
                    decl.trim()
                ));
            }
            let mut twin = format!("\n{}", fast(&function, decl)?);
            for (edit, found) in TWIN_EDITS.iter().zip(&mut twin_edits) {
                *found += twin.matches(edit.uniffi).count();
                twin = twin.replace(edit.uniffi, edit.recall);
            }
            twin
        } else if decl.starts_with("    static func ") {
            // A requirement of the `FfiConverter` protocol.
            fast(line, decl)?
        } else {
            return Err(format!(
                "unexpected converter declaration `{}`",
                decl.trim()
            ));
        };
        out.push_str(&twin);
    }
    for (edit, found) in TWIN_EDITS.iter().zip(twin_edits) {
        if found != 1 {
            return Err(format!(
                "uniffi's Swift {} appear {found} times instead of once in the fast twins: \
                 update ffi/uniffi-bindgen/src/swift_patch.rs",
                edit.what
            ));
        }
    }
    Ok(out)
}

/// Whether the braces of a function's text close for the first time at its end.
fn closes_at_end(function: &str) -> bool {
    let mut depth = 0usize;
    let braces: Vec<char> = function
        .chars()
        .filter(|c| matches!(c, '{' | '}'))
        .collect();
    for (n, brace) in braces.iter().enumerate() {
        if *brace == '{' {
            depth += 1;
        } else if depth == 0 {
            return false;
        } else {
            depth -= 1;
            if depth == 0 && n + 1 != braces.len() {
                return false;
            }
        }
    }
    depth == 0 && !braces.is_empty()
}

/// The fast twin of a converter function (or protocol requirement): not public, on our types.
fn fast(function: &str, decl: &str) -> Result<String, String> {
    let twin = function
        .replacen("public static func ", "fileprivate static func ", 1)
        .replace(READER_TYPE, FAST_READER_TYPE)
        .replace(WRITER_TYPE, FAST_WRITER_TYPE);
    match twin.lines().next() {
        Some(first) if !first.contains("public") => Ok(twin),
        _ => Err(format!(
            "cannot make a non-public twin of `{}`",
            decl.trim()
        )),
    }
}

/// The patched file must still offer every public converter on uniffi's types, each with its
/// fast twin, and use only the fast reader and writer in its own `lift`/`lower`.
fn check_patched(out: &str) -> Result<(), String> {
    let count = |s: &str| out.lines().filter(|line| line.contains(s)).count();
    let fast_read = format!("read(from buf: inout {FAST_READER_TYPE})");
    let fast_write = format!("into buf: {FAST_WRITER_TYPE})");
    if count(READ_DECL) != count(&fast_read) || count(WRITE_DECL) != count(&fast_write) {
        return Err("a converter's read or write has no fast twin after patching".to_owned());
    }
    if count(READ_DECL) == 0 || count(WRITE_DECL) == 0 {
        return Err("no converter read or write found: not uniffi's Swift?".to_owned());
    }
    if out.lines().any(|line| {
        line.contains("public")
            && (line.contains(FAST_READER_TYPE) || line.contains(FAST_WRITER_TYPE))
    }) {
        return Err("a fast reader or writer became public".to_owned());
    }
    if out.contains("createReader(data: Data(rustBuffer:")
        || out.contains("RustBuffer(bytes: writer)")
    {
        return Err(
            "uniffi's Data reader or array writer is still used by `lift`/`lower`".to_owned(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A miniature of uniffi's output: the blocks, the protocol, a record's converter with a
    /// reader and a writer, the string converter, and `lift`/`lower`.
    fn generated() -> String {
        format!(
            "// header\n{}\n{}\n{}\n\
             fileprivate protocol FfiConverter {{\n\
             \x20   static func read(from buf: inout {READER_TYPE}) throws -> SwiftType\n\
             \x20   static func write(_ value: SwiftType, into buf: {WRITER_TYPE})\n}}\n\
             extension FfiConverterRustBuffer {{\n\
             \x20   public static func lift(_ buf: RustBuffer) throws -> SwiftType {{\n{}\
             \x20       return try read(from: &reader)\n    }}\n\
             \x20   public static func lower(_ value: SwiftType) -> RustBuffer {{\n{}    }}\n}}\n\
             public struct FfiConverterTypeA: FfiConverterRustBuffer {{\n\
             \x20   public static func read(from buf: inout {READER_TYPE}) throws -> A {{\n\
             \x20       return try A(b: FfiConverterTypeB.read(from: &buf))\n    }}\n\n\
             \x20   public static func write(_ value: A, into buf: {WRITER_TYPE}) {{\n\
             \x20       if value.b {{\n            FfiConverterTypeB.write(value.b, into: &buf)\n        }}\n    }}\n}}\n\
             fileprivate struct FfiConverterString: FfiConverter {{\n\
             \x20   public static func read(from buf: inout {READER_TYPE}) throws -> String {{\n\
             \x20       let len: Int32 = try readInt(&buf)\n{}    }}\n\n\
             \x20   public static func write(_ value: String, into buf: {WRITER_TYPE}) {{\n{}    }}\n}}\n",
            EDITS[0].uniffi,
            EDITS[1].uniffi,
            EDITS[2].uniffi,
            EDITS[3].uniffi,
            EDITS[4].uniffi,
            STRING_READER.uniffi,
            STRING_WRITER.uniffi,
        )
    }

    #[test]
    fn keeps_public_converters_and_adds_fast_twins() {
        let out = patch(&generated()).unwrap();
        // uniffi's helpers and every public signature stay.
        assert!(out.contains(EDITS[0].uniffi) && out.contains(EDITS[1].uniffi));
        assert!(out.contains(&format!(
            "    public static func read(from buf: inout {READER_TYPE}) throws -> A {{\n"
        )));
        assert!(out.contains(&format!(
            "    public static func write(_ value: A, into buf: {WRITER_TYPE}) {{\n"
        )));
        assert!(
            out.contains(STRING_WRITER.uniffi),
            "public string writer changed"
        );
        assert!(
            out.contains(&format!(
                "    public static func read(from buf: inout {READER_TYPE}) throws -> String {{\n\
                 \x20       let len: Int32 = try readInt(&buf)\n{}    }}\n",
                STRING_READER.uniffi
            )),
            "public string reader changed"
        );
        // The fast helpers and twins are added, not public.
        assert!(out.contains(EDITS[0].recall) && out.contains(EDITS[1].recall));
        assert!(out.contains(&format!(
            "    fileprivate static func read(from buf: inout {FAST_READER_TYPE}) throws -> A {{\n\
             \x20       return try A(b: FfiConverterTypeB.read(from: &buf))\n    }}\n"
        )));
        assert!(out.contains(&format!(
            "    fileprivate static func write(_ value: A, into buf: {FAST_WRITER_TYPE}) {{\n"
        )));
        assert!(out.contains(&format!(
            "    static func read(from buf: inout {FAST_READER_TYPE}) throws -> SwiftType\n"
        )));
        assert!(out.contains(&format!(
            "into buf: {FAST_WRITER_TYPE}) {{\n{}    }}\n",
            STRING_WRITER.recall
        )));
        assert!(out.contains(&format!(
            "    fileprivate static func read(from buf: inout {FAST_READER_TYPE}) throws -> String {{\n\
             \x20       let len: Int32 = try readInt(&buf)\n{}    }}\n",
            STRING_READER.recall
        )));
        // Each string edit is made in the twin only.
        for edit in TWIN_EDITS {
            assert_eq!(out.matches(edit.uniffi).count(), 1, "{}", edit.what);
            assert_eq!(out.matches(edit.recall).count(), 1, "{}", edit.what);
        }
        // The internal call path uses them; the call helpers are replaced.
        for edit in &EDITS[2..] {
            assert!(!out.contains(edit.uniffi), "{} left", edit.what);
            assert!(out.contains(edit.recall), "{} missing", edit.what);
        }
        assert!(out.starts_with("// header\n"));
    }

    #[test]
    fn refuses_output_it_does_not_recognize() {
        let changed = generated().replace("return []", "return [UInt8]()");
        let err = patch(&changed).unwrap_err();
        assert!(err.contains("writer helpers appear 0 times"), "{err}");

        let twice = format!("{}{}", generated(), EDITS[4].uniffi);
        assert!(patch(&twice).unwrap_err().contains("appear 2 times"));

        let unknown_use = format!("{}func f(r: inout {READER_TYPE}) {{}}\n", generated());
        assert!(patch(&unknown_use).unwrap_err().contains("does not expect"));

        let no_end = generated().replace("        }\n    }\n}\n", "        }\n  }\n}\n");
        assert!(patch(&no_end).is_err());

        let no_string =
            generated().replace(STRING_WRITER.uniffi, "        writeStr(&buf, value)\n");
        assert!(patch(&no_string).unwrap_err().contains("string writer"));

        let no_string_read = generated().replace(
            STRING_READER.uniffi,
            "        return String(decoding: try readBytes(&buf, count: Int(len)), as: UTF8.self) \n",
        );
        let err = patch(&no_string_read).unwrap_err();
        assert!(err.contains("string reader appear 0 times"), "{err}");

        let read_twice = generated().replace(
            STRING_READER.uniffi,
            &format!("{}{}", STRING_READER.uniffi, STRING_READER.uniffi),
        );
        let err = patch(&read_twice).unwrap_err();
        assert!(err.contains("string reader appear 2 times"), "{err}");
    }

    #[test]
    fn is_not_applied_twice() {
        let once = patch(&generated()).unwrap();
        assert!(patch(&once).unwrap_err().contains("patched twice"));
    }
}
