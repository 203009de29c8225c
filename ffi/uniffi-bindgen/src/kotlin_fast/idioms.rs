//! Kotlin and Java idioms that uniffi 0.32's Kotlin templates cannot be configured to write
//! (`ffi/uniffi.toml` sets what they can: the package, immutable records, the target version).
//!
//! Each edit is a rule over uniffi's own output, never a list of chosen names, and each counts
//! what it changed against what the file declares, so a uniffi upgrade that writes the text
//! differently fails generation here instead of shipping a half-idiomatic API:
//!
//! - `@file:JvmName("Recalls")` + `@file:JvmMultifileClass`: Java sees the top-level functions
//!   of the generated file and of `Idioms.kt` as statics of one class, `Recalls`, not
//!   `Recall_ffiKt` / `IdiomsKt`.
//! - `@Throws` on a primary constructor that throws (uniffi puts it on functions only), so Java
//!   can catch `RecallException` from `new RecallPolicy(config)`; `@JvmOverloads` beside it
//!   when a parameter has a default.
//! - `@JvmStatic` on the alternate constructors of an object (`RecallPolicy.defaults()`), so
//!   Java calls them without `.Companion`.
//! - A decoder exported as a free function `fooFromBar(...): Foo` (uniffi renders no
//!   constructor of a record or enum) also becomes `Foo.fromBar(...)`, a `@JvmStatic` member of
//!   `Foo`'s companion with the same doc; the free function becomes `internal`.
//! - `data object` for a case without fields of a sealed class that has no `toString` of its
//!   own (a Rust `Display`), so `RecallOutcome.Remembered` prints `Remembered`, not
//!   `dev.recall.RecallOutcome$Remembered@1b6d3586`. A sealed class with a `toString` keeps
//!   plain objects, which inherit it (a data object would print its name instead).
//! - `@JvmOverloads` on the constructor of a record with defaults, so Java can write
//!   `new LimitsConfig()` or leave out the trailing defaulted fields.
//! - The message of an error case with a `detail` field is that detail
//!   (`window_expired (11): the recall window has passed`, which names the reason already),
//!   not uniffi's `reason=..., detail=...` dump of every field.
//! - A custom type's alias (`typealias RecallTimestamp = java.time.Instant`) stays public for
//!   other crates' bindings, but every signature names the type itself (`now: Instant`).
//! - Plumbing out of sight ([`plumbing`]): `internal` for what no code outside the module
//!   needs: the converters of built-in and compound types, `uniffiCloneHandle()`, the
//!   handle-taking and fake-object constructors with their marker objects, the null error
//!   handler, `uniffiEnsureInitialized()`. What another crate's bindings name stays public
//!   (uniffi's external types import `FfiConverterType<Name>` and `RustBuffer`), and so does
//!   what a public declaration exposes (`Disposable`, `UniffiCleaner` through the open
//!   classes' protected `cleanable`, `UniffiRustCallStatusErrorHandler` through the error's
//!   `ErrorHandler`, `InternalException`, which a Rust panic surfaces as).

use regex::Regex;
use std::collections::BTreeMap;

/// Applies every idiom to the text of a generated `.kt` file.
pub fn patch(kotlin: &str) -> Result<String, String> {
    let out = file_facade(kotlin)?;
    let out = throwing_constructors(&out)?;
    let out = static_constructors(&out)?;
    let out = decoders_as_companions(&out)?;
    let out = data_objects(&out)?;
    let out = record_overloads(&out)?;
    let out = error_messages(&out)?;
    let out = custom_types_by_their_type(&out)?;
    plumbing(&out)
}

/// Each custom type's alias replaced by the type it stands for, in the code (not in docs).
fn custom_types_by_their_type(kotlin: &str) -> Result<String, String> {
    let alias = Regex::new(r"(?m)^public typealias (\w+) = ([\w.]+)$").expect("a valid pattern");
    let aliases: Vec<(String, String)> = alias
        .captures_iter(kotlin)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect();
    if aliases.is_empty() {
        return Err(changed("custom type (`public typealias Name = Type`)"));
    }
    let package = kotlin
        .lines()
        .find_map(|l| l.strip_prefix("package "))
        .ok_or_else(|| changed("package line"))?;
    let mut out = String::with_capacity(kotlin.len() + 1024);
    for line in kotlin.split_inclusive('\n') {
        let code = line.trim_start();
        if code.starts_with('*')
            || code.starts_with("/*")
            || code.starts_with("//")
            || code.starts_with("public typealias ")
        {
            out.push_str(line);
            continue;
        }
        let mut line = line.to_owned();
        for (name, ty) in &aliases {
            line = line.replace(&format!("{package}.{name}"), ty);
            line = Regex::new(&format!(r"\b{name}\b"))
                .expect("a valid pattern")
                .replace_all(&line, ty.as_str())
                .into_owned();
        }
        out.push_str(&line);
    }
    Ok(out)
}

/// The message of an error case that carries a `detail`: the detail.
fn error_messages(kotlin: &str) -> Result<String, String> {
    let getter = Regex::new(
        r#"(?m)^        override val message\n            get\(\) = "(?P<fields>[^"\n]*)"$"#,
    )
    .expect("a valid pattern");
    let mut out = String::with_capacity(kotlin.len());
    let mut rest = 0;
    let mut patched = 0;
    for m in getter.captures_iter(kotlin) {
        if !m["fields"].contains("detail=${ `detail` }") {
            continue;
        }
        let whole = m.get(0).expect("the match");
        out.push_str(&kotlin[rest..whole.start()]);
        out.push_str("        override val message\n            get() = `detail`");
        rest = whole.end();
        patched += 1;
    }
    out.push_str(&kotlin[rest..]);
    if patched == 0 {
        return Err(changed("message of an error case with a `detail` field"));
    }
    Ok(out)
}

fn changed(what: &str) -> String {
    format!(
        "uniffi's Kotlin {what} is not written as it was: the uniffi version changed its \
         templates; update ffi/uniffi-bindgen/src/kotlin_fast/idioms.rs"
    )
}

/// uniffi's file annotation, and ours after it.
const FILE_ANNOTATION: &str = "@file:Suppress(\"NAME_SHADOWING\")\n";
const FACADE: &str = "@file:JvmName(\"Recalls\")\n@file:JvmMultifileClass\n";

fn file_facade(kotlin: &str) -> Result<String, String> {
    if kotlin.matches(FILE_ANNOTATION).count() != 1 || kotlin.contains("@file:JvmName") {
        return Err(changed(
            "file annotation (@file:Suppress, once, and no @file:JvmName)",
        ));
    }
    Ok(kotlin.replacen(FILE_ANNOTATION, &format!("{FILE_ANNOTATION}{FACADE}"), 1))
}

/// The text from `start` up to (not including) the first `end` after it.
fn until<'a>(text: &'a str, start: usize, end: &str) -> Option<&'a str> {
    text[start..].find(end).map(|n| &text[start..start + n])
}

/// The text of the type `ty` declared at `start`: up to its converter, which uniffi writes
/// right after every type (the class itself holds `}` in column 0 inside its methods' calls).
fn class_body<'a>(kotlin: &'a str, start: usize, ty: &str) -> Option<&'a str> {
    until(
        kotlin,
        start,
        &format!("\npublic object FfiConverterType{ty}"),
    )
    .filter(|body| body.trim_end().ends_with("*/"))
}

/// `@Throws` (and `@JvmOverloads`) on primary constructors.
fn throwing_constructors(kotlin: &str) -> Result<String, String> {
    let primary = Regex::new(
        r"(?m)^    constructor\((?P<params>[^\n]*)\) :\n        this\(UniffiWithHandle, \n",
    )
    .expect("a valid pattern");
    let handler = Regex::new(r"uniffiRustCallWithError\((\w+)\)").expect("a valid pattern");
    let mut out = String::with_capacity(kotlin.len() + 256);
    let mut rest = 0;
    for m in primary.captures_iter(kotlin) {
        let whole = m.get(0).expect("the match");
        let body = until(kotlin, whole.end(), "\n    )\n")
            .ok_or_else(|| changed("primary constructor (its closing parenthesis)"))?;
        let mut annotations = Vec::new();
        match handler.captures(body) {
            Some(h) => annotations.push(format!("@Throws({}::class)", &h[1])),
            None if body.contains("uniffiRustCall()") => {}
            None => return Err(changed("primary constructor (its call)")),
        }
        if m["params"].contains(" = ") {
            annotations.push("@JvmOverloads".to_owned());
        }
        out.push_str(&kotlin[rest..whole.start()]);
        if !annotations.is_empty() {
            out.push_str(&format!("    {}\n", annotations.join(" ")));
        }
        rest = whole.start();
    }
    out.push_str(&kotlin[rest..]);
    Ok(out)
}

/// A function declaration as uniffi writes it, after its doc comment or `@Throws`.
fn declaration() -> Regex {
    Regex::new(
        r"(?P<pre>@Throws\(\w+::class\) |\*/ )fun `(?P<name>\w+)`\((?P<params>[^\n]*)\): (?P<ret>[\w.]+)(?P<opt>\??) \{\n",
    )
    .expect("a valid pattern")
}

/// Which exported function the body of a declaration calls: `func`, `method` or
/// `constructor`, read from the fast path's call (kotlin_fast.rs runs first).
fn calls(kotlin: &str, body_start: usize) -> Option<&'static str> {
    let body = until(kotlin, body_start, "\n    }\n")?;
    let at = body.find("UniffiFastFns.uniffi_")?;
    let name = &body[at..];
    ["_fn_func_", "_fn_method_", "_fn_constructor_"]
        .into_iter()
        .find(|kind| {
            name.split([',', ')'])
                .next()
                .is_some_and(|n| n.contains(kind))
        })
}

/// `@JvmStatic` on alternate constructors (which uniffi puts in the companion object).
fn static_constructors(kotlin: &str) -> Result<String, String> {
    let externs = Regex::new(r"external fun uniffi_\w+_fn_constructor_\w+\(")
        .expect("a valid pattern")
        .find_iter(kotlin)
        .count();
    let primaries = kotlin.matches("        this(UniffiWithHandle, \n").count();
    let mut out = String::with_capacity(kotlin.len() + 256);
    let mut rest = 0;
    let mut patched = 0;
    for m in declaration().captures_iter(kotlin) {
        let whole = m.get(0).expect("the match");
        if calls(kotlin, whole.end()) != Some("_fn_constructor_") {
            continue;
        }
        let fun = whole.start() + m["pre"].len();
        out.push_str(&kotlin[rest..fun]);
        out.push_str("@JvmStatic ");
        if m["params"].contains(" = ") {
            out.push_str("@JvmOverloads ");
        }
        rest = fun;
        patched += 1;
    }
    out.push_str(&kotlin[rest..]);
    if patched + primaries != externs {
        return Err(changed(&format!(
            "alternate constructor ({patched} found + {primaries} primary, of {externs} exported)"
        )));
    }
    Ok(out)
}

/// The KDoc that ends right before `at` (only blanks between), re-indented by `indent`.
fn doc_before(kotlin: &str, at: usize, indent: &str) -> String {
    let before = &kotlin[..at];
    let Some(end) = before.rfind("*/") else {
        return String::new();
    };
    if !before[end + 2..].trim().is_empty() {
        return String::new();
    }
    let Some(start) = before[..end].rfind("/**") else {
        return String::new();
    };
    let mut doc = String::new();
    for line in before[start..end + 2].lines() {
        let line = line.trim();
        let pad = if line.starts_with('*') { " " } else { "" };
        doc.push_str(&format!("{indent}{pad}{line}\n"));
    }
    doc
}

/// `Foo.fromBar(...)` in `Foo`'s companion for each exported `fooFromBar(...): Foo`.
fn decoders_as_companions(kotlin: &str) -> Result<String, String> {
    let param = Regex::new(r"`(\w+)`: ").expect("a valid pattern");
    let name = Regex::new(r"^([a-z]\w*?)From([A-Z]\w*)$").expect("a valid pattern");
    // The companion's members, per type, and where each free function's `fun` is.
    let mut members: BTreeMap<String, String> = BTreeMap::new();
    let mut internal = Vec::new();
    for m in declaration().captures_iter(kotlin) {
        let whole = m.get(0).expect("the match");
        let Some(parts) = name.captures(&m["name"]) else {
            continue;
        };
        let ty = &m["ret"];
        let mut chars = parts[1].chars();
        let owner: String = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .into_iter()
            .chain(chars)
            .collect();
        if owner != ty || calls(kotlin, whole.end()) != Some("_fn_func_") {
            continue;
        }
        let doc_end = whole.start() + if m["pre"].starts_with("*/") { 2 } else { 0 };
        let doc = doc_before(kotlin, doc_end, "        ");
        let throws = m["pre"]
            .strip_prefix("@Throws")
            .map(|t| format!("@Throws{t}"));
        let args: Vec<String> = param
            .captures_iter(&m["params"])
            .map(|p| format!("`{}`", &p[1]))
            .collect();
        let member = format!(
            "{doc}        @JvmStatic {}fun `from{}`({}): {ty}{} = `{}`({})\n",
            throws.unwrap_or_default(),
            &parts[2],
            &m["params"],
            &m["opt"],
            &m["name"],
            args.join(", ")
        );
        members.entry(owner).or_default().push_str(&member);
        internal.push(whole.start() + m["pre"].len());
    }
    // The free functions become internal (back to front, so the offsets hold).
    let mut out = kotlin.to_owned();
    for at in internal.into_iter().rev() {
        out.insert_str(at, "internal ");
    }
    for (ty, body) in members {
        let class = Regex::new(&format!(
            r"(?m)^(?:data class|enum class|sealed class|class|open class) {ty}\b"
        ))
        .expect("a valid pattern");
        let start = class
            .find(&out)
            .ok_or_else(|| changed(&format!("declaration of {ty}")))?
            .end();
        let empty = "\n    companion object\n}\n";
        let at = class_body(&out, start, &ty)
            .and_then(|class| class.rfind(empty))
            .map(|n| start + n)
            .ok_or_else(|| changed(&format!("empty companion object of {ty}")))?;
        out.replace_range(
            at..at + empty.len(),
            &format!("\n    companion object {{\n{body}    }}\n}}\n"),
        );
    }
    Ok(out)
}

/// `data object` for the cases without fields of sealed classes without a `toString`.
fn data_objects(kotlin: &str) -> Result<String, String> {
    let case = Regex::new(r"(?m)^    object (\w+) : (\w+)\(\)$").expect("a valid pattern");
    let mut out = String::with_capacity(kotlin.len() + 256);
    let mut rest = 0;
    for m in case.captures_iter(kotlin) {
        let parent = &m[2];
        let start = kotlin
            .find(&format!("\nsealed class {parent} "))
            .ok_or_else(|| changed(&format!("sealed class {parent}")))?;
        let body = class_body(kotlin, start, parent)
            .ok_or_else(|| changed(&format!("end of sealed class {parent}")))?;
        if body.contains("override fun toString()") {
            continue;
        }
        let at = m.get(0).expect("the match").start() + 4;
        out.push_str(&kotlin[rest..at]);
        out.push_str("data ");
        rest = at;
    }
    out.push_str(&kotlin[rest..]);
    Ok(out)
}

/// `@JvmOverloads` on the constructors of records with defaults.
fn record_overloads(kotlin: &str) -> Result<String, String> {
    let record = Regex::new(r"(?m)^data class (\w+) \(\n").expect("a valid pattern");
    let mut out = String::with_capacity(kotlin.len() + 256);
    let mut rest = 0;
    for m in record.captures_iter(kotlin) {
        let whole = m.get(0).expect("the match");
        let fields = until(kotlin, whole.end(), "\n)")
            .ok_or_else(|| changed(&format!("record {}", &m[1])))?;
        if !fields
            .lines()
            .any(|l| l.trim_start().starts_with("val ") && l.contains(" = "))
        {
            continue;
        }
        out.push_str(&kotlin[rest..whole.start()]);
        out.push_str(&format!(
            "data class {} @JvmOverloads constructor(\n",
            &m[1]
        ));
        rest = whole.end();
    }
    out.push_str(&kotlin[rest..]);
    Ok(out)
}

/// Replaces every `uniffi` in `kotlin` by `recall`, and fails unless it appears `expected`
/// times (0 for "at least once").
fn internal_each(
    kotlin: &str,
    uniffi: &str,
    recall: &str,
    expected: usize,
) -> Result<String, String> {
    let n = kotlin.matches(uniffi).count();
    if n == 0 || (expected != 0 && n != expected) {
        return Err(changed(&format!(
            "`{}` ({n} times, not {expected})",
            uniffi.trim()
        )));
    }
    Ok(kotlin.replace(uniffi, recall))
}

/// `internal` for the plumbing nothing outside the module names (see the module doc).
fn plumbing(kotlin: &str) -> Result<String, String> {
    let converter = Regex::new(r"(?m)^public object (FfiConverter\w+)").expect("a valid pattern");
    let mut out = String::with_capacity(kotlin.len() + 1024);
    let mut rest = 0;
    let mut builtin = 0;
    for m in converter.captures_iter(kotlin) {
        if m[1].starts_with("FfiConverterType") {
            continue; // named by other crates' bindings (external types)
        }
        let at = m.get(0).expect("the match").start();
        out.push_str(&kotlin[rest..at]);
        out.push_str("internal object ");
        rest = at + "public object ".len();
        builtin += 1;
    }
    out.push_str(&kotlin[rest..]);
    if builtin == 0 {
        return Err(changed(
            "converter of a built-in type (`public object FfiConverterString`)",
        ));
    }
    let objects = out.matches("    fun uniffiCloneHandle(): Long {\n").count();
    let out = internal_each(
        &out,
        "    fun uniffiCloneHandle(): Long {\n",
        "    internal fun uniffiCloneHandle(): Long {\n",
        0,
    )?;
    let out = internal_each(
        &out,
        "    constructor(withHandle: UniffiWithHandle, handle: Long) {\n",
        "    internal constructor(withHandle: UniffiWithHandle, handle: Long) {\n",
        objects,
    )?;
    let out = internal_each(
        &out,
        "    constructor(noHandle: NoHandle) {\n",
        "    internal constructor(noHandle: NoHandle) {\n",
        objects,
    )?;
    let out = internal_each(
        &out,
        "\nobject UniffiWithHandle\n",
        "\ninternal object UniffiWithHandle\n",
        1,
    )?;
    let out = internal_each(
        &out,
        "\nobject NoHandle\n",
        "\ninternal object NoHandle\n",
        1,
    )?;
    let out = internal_each(
        &out,
        "\nobject UniffiNullRustCallStatusErrorHandler:",
        "\ninternal object UniffiNullRustCallStatusErrorHandler:",
        1,
    )?;
    internal_each(
        &out,
        "\npublic fun uniffiEnsureInitialized() {",
        "\ninternal fun uniffiEnsureInitialized() {",
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A miniature of uniffi's output after the fast path: an object with a throwing primary
    /// constructor and an alternate one, a record with a default and one without, a decoder,
    /// a sealed class with a case without fields, and one with a `toString`.
    const GENERATED: &str = r#"@file:Suppress("NAME_SHADOWING")
package dev.recall
object UniffiNullRustCallStatusErrorHandler: UniffiRustCallStatusErrorHandler<InternalException> {
}
public fun uniffiEnsureInitialized() {
}
object UniffiWithHandle
object NoHandle
public object FfiConverterString: FfiConverter<String, RustBuffer.ByValue> {
}
public typealias RecallTimestamp = java.time.Instant
public object FfiConverterTypeRecallTimestamp: FfiConverter<RecallTimestamp, Long> {
    override fun lower(value: RecallTimestamp): Long = 0
}
/**
 * A `RecallTimestamp` in a doc stays.
 */
data class Stamped (
    val `at`: RecallTimestamp, 
    val `maybe`: dev.recall.RecallTimestamp?
){
    companion object
}
/**
 * @suppress
 */
public object FfiConverterTypeStamped : FfiConverterRustBuffer<Stamped> {
}
external fun uniffi_recall_ffi_fn_constructor_thing_new(
external fun uniffi_recall_ffi_fn_constructor_thing_defaults(
open class Thing {
    constructor(withHandle: UniffiWithHandle, handle: Long) {
    }
    constructor(noHandle: NoHandle) {
    }
    fun uniffiCloneHandle(): Long {
    }
    /**
     * Builds it.
     */
    constructor(`config`: Config, `n`: kotlin.Int? = null) :
        this(UniffiWithHandle, 
(if (uniffiFastPath) uniffiFastCall { uniffiFast ->
        uniffiFast.invoke(UniffiFastFns.uniffi_recall_ffi_fn_constructor_thing_new, 0L, 1, false, FfiConverterTypeThingError)
    } else     uniffiRustCallWithError(ThingException) { _status ->
})
    )
    companion object {
    /**
     * The defaults.
     */ fun `defaults`(): Thing {
            return if (uniffiFastPath) uniffiFastCall { uniffiFast ->
        uniffiFast.invoke<InternalException>(UniffiFastFns.uniffi_recall_ffi_fn_constructor_thing_defaults, 0L, 1, false, null)
    }
    }
}
data class Config (
    val `windowSecs`: kotlin.Int = 120 
){
    companion object
}
/**
 * @suppress
 */
public object FfiConverterTypeConfig : FfiConverterRustBuffer<Config> {
}
data class Plain (
    val `id`: kotlin.String
){
    companion object
}
/**
 * @suppress
 */
public object FfiConverterTypePlain : FfiConverterRustBuffer<Plain> {
}
sealed class Outcome {
    object Remembered : Outcome()
    data class Applied(
        val `n`: kotlin.Int) : Outcome()
    {
        companion object
    }
    /**
     * Its code.
     */ fun `code`(): kotlin.Int {
            return if (uniffiFastPath) uniffiFastCall { uniffiFast ->
        uniffiFast.invoke<InternalException>(UniffiFastFns.uniffi_recall_ffi_fn_method_outcome_code, 0L, 1, false, null)
    } else uniffiRustCall() { _status ->
}
    }
    companion object
}
/**
 * @suppress
 */
public object FfiConverterTypeOutcome : FfiConverterRustBuffer<Outcome> {
}
sealed class Reason {
    object WindowExpired : Reason()
    override fun toString(): String {
        return "window_expired (11)"
    }
    companion object
}
/**
 * @suppress
 */
public object FfiConverterTypeReason : FfiConverterRustBuffer<Reason> {
}
sealed class ThingException: kotlin.Exception() {
    class Refused(
        val `reason`: Reason, 
        val `detail`: kotlin.String
        ) : ThingException() {
        override val message
            get() = "reason=${ `reason` }, detail=${ `detail` }"
    }
}
    /**
     * Decodes an outcome.
     */
    @Throws(ThingException::class) fun `outcomeFromJson`(`json`: kotlin.String, `strict`: kotlin.Boolean): Outcome {
            return if (uniffiFastPath) uniffiFastCall { uniffiFast ->
        uniffiFast.invoke(UniffiFastFns.uniffi_recall_ffi_fn_func_outcome_from_json, 0L, 3, true, FfiConverterTypeThingError)
    }

"#;

    #[test]
    fn every_idiom_is_applied() {
        let out = patch(GENERATED).unwrap();
        assert!(
            out.starts_with(&format!("{FILE_ANNOTATION}{FACADE}package")),
            "{out}"
        );
        assert!(out.contains(
            "     */\n    @Throws(ThingException::class) @JvmOverloads\n    constructor(`config`: Config"
        ), "{out}");
        assert!(
            out.contains("     */ @JvmStatic fun `defaults`(): Thing {"),
            "{out}"
        );
        assert!(
            out.contains("data class Config @JvmOverloads constructor(\n"),
            "{out}"
        );
        assert!(out.contains("data class Plain (\n"), "{out}");
        assert!(
            out.contains("    data object Remembered : Outcome()\n"),
            "{out}"
        );
        assert!(
            out.contains("    object WindowExpired : Reason()\n"),
            "{out}"
        );
        assert!(out.contains(
            "    companion object {\n\
             \x20       /**\n\
             \x20        * Decodes an outcome.\n\
             \x20        */\n\
             \x20       @JvmStatic @Throws(ThingException::class) fun `fromJson`(`json`: kotlin.String, `strict`: kotlin.Boolean): Outcome = `outcomeFromJson`(`json`, `strict`)\n\
             \x20   }\n}\n/**"
        ), "{out}");
        assert!(
            out.contains("@Throws(ThingException::class) internal fun `outcomeFromJson`"),
            "{out}"
        );
        // Plumbing: internal, but the converter of a named type (external types use it).
        for line in [
            "internal object UniffiNullRustCallStatusErrorHandler:",
            "internal fun uniffiEnsureInitialized() {",
            "internal object UniffiWithHandle\n",
            "internal object NoHandle\n",
            "internal object FfiConverterString:",
            "    internal constructor(withHandle: UniffiWithHandle, handle: Long) {",
            "    internal constructor(noHandle: NoHandle) {",
            "    internal fun uniffiCloneHandle(): Long {",
            "public object FfiConverterTypeConfig :",
        ] {
            assert!(out.contains(line), "{line}: {out}");
        }
        assert!(
            out.contains("        override val message\n            get() = `detail`\n"),
            "{out}"
        );
        for line in [
            "public typealias RecallTimestamp = java.time.Instant\n",
            "public object FfiConverterTypeRecallTimestamp: FfiConverter<java.time.Instant, Long> {",
            "    override fun lower(value: java.time.Instant): Long = 0",
            " * A `RecallTimestamp` in a doc stays.",
            "    val `at`: java.time.Instant, \n    val `maybe`: java.time.Instant?\n",
        ] {
            assert!(out.contains(line), "{line}: {out}");
        }
        // A method is neither static nor a decoder.
        assert!(out.contains("     */ fun `code`(): kotlin.Int {"), "{out}");
    }

    #[test]
    fn a_changed_template_fails_generation() {
        let err = patch(&GENERATED.replace("@file:Suppress", "@file:Silence")).unwrap_err();
        assert!(err.contains("file annotation"), "{err}");
        let err =
            patch(&GENERATED.replace("     */ fun `defaults`", "     */\n    fun `defaults`"))
                .unwrap_err();
        assert!(
            err.contains("alternate constructor (0 found + 1 primary, of 2 exported)"),
            "{err}"
        );
        let err = patch(&GENERATED.replace("})\n    )\n", "})\n)\n")).unwrap_err();
        assert!(
            err.contains("primary constructor (its closing parenthesis)"),
            "{err}"
        );
        let err = patch(&GENERATED.replace(
            "data class Applied(\n        val `n`: kotlin.Int) : Outcome()\n    {\n        companion object\n    }\n",
            "",
        ).replace("    companion object\n}\n/**\n * @suppress\n */\npublic object FfiConverterTypeOutcome", "}\n/**\n * @suppress\n */\npublic object FfiConverterTypeOutcome"))
        .unwrap_err();
        assert!(err.contains("empty companion object of Outcome"), "{err}");
        let err = patch(&GENERATED.replace("    constructor(noHandle: NoHandle) {\n    }\n", ""))
            .unwrap_err();
        assert!(
            err.contains("`constructor(noHandle: NoHandle) {` (0 times, not 1)"),
            "{err}"
        );
    }

    #[test]
    fn is_not_applied_twice() {
        let once = patch(GENERATED).unwrap();
        assert!(patch(&once).is_err());
    }
}
