//! The Kotlin fast call path, added to uniffi's generated Kotlin (docs/decisions.md).
//!
//! uniffi 0.32's Kotlin pays several microseconds a call in JNA structures and extra crossings.
//! This module rewrites every call of an exported function, method or constructor — whatever
//! the generated file holds, never a chosen list — into
//! `if (uniffiFastPath) <one crossing through ffi/src/fast.rs> else <uniffi's call, unchanged>`,
//! and appends the runtime both share (`patches/kotlin-fast.recall.kt`). Everything is read
//! from uniffi's output: the FFI signature of each call from the `external fun` declarations
//! of `UniffiLib`, the arguments from the call's lowering expressions, the error type's
//! converter from its `ErrorHandler`. The fast path leaves the public API untouched; the
//! Kotlin and Java idioms are [`idioms`]'s, applied after it by [`patch`].
//!
//! Like the Swift patch, it relies on uniffi's exact text (the call template, `callWithHandle`,
//! the string writer, the error handler): when a uniffi upgrade changes any of it, generation
//! fails here with the reason, rather than shipping a half-patched file. Constructs the fast
//! path does not carry (async functions, `&[u8]` arguments, foreign error handlers) fail the
//! same way.

use regex::Regex;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The package the library's JNI entry is named for: `Java_dev_recall_UniffiFastJni_call` in
/// ffi/src/fast.rs. A different package would need a different symbol there.
const JNI_PACKAGE: &str = "dev.recall";

/// The runtime appended to the generated file.
const RUNTIME: &str = include_str!("../patches/kotlin-fast.recall.kt");

/// uniffi's `callWithHandle`, which each object class has once: copied as
/// `uniffiFastWithHandle`, which hands the block the handle itself (Rust clones it in the same
/// crossing).
const CALL_WITH_HANDLE: &str = include_str!("../patches/kotlin-call-with-handle.uniffi.kt");

/// uniffi's string writer, used for every string inside a record, on both paths.
const STRING_WRITER: &str = "    override fun write(value: String, buf: ByteBuffer) {
        val byteBuf = toUtf8(value)
        buf.putInt(byteBuf.limit())
        buf.put(byteBuf)
    }
";

/// Ours: the same bytes; ASCII is written directly, without an encoder and a temporary buffer.
const RECALL_STRING_WRITER: &str = "    override fun write(value: String, buf: ByteBuffer) {
        // recall (scripts/bindgen): ASCII directly; anything else as uniffi writes it.
        val start = buf.position()
        buf.putInt(value.length)
        for (i in 0 until value.length) {
            val ch = value[i]
            if (ch.code >= 0x80) {
                uniffiSeek(buf, start)
                val byteBuf = toUtf8(value)
                buf.putInt(byteBuf.limit())
                buf.put(byteBuf)
                return
            }
            buf.put(ch.code.toByte())
        }
    }
";

/// An FFI type as uniffi's Kotlin declares it, with its slots in the ffi-buffer layout.
#[derive(Debug, Clone, Copy, PartialEq)]
enum FfiType {
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    Buffer,
    Void,
}

impl FfiType {
    fn parse(kotlin: &str) -> Result<Self, String> {
        Ok(match kotlin {
            "Byte" => Self::I8,
            "Short" => Self::I16,
            "Int" => Self::I32,
            "Long" => Self::I64,
            "Float" => Self::F32,
            "Double" => Self::F64,
            "RustBuffer.ByValue" => Self::Buffer,
            "Unit" => Self::Void,
            other => {
                return Err(format!(
                    "FFI type `{other}` is not carried by the fast path"
                ));
            }
        })
    }

    fn slots(self) -> usize {
        match self {
            Self::Buffer => 3,
            Self::Void => 0,
            _ => 1,
        }
    }

    /// The name of `UniffiFastCall`'s writer (`i64`) or reader (`resultI64`) of a primitive.
    fn primitive(self) -> &'static str {
        match self {
            Self::I8 => "I8",
            Self::I16 => "I16",
            Self::I32 => "I32",
            Self::I64 => "I64",
            Self::F32 => "F32",
            Self::F64 => "F64",
            Self::Buffer | Self::Void => unreachable!("not a primitive"),
        }
    }
}

/// One `external fun` of `UniffiLib`.
struct Extern {
    params: Vec<FfiType>,
    returns: FfiType,
}

mod idioms;

/// Adds the fast path, then the Kotlin and Java idioms ([`idioms`]), to the text of a
/// generated `.kt` file; answers it with the Rust table of the functions the fast path calls
/// (`ffi/src/fast_table.rs`, see [`rust_table`]).
pub fn patch(kotlin: &str) -> Result<(String, String), String> {
    let (patched, table) = fast_path(kotlin)?;
    Ok((idioms::patch(&patched)?, table))
}

/// What the fast entry must know of one export to call it: its table entry.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    /// The ffi-buffer function's symbol (`uniffi_meta::ffi_buffer_symbol_name`).
    function: String,
    /// The receiver's clone function's symbol (`uniffi_meta::clone_fn_symbol_name`), for a method.
    clone: Option<String>,
    /// Argument slots.
    args: usize,
    /// Bit `i`: a `RustBuffer` argument starts at slot `i` (given as bytes in the data area).
    buffers: u64,
    /// The subset of `buffers` that are strings (UTF-8, checked by the entry).
    strings: u64,
    /// Return-value slots: 0, 1 or 3.
    returns: usize,
    /// The return value is a `RustBuffer` (copied back).
    copy_return: bool,
}

/// Exports compiled only with recall-ffi's `bench` feature (ffi/src/lib.rs, `mod bench`), with
/// their shapes: the committed table is generated from the library without them, and lists
/// them last, under `#[cfg(feature = "bench")]`, so the bench library's table has them at the
/// same indexes the bench bindings (`scripts/bindgen --bench`) name.
const BENCH_ONLY: &[(&str, usize, usize)] = &[("noop", 0, 0)];

/// Adds the fast path to the text of a generated `.kt` file; answers it and the Rust table.
fn fast_path(kotlin: &str) -> Result<(String, String), String> {
    let crate_name = capture(
        r"external fun ffi_(\w+)_rustbuffer_alloc\(",
        kotlin,
        "the rustbuffer_alloc declaration",
    )?;
    let package = capture(r"(?m)^package ([\w.]+)$", kotlin, "the package line")?;
    if package != JNI_PACKAGE {
        return Err(format!(
            "package `{package}`: the library's JNI entry is named for `{JNI_PACKAGE}`; rename \
             Java_..._UniffiFastJni_call in ffi/src/fast.rs and JNI_PACKAGE here together"
        ));
    }
    let externs = externs(kotlin, &crate_name)?;
    let errors = error_converters(kotlin);
    let converters = Converters { kotlin };

    let mut out = replace_once(kotlin, STRING_WRITER, RECALL_STRING_WRITER, "string writer")?;
    let objects = out.matches(CALL_WITH_HANDLE).count();
    let clones = externs
        .keys()
        .filter(|name| name.contains("_fn_clone_"))
        .count();
    if objects != clones {
        return Err(format!(
            "uniffi's `callWithHandle` appears {objects} times for {clones} objects: the uniffi \
             version changed its templates; compare with ffi/uniffi-bindgen/patches/"
        ));
    }
    let fast_with_handle = CALL_WITH_HANDLE
        .replace("callWithHandle(", "uniffiFastWithHandle(")
        .replace(
            "return block(this.uniffiCloneHandle())",
            "return block(if (handle != 0.toLong()) handle else throw InternalException(\"uniffiCloneHandle() called on NoHandle object\"))",
        );
    out = out.replace(
        CALL_WITH_HANDLE,
        &format!("{CALL_WITH_HANDLE}\n{fast_with_handle}"),
    );

    let call = Regex::new(&format!(
        r"(?P<lift>return (?P<liftfn>[\w.]+)\(\n)?(?P<wrap>    callWithHandle \{{\n)?    uniffiRustCall(?:WithError\((?P<handler>\w+)\)|\(\)) \{{ _status ->\n    UniffiLib\.(?P<fn>uniffi_{crate_name}_fn_(?:func|method|constructor)_\w+)\((?P<args>[^;]*?)_status\)\n\}}(?P<wrapend>\n    \}})?"
    ))
    .expect("a valid pattern");
    let mut patched = String::with_capacity(out.len() * 2);
    let mut rest = 0;
    let mut called = Vec::new();
    let mut shapes: BTreeMap<String, Shape> = BTreeMap::new();
    for m in call.captures_iter(&out) {
        let whole = m.get(0).expect("the match");
        let name = &m["fn"];
        let ext = externs
            .get(name)
            .ok_or_else(|| format!("{name} is called but not declared in UniffiLib"))?;
        if m.name("wrap").is_some() != m.name("wrapend").is_some() {
            return Err(format!(
                "{name}: `callWithHandle {{` without its closing brace"
            ));
        }
        let (fast, shape) = fast_call(&m, ext, &externs, &errors, &converters, &crate_name)
            .map_err(|e| format!("{name}: {e}"))?;
        if shapes.get(name).is_some_and(|known| *known != shape) {
            return Err(format!("{name}: called with two different argument kinds"));
        }
        shapes.insert(name.to_owned(), shape);
        patched.push_str(&out[rest..whole.start()]);
        let original = &out[whole.start()..whole.end()];
        match m.name("lift") {
            Some(lift) => {
                // `return LIFT(\nCALL\n    )`: the fast branch lifts itself.
                let close = "\n    )";
                if !out[whole.end()..].starts_with(close) {
                    return Err(format!(
                        "{name}: the lift's closing parenthesis is not where uniffi puts it"
                    ));
                }
                let call_text = &original[lift.len()..];
                write!(
                    patched,
                    "return if (uniffiFastPath) {fast} else {}(\n{call_text}{close}",
                    &m["liftfn"]
                )
                .expect("writing to a String");
                rest = whole.end() + close.len();
            }
            None => {
                write!(patched, "(if (uniffiFastPath) {fast} else {original})")
                    .expect("writing to a String");
                rest = whole.end();
            }
        }
        called.push(name.to_owned());
    }
    patched.push_str(&out[rest..]);

    let exported: Vec<&String> = externs
        .keys()
        .filter(|name| !name.contains("_fn_clone_"))
        .collect();
    let all_calls = out
        .matches(&format!("UniffiLib.uniffi_{crate_name}_fn_"))
        .count()
        - out
            .matches(&format!("UniffiLib.uniffi_{crate_name}_fn_clone_"))
            .count()
        - out
            .matches(&format!("UniffiLib.uniffi_{crate_name}_fn_free_"))
            .count();
    // One export may be called from several places (a `Display` export is each case's
    // `toString`): every call is rewritten, and every export is called.
    let distinct: std::collections::BTreeSet<&str> = called.iter().map(String::as_str).collect();
    if called.len() != all_calls || distinct.len() != exported.len() {
        return Err(format!(
            "{} calls rewritten, of {all_calls} calls of {} exports: a call uniffi writes differently \
             (an async function, or a changed template) is not on the fast path; compare uniffi's \
             output with ffi/uniffi-bindgen/src/kotlin_fast.rs",
            called.len(),
            exported.len()
        ));
    }

    let (table, indexes) = rust_table(&crate_name, &shapes)?;
    let mut functions = String::new();
    for (name, index) in &indexes {
        writeln!(functions, "    const val {name}: Int = {index}").expect("writing to a String");
    }
    let runtime = RUNTIME
        .replace("__CRATE__", &crate_name)
        .replace("__FUNCTIONS__", functions.trim_end());
    patched.push_str(&runtime);
    Ok((patched, table))
}

/// The Rust side's table of the functions the fast path may call (ffi/src/fast_table.rs, an
/// `Entry` per export, in the order of the exports' names, bench-only ones last), and the index
/// of each export the Kotlin names. Every symbol is declared in an `extern` block: a name that
/// does not exist fails the library's link, not a call.
fn rust_table(
    crate_name: &str,
    shapes: &BTreeMap<String, Shape>,
) -> Result<(String, BTreeMap<String, usize>), String> {
    let bench: Vec<(String, Shape)> = BENCH_ONLY
        .iter()
        .map(|&(name, args, returns)| {
            let ffi = uniffi_meta::fn_symbol_name(crate_name, name);
            let shape = Shape {
                function: uniffi_meta::ffi_buffer_symbol_name(&ffi),
                clone: None,
                args,
                buffers: 0,
                strings: 0,
                returns,
                copy_return: false,
            };
            (ffi, shape)
        })
        .collect();
    for (name, shape) in &bench {
        if shapes.get(name).is_some_and(|found| found != shape) {
            return Err(format!(
                "{name}: bench-only, and its shape changed: update BENCH_ONLY in \
                 ffi/uniffi-bindgen/src/kotlin_fast.rs"
            ));
        }
    }
    let entries: Vec<(&String, &Shape, bool)> = shapes
        .iter()
        .filter(|(name, _)| !bench.iter().any(|(b, _)| b == *name))
        .map(|(name, shape)| (name, shape, false))
        .chain(bench.iter().map(|(name, shape)| (name, shape, true)))
        .collect();
    let mut indexes = BTreeMap::new();
    let mut externs = std::collections::BTreeSet::new();
    let mut rows = String::new();
    for (index, (name, shape, bench_only)) in entries.iter().enumerate() {
        if shapes.contains_key(*name) {
            indexes.insert((*name).clone(), index);
        }
        let cfg = if *bench_only {
            "    #[cfg(feature = \"bench\")]\n"
        } else {
            ""
        };
        externs.insert((shape.function.clone(), *bench_only, false));
        let clone = match &shape.clone {
            Some(clone) => {
                externs.insert((clone.clone(), *bench_only, true));
                format!("Some({clone})")
            }
            None => "None".to_owned(),
        };
        write!(
            rows,
            "    // {index}\n{cfg}    Entry {{\n        name: \"{name}\",\n        function: {},\n        clone: {clone},\n        \
             args: {},\n        buffers: {:#b},\n        strings: {:#b},\n        returns: {},\n        \
             copy_return: {},\n    }},\n",
            shape.function, shape.args, shape.buffers, shape.strings, shape.returns, shape.copy_return
        )
        .expect("writing to a String");
    }
    let mut decls = String::new();
    for (symbol, bench_only, clone) in &externs {
        if *bench_only {
            decls.push_str("    #[cfg(feature = \"bench\")]\n");
        }
        if *clone {
            writeln!(
                decls,
                "    fn {symbol}(handle: Handle, status: &mut RustCallStatus) -> Handle;"
            )
        } else {
            writeln!(
                decls,
                "    fn {symbol}(args: *mut FfiBufferElement, returns: *mut FfiBufferElement);"
            )
        }
        .expect("writing to a String");
    }
    let table = format!(
        "//! The functions the Kotlin fast path may call (ffi/src/fast.rs), one [`Entry`] each: \
         generated by\n//! scripts/bindgen (ffi/uniffi-bindgen/src/kotlin_fast.rs) from uniffi's \
         declarations of the exports,\n//! with the symbols uniffi_meta names. Never edited by \
         hand; `scripts/bindgen --check` fails when stale.\n//! A request names an entry by \
         its index, which the generated Kotlin writes.\n\n\
         use super::Entry;\nuse uniffi::{{FfiBufferElement, Handle, RustCallStatus}};\n\n\
         unsafe extern \"C\" {{\n{decls}}}\n\n\
         /// Every function the fast entry may call, by index.\n\
         pub(super) static TABLE: &[Entry] = &[\n{rows}];\n"
    );
    Ok((table, indexes))
}

/// The first capture of `pattern` in `text`.
fn capture(pattern: &str, text: &str, what: &str) -> Result<String, String> {
    Regex::new(pattern)
        .expect("a valid pattern")
        .captures(text)
        .map(|c| c[1].to_owned())
        .ok_or_else(|| format!("uniffi's Kotlin has no {what} any more: update ffi/uniffi-bindgen/src/kotlin_fast.rs"))
}

fn replace_once(text: &str, uniffi: &str, recall: &str, what: &str) -> Result<String, String> {
    match text.matches(uniffi).count() {
        1 => Ok(text.replacen(uniffi, recall, 1)),
        n => Err(format!(
            "uniffi's Kotlin {what} appears {n} times instead of once: the uniffi version changed \
             its templates; update ffi/uniffi-bindgen/src/kotlin_fast.rs"
        )),
    }
}

/// The `external fun`s of exported functions, methods, constructors and clone functions.
fn externs(kotlin: &str, crate_name: &str) -> Result<BTreeMap<String, Extern>, String> {
    let decl = Regex::new(&format!(
        r"external fun (uniffi_{crate_name}_fn_(?:func|method|constructor|clone)_\w+)\(([^)]*)\n    \): ([\w.]+)"
    ))
    .expect("a valid pattern");
    let mut found = BTreeMap::new();
    for c in decl.captures_iter(kotlin) {
        let name = c[1].to_owned();
        let mut params = Vec::new();
        let mut status = false;
        for param in c[2].split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (_, ty) = param
                .split_once(": ")
                .ok_or_else(|| format!("{name}: parameter `{param}`"))?;
            if ty == "UniffiRustCallStatus" {
                status = true;
            } else {
                params.push(FfiType::parse(ty).map_err(|e| format!("{name}: {e}"))?);
            }
        }
        if !status {
            return Err(format!(
                "{name}: no call status parameter (an async function?): not carried by the fast path"
            ));
        }
        let returns = FfiType::parse(&c[3]).map_err(|e| format!("{name}: {e}"))?;
        found.insert(name, Extern { params, returns });
    }
    if found.is_empty() {
        return Err(
            "no exported function declared in UniffiLib: uniffi's templates changed".to_owned(),
        );
    }
    Ok(found)
}

/// Each error type's handler (`RecallException`) and the converter its `lift` uses.
fn error_converters(kotlin: &str) -> BTreeMap<String, String> {
    let handler = Regex::new(
        r"companion object ErrorHandler : UniffiRustCallStatusErrorHandler<(\w+)> \{\n\s*override fun lift\(error_buf: RustBuffer\.ByValue\): \w+ = (\w+)\.lift\(error_buf\)",
    )
    .expect("a valid pattern");
    handler
        .captures_iter(kotlin)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

/// The fast branch of one call.
fn fast_call(
    m: &regex::Captures<'_>,
    ext: &Extern,
    externs: &BTreeMap<String, Extern>,
    errors: &BTreeMap<String, String>,
    converters: &Converters<'_>,
    crate_name: &str,
) -> Result<(String, Shape), String> {
    let name = &m["fn"];
    let args: Vec<&str> = split_args(&m["args"]);
    if args.len() != ext.params.len() {
        return Err(format!(
            "{} arguments for {} parameters",
            args.len(),
            ext.params.len()
        ));
    }
    let slots: usize = ext.params.iter().map(|p| p.slots()).sum();
    if slots > 64 {
        return Err(format!(
            "{slots} argument slots: the fast path carries at most 64"
        ));
    }
    let method = m.name("wrap").is_some();
    let mut body = String::new();
    let (mut slot, mut buffers, mut strings) = (0, 0u64, 0u64);
    for (i, (arg, ty)) in args.iter().zip(&ext.params).enumerate() {
        if *ty == FfiType::Buffer {
            buffers |= 1 << slot;
            if arg.starts_with("FfiConverterString.lower(") {
                strings |= 1 << slot;
            }
        }
        slot += ty.slots();
        let line = match ty {
            _ if method && i == 0 => {
                if *arg != "it" || *ty != FfiType::I64 {
                    return Err(format!("receiver `{arg}` is not uniffi's handle"));
                }
                "uniffiFast.i64(uniffiHandle)".to_owned()
            }
            FfiType::Buffer => {
                let (converter, value) = lowering(arg)
                    .ok_or_else(|| format!("argument `{arg}` is not `Converter.lower(value)`"))?;
                if !converters.serialized(converter) {
                    return Err(lowered_twice(arg));
                }
                format!("uniffiFast.buffer({converter}, {value})")
            }
            FfiType::Void => return Err("a Unit parameter".to_owned()),
            primitive => {
                let (converter, _) = lowering(arg)
                    .ok_or_else(|| format!("argument `{arg}` is not `Converter.lower(value)`"))?;
                if !converters.plain(converter) {
                    return Err(lowered_twice(arg));
                }
                format!("uniffiFast.{}({arg})", primitive.primitive().to_lowercase())
            }
        };
        writeln!(body, "        {line}").expect("writing to a String");
    }
    let clone = if method {
        let object = name
            .split_once("_fn_method_")
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        let mut candidates: Vec<&String> = externs
            .keys()
            .filter(|c| {
                c.split_once("_fn_clone_")
                    .is_some_and(|(_, obj)| object.starts_with(&format!("{obj}_")))
            })
            .collect();
        candidates.sort_by_key(|c| std::cmp::Reverse(c.len()));
        let found = match candidates.as_slice() {
            [one] => one,
            [longest, next, ..] if longest.len() != next.len() => longest,
            _ => return Err("no single clone function for the receiver".to_owned()),
        };
        let object = found
            .split_once("_fn_clone_")
            .map(|(_, object)| object)
            .unwrap_or_default();
        let symbol = uniffi_meta::clone_fn_symbol_name(crate_name, object);
        if symbol != **found {
            return Err(format!(
                "uniffi_meta names the clone function {symbol}, not {found}"
            ));
        }
        Some(symbol)
    } else {
        None
    };
    // The error type's converter; a function that declares none still names a type for Kotlin.
    let (type_arg, error) = match m.name("handler") {
        None => ("<InternalException>", "null"),
        Some(h) => {
            let converter = errors.get(h.as_str()).ok_or_else(|| {
                format!(
                    "error handler `{}` has no converter uniffi's way (a foreign error?)",
                    h.as_str()
                )
            })?;
            ("", converter.as_str())
        }
    };
    let (returns, copy) = (ext.returns.slots(), ext.returns == FfiType::Buffer);
    let invoke =
        format!("uniffiFast.invoke{type_arg}(UniffiFastFns.{name}, {returns}, {copy}, {error})");
    let shape = Shape {
        function: uniffi_meta::ffi_buffer_symbol_name(name),
        clone,
        args: slots,
        buffers,
        strings,
        returns,
        copy_return: copy,
    };
    writeln!(body, "        {invoke}").expect("writing to a String");
    let result = match (ext.returns, m.name("liftfn")) {
        (FfiType::Void, None) => None,
        (FfiType::Buffer, Some(lift)) => {
            let converter = lift
                .as_str()
                .strip_suffix(".lift")
                .ok_or_else(|| format!("lift `{}` is not `Converter.lift`", lift.as_str()))?;
            Some(format!("uniffiFast.result({converter})"))
        }
        (FfiType::Buffer, None) => return Err("a RustBuffer result without its lift".to_owned()),
        (FfiType::Void, Some(_)) => return Err("a lift of nothing".to_owned()),
        (primitive, Some(lift)) => Some(format!(
            "{}(uniffiFast.result{}())",
            lift.as_str(),
            primitive.primitive()
        )),
        (primitive, None) => Some(format!("uniffiFast.result{}()", primitive.primitive())),
    };
    if let Some(result) = result {
        writeln!(body, "        {result}").expect("writing to a String");
    }
    let call = format!("uniffiFastCall {{ uniffiFast ->\n{body}    }}");
    let fast = if method {
        format!("uniffiFastWithHandle {{ uniffiHandle -> {call} }}")
    } else {
        call
    };
    Ok((fast, shape))
}

/// The refusal of an argument Kotlin would lower again on each retry of the call.
fn lowered_twice(arg: &str) -> String {
    format!(
        "argument `{arg}` is lowered in Kotlin into something Rust must free (a RustBuffer its \
         converter allocates, an object's cloned handle, a callback's handle): the fast path \
         writes a call again after growing its buffer, and the first copy would leak. Carry it \
         as bytes in the data area (an `FfiConverterRustBuffer` type) or extend \
         ffi/uniffi-bindgen/src/kotlin_fast.rs to lower it once"
    )
}

/// uniffi's converters, read from the generated file: which arguments the fast path may write
/// more than once. A call is written again after its buffer grew (the first writing does not
/// reach Rust), so an argument must lower to nothing that needs freeing.
struct Converters<'a> {
    kotlin: &'a str,
}

/// uniffi's converters of primitive types: their `lower` returns the value itself.
const PLAIN_CONVERTERS: &[&str] = &[
    "FfiConverterByte",
    "FfiConverterShort",
    "FfiConverterInt",
    "FfiConverterLong",
    "FfiConverterUByte",
    "FfiConverterUShort",
    "FfiConverterUInt",
    "FfiConverterULong",
    "FfiConverterFloat",
    "FfiConverterDouble",
    "FfiConverterBoolean",
];

impl Converters<'_> {
    /// The text of `object <name>: <supertype> {` up to its closing line, if declared.
    fn declaration(&self, name: &str) -> Option<&str> {
        let head = Regex::new(&format!(
            r"(?m)^(?:public |internal )?object {} ?: ",
            regex::escape(name)
        ))
        .expect("a valid pattern");
        let start = head.find(self.kotlin)?.start();
        let rest = &self.kotlin[start..];
        let end = rest.find("\n}\n").map_or(rest.len(), |e| e + 2);
        Some(&rest[..end])
    }

    /// A RustBuffer argument Kotlin serializes into the data area (a string, or a type whose
    /// converter is an `FfiConverterRustBuffer`): nothing is allocated before the crossing.
    fn serialized(&self, converter: &str) -> bool {
        converter == "FfiConverterString"
            || self.declaration(converter).is_some_and(|d| {
                d.split_once('{')
                    .is_some_and(|(head, _)| head.contains(": FfiConverterRustBuffer<"))
            })
    }

    /// A primitive argument whose lowering owns nothing: a primitive's converter, or a custom
    /// type's whose `lower` ends by lowering through one (uniffi's template for a custom type
    /// over a primitive). An object's converter clones its handle, a callback interface's
    /// inserts into a handle map: both refused.
    fn plain(&self, converter: &str) -> bool {
        if PLAIN_CONVERTERS.contains(&converter) {
            return true;
        }
        let Some(declaration) = self.declaration(converter) else {
            return false;
        };
        let Some((_, body)) = declaration.split_once("override fun lower(") else {
            return false;
        };
        let body = body.split("\n    }").next().unwrap_or_default();
        let last = body.lines().map(str::trim).rfind(|l| !l.is_empty());
        last.and_then(|l| l.strip_prefix("return "))
            .and_then(|l| l.strip_suffix(".lower(builtinValue)"))
            .is_some_and(|builtin| PLAIN_CONVERTERS.contains(&builtin))
            && !body.contains("uniffiCloneHandle")
            && !body.contains("handleMap")
    }
}

/// The argument expressions of a call: split at top-level commas.
fn split_args(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, ch) in args.char_indices() {
        match ch {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(args[start..].trim());
    out.retain(|a| !a.is_empty());
    out
}

/// `Converter.lower(value)` as (`Converter`, `value`).
fn lowering(arg: &str) -> Option<(&str, &str)> {
    let (converter, rest) = arg.split_once(".lower(")?;
    let value = rest.strip_suffix(')')?;
    converter
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        .then_some((converter, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A miniature of uniffi's output: an object with a method that throws and returns a
    /// string, and a function returning nothing.
    fn generated() -> String {
        format!(
            "package dev.recall\n\
             internal object UniffiLib {{\n\
             \x20   external fun ffi_recall_ffi_rustbuffer_alloc(`size`: Long,uniffi_out_err: UniffiRustCallStatus, \n    ): RustBuffer.ByValue\n\
             \x20   external fun uniffi_recall_ffi_fn_clone_thing(`handle`: Long,uniffi_out_err: UniffiRustCallStatus, \n    ): Long\n\
             \x20   external fun uniffi_recall_ffi_fn_method_thing_go(`ptr`: Long,`x`: RustBuffer.ByValue,`n`: Int,uniffi_out_err: UniffiRustCallStatus, \n    ): RustBuffer.ByValue\n\
             \x20   external fun uniffi_recall_ffi_fn_func_noop(uniffi_out_err: UniffiRustCallStatus, \n    ): Unit\n\
             }}\n\
             {STRING_WRITER}\
             class Thing {{\n\
             {CALL_WITH_HANDLE}\
             \x20   fun go(x: String, n: Int): String {{\n\
             \x20           return FfiConverterString.lift(\n\
             \x20   callWithHandle {{\n\
             \x20   uniffiRustCallWithError(ThingException) {{ _status ->\n\
             \x20   UniffiLib.uniffi_recall_ffi_fn_method_thing_go(\n\
             \x20       it,\n\
             \x20       FfiConverterString.lower(`x`),FfiConverterInt.lower(`n`),_status)\n\
             }}\n\
             \x20   }}\n\
             \x20   )\n\
             \x20   }}\n\
             }}\n\
             class ThingException {{\n\
             \x20   companion object ErrorHandler : UniffiRustCallStatusErrorHandler<ThingException> {{\n\
             \x20       override fun lift(error_buf: RustBuffer.ByValue): ThingException = FfiConverterTypeThingError.lift(error_buf)\n\
             \x20   }}\n\
             }}\n\
             fun noop() = \n\
             \x20   uniffiRustCall() {{ _status ->\n\
             \x20   UniffiLib.uniffi_recall_ffi_fn_func_noop(\n\
             \x20   \n\
             \x20       _status)\n\
             }}\n"
        )
    }

    #[test]
    fn every_call_gets_the_fast_branch_and_keeps_uniffis() {
        let (out, _) = fast_path(&generated()).unwrap();
        assert!(out.contains(
            "return if (uniffiFastPath) uniffiFastWithHandle { uniffiHandle -> uniffiFastCall { uniffiFast ->\n\
             \x20       uniffiFast.i64(uniffiHandle)\n\
             \x20       uniffiFast.buffer(FfiConverterString, `x`)\n\
             \x20       uniffiFast.i32(FfiConverterInt.lower(`n`))\n\
             \x20       uniffiFast.invoke(UniffiFastFns.uniffi_recall_ffi_fn_method_thing_go, \
             3, true, FfiConverterTypeThingError)\n\
             \x20       uniffiFast.result(FfiConverterString)\n\
             \x20   } } else FfiConverterString.lift(\n    callWithHandle {"
        ), "{out}");
        assert!(out.contains(
            "(if (uniffiFastPath) uniffiFastCall { uniffiFast ->\n\
             \x20       uniffiFast.invoke<InternalException>(UniffiFastFns.uniffi_recall_ffi_fn_func_noop, 0, false, null)\n\
             \x20   } else     uniffiRustCall() { _status ->"
        ), "{out}");
        assert!(out.contains("internal inline fun <R> uniffiFastWithHandle("));
        // Indexes of the Rust table, in the order of the names; the bench-only noop last.
        assert!(out.contains("const val uniffi_recall_ffi_fn_method_thing_go: Int = 0\n"));
        assert!(out.contains("const val uniffi_recall_ffi_fn_func_noop: Int = 1\n"));
        assert!(
            !out.contains("getFunction(\"uniffi_"),
            "no symbol is looked up at run time"
        );
        assert!(out.contains("external fun recall_ffi_fast_call(io: Long): Int"));
        // The JNI native is bound in the library JNA loaded, never by loading it again.
        assert!(out.contains("getFunction(\"recall_ffi_fast_register\")"));
        assert!(!out.contains("System.load(") && !out.contains("System.loadLibrary("));
        assert!(!out.contains("__CRATE__") && !out.contains("__FUNCTIONS__"));
        assert!(out.contains(RECALL_STRING_WRITER) && !out.contains(STRING_WRITER));
    }

    #[test]
    fn a_changed_call_template_fails_generation() {
        let changed = generated().replace(
            "{ _status ->\n    UniffiLib.uniffi_recall_ffi_fn_func_noop",
            "{ status ->\n    UniffiLib.uniffi_recall_ffi_fn_func_noop",
        );
        let err = fast_path(&changed).unwrap_err();
        assert!(
            err.contains("1 calls rewritten, of 2 calls of 2 exports"),
            "{err}"
        );
    }

    #[test]
    fn a_changed_helper_fails_generation() {
        let err = fast_path(&generated().replace(
            "buf.putInt(byteBuf.limit())",
            "buf.putInt(byteBuf.remaining())",
        ))
        .unwrap_err();
        assert!(err.contains("string writer appears 0 times"), "{err}");
        let err = fast_path(&generated().replace(
            "return block(this.uniffiCloneHandle())",
            "return block(uniffiCloneHandle())",
        ))
        .unwrap_err();
        assert!(
            err.contains("`callWithHandle` appears 0 times for 1 objects"),
            "{err}"
        );
        let err = fast_path(
            &generated().replace("companion object ErrorHandler", "companion object Handler"),
        )
        .unwrap_err();
        assert!(
            err.contains("error handler `ThingException` has no converter"),
            "{err}"
        );
    }

    #[test]
    fn what_the_fast_path_does_not_carry_fails_generation() {
        let bytes = generated().replace(
            "`n`: Int,uniffi_out_err",
            "`n`: ForeignBytes.ByValue,uniffi_out_err",
        );
        assert!(
            fast_path(&bytes)
                .unwrap_err()
                .contains("`ForeignBytes.ByValue` is not carried")
        );
        let no_status = generated().replace(
            "external fun uniffi_recall_ffi_fn_func_noop(uniffi_out_err: UniffiRustCallStatus, ",
            "external fun uniffi_recall_ffi_fn_func_noop(",
        );
        assert!(
            fast_path(&no_status)
                .unwrap_err()
                .contains("no call status parameter")
        );
        let other_package = generated().replace("package dev.recall", "package org.example");
        assert!(
            fast_path(&other_package)
                .unwrap_err()
                .contains("JNI entry is named for `dev.recall`")
        );
    }

    /// The miniature with the `n` argument lowered by `converter`, declared as `declaration`.
    fn with_int_argument(converter: &str, declaration: &str) -> String {
        generated().replace(
            "FfiConverterInt.lower(`n`)",
            &format!("{converter}.lower(`n`)"),
        ) + declaration
    }

    /// The miniature with the `x` argument lowered by `converter`, declared as `declaration`.
    fn with_buffer_argument(converter: &str, declaration: &str) -> String {
        generated().replace(
            "FfiConverterString.lower(`x`)",
            &format!("{converter}.lower(`x`)"),
        ) + declaration
    }

    #[test]
    fn an_argument_that_would_be_lowered_twice_fails_generation() {
        // An object's handle (cloned by its converter's `lower`): refused.
        let object = with_int_argument(
            "FfiConverterTypeThing",
            "public object FfiConverterTypeThing: FfiConverter<Thing, Int> {\n\
             \x20   override fun lower(value: Thing): Int {\n\
             \x20       return value.uniffiCloneHandle()\n\
             \x20   }\n\
             }\n",
        );
        let err = fast_path(&object).unwrap_err();
        assert!(
            err.contains("argument `FfiConverterTypeThing.lower(`n`)` is lowered in Kotlin"),
            "{err}"
        );
        // A callback interface's handle (a handle-map entry): refused.
        let callback = with_int_argument(
            "FfiConverterTypeListener",
            "public object FfiConverterTypeListener: FfiConverterCallbackInterface<Listener>() {\n\
             \x20   override fun lower(value: Listener): Int {\n\
             \x20       return handleMap.insert(value)\n\
             \x20   }\n\
             }\n",
        );
        assert!(
            fast_path(&callback)
                .unwrap_err()
                .contains("is lowered in Kotlin")
        );
        // A converter the file does not declare: refused, not guessed.
        let unknown = with_int_argument("FfiConverterTypeElsewhere", "");
        assert!(
            fast_path(&unknown)
                .unwrap_err()
                .contains("is lowered in Kotlin")
        );
        // A custom type over a primitive (uniffi's template, as the timestamp's): carried.
        let custom = with_int_argument(
            "FfiConverterTypeCount",
            "public object FfiConverterTypeCount: FfiConverter<Count, Int> {\n\
             \x20   override fun lower(value: Count): Int {\n\
             \x20       val builtinValue = value.n\n\
             \x20       return FfiConverterInt.lower(builtinValue)\n\
             \x20   }\n\
             }\n",
        );
        assert!(
            fast_path(&custom)
                .unwrap()
                .0
                .contains("uniffiFast.i32(FfiConverterTypeCount.lower(`n`))")
        );

        // A RustBuffer its converter allocates in Rust (a custom type over a string): refused.
        let allocated = with_buffer_argument(
            "FfiConverterTypeName",
            "public object FfiConverterTypeName: FfiConverter<Name, RustBuffer.ByValue> {\n\
             \x20   override fun lower(value: Name): RustBuffer.ByValue {\n\
             \x20       return FfiConverterString.lower(value.s)\n\
             \x20   }\n\
             }\n",
        );
        let err = fast_path(&allocated).unwrap_err();
        assert!(
            err.contains("argument `FfiConverterTypeName.lower(`x`)` is lowered in Kotlin"),
            "{err}"
        );
        // A record (serialized into the data area by Kotlin): carried.
        let record = with_buffer_argument(
            "FfiConverterTypeName",
            "public object FfiConverterTypeName : FfiConverterRustBuffer<Name>{\n\
             \x20   override fun write(value: Name, buf: ByteBuffer) {}\n\
             }\n",
        );
        assert!(
            fast_path(&record)
                .unwrap()
                .0
                .contains("uniffiFast.buffer(FfiConverterTypeName, `x`)")
        );
    }

    #[test]
    fn the_runtime_reads_the_slot_layout_fast_rs_pins() {
        // ffi/src/fast.rs's `the_slot_layout_kotlin_relies_on` pins uniffi's side (a RustBuffer
        // as capacity, length, pointer; the call status as its code, then the error buffer)
        // and the entry's constants; this pins the Kotlin that reads them.
        for text in [
            "private const val UNIFFI_FAST_READY = 7\n",
            "        const val HEADER = 8\n",
            "        const val MAX_ARG_SLOTS = 64\n",
            "        const val DATA_START = 640\n",
            "        const val BAD_REQUEST = 100\n",
            // The header: index, reserved, args, mask, returns, flags, size, data (slot 7).
            "        io.putLong(0, index.toLong())\n        io.putLong(8, 0L)\n        \
             io.putLong(16, slot.toLong())\n        io.putLong(24, mask)\n        \
             io.putLong(32, returns.toLong())\n        \
             io.putLong(40, if (copyReturn) 1L else 0L)\n        \
             io.putLong(48, io.capacity().toLong())\n        \
             io.putLong(56, DATA_START.toLong())\n",
            // The status slots after the return slots, the error buffer after the code's slot.
            "        val statusAt = returnAt + returns * 8\n",
            "throw liftFrom(error, statusAt + 8)",
            // A RustBuffer left in slots: capacity, length, then the pointer.
            "            io.getLong(at).toULong(),\n            io.getLong(at + 8).toULong(),\n            \
             Pointer(UniffiFastSlots.getPointer(io, at + 16)),\n",
        ] {
            assert!(RUNTIME.contains(text), "the runtime no longer has: {text}");
        }
    }

    #[test]
    fn is_not_applied_twice() {
        let (once, _) = fast_path(&generated()).unwrap();
        assert!(fast_path(&once).is_err());
    }

    #[test]
    fn the_rust_table_has_each_exports_shape_and_uniffi_metas_symbols() {
        let (_, table) = fast_path(&generated()).unwrap();
        // The method: receiver (1 slot), a string (3 slots, bit 1), an Int; a RustBuffer result.
        assert!(
            table.contains(
                "    // 0\n    Entry {\n        name: \"uniffi_recall_ffi_fn_method_thing_go\",\n        \
             function: uniffi_ffibuffer_recall_ffi_fn_method_thing_go,\n        \
             clone: Some(uniffi_recall_ffi_fn_clone_thing),\n        args: 5,\n        \
             buffers: 0b10,\n        strings: 0b10,\n        returns: 3,\n        \
             copy_return: true,\n    },\n"
            ),
            "{table}"
        );
        // noop is bench-only (BENCH_ONLY): last, under the feature, in the table and the externs.
        assert!(table.contains(
            "    // 1\n    #[cfg(feature = \"bench\")]\n    Entry {\n        \
             name: \"uniffi_recall_ffi_fn_func_noop\",\n        function: uniffi_ffibuffer_recall_ffi_fn_func_noop,\n        clone: None,\n        \
             args: 0,\n        buffers: 0b0,\n        strings: 0b0,\n        returns: 0,\n        \
             copy_return: false,\n    },\n"
        ), "{table}");
        assert!(table.contains(
            "    #[cfg(feature = \"bench\")]\n    fn uniffi_ffibuffer_recall_ffi_fn_func_noop(args"
        ));
        assert!(table.contains(
            "    fn uniffi_recall_ffi_fn_clone_thing(handle: Handle, status: &mut RustCallStatus) -> Handle;\n"
        ));
        // Without noop in the Kotlin (the shipped library), the table still lists it last.
        let all = generated();
        let shipped = all[..all.find("fun noop() = ").unwrap()].replace(
            "\x20   external fun uniffi_recall_ffi_fn_func_noop(uniffi_out_err: UniffiRustCallStatus, \n    ): Unit\n",
            "",
        );
        let (kotlin, shipped_table) = fast_path(&shipped).unwrap();
        assert_eq!(shipped_table, table);
        assert!(!kotlin.contains("uniffi_recall_ffi_fn_func_noop: Int"));
        // A bench-only export whose shape changed fails generation.
        let changed = generated().replace(
            "external fun uniffi_recall_ffi_fn_func_noop(uniffi_out_err: UniffiRustCallStatus, \n    ): Unit",
            "external fun uniffi_recall_ffi_fn_func_noop(uniffi_out_err: UniffiRustCallStatus, \n    ): Int",
        );
        let err = fast_path(&changed).unwrap_err();
        assert!(err.contains("bench-only, and its shape changed"), "{err}");
    }
}
