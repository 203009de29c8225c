//! The Swift API as Swift's API Design Guidelines want it, where `ffi/uniffi.toml` cannot say
//! it (issue 20, finding 3). uniffi.toml renames what uniffi can rename (the custom type
//! `Timestamp` to `RecallTimestamp`, arguments whose name is their label) and drops uniffi's
//! debug-dump `LocalizedError`; this module makes the rest, on uniffi's fresh output:
//!
//! - **labels**: `onRecall(_:at:)`, `decide(_:by:on:at:)`, `settle(_:)`, … — Swift labels
//!   that are `_` or differ from the parameter's name, which uniffi has no means to say;
//! - **defaults** uniffi cannot express from Rust: `PolicyConfig`'s moderators, moderation
//!   and excluded kinds (the spec's defaults, 3.1), and `limits: nil` in `restore`;
//! - **`Int`** for counts and seconds (`PolicyConfig`, `LimitsConfig`, the remembered count and
//!   bytes, a reason's code): uniffi maps `i32`/`i64` to `Int32`/`Int64` and has no per-field
//!   type option; the value crosses as before, converted at the field (`Int32(clamping:)` on
//!   the way out, so an out-of-range `Int` stays one the core refuses);
//! - **properties** for cheap values: `reason.code`, `reason.id`, `reason.isKnown`, `reason.meaning`,
//!   `state.rememberedCount`, `state.rememberedBytes`;
//! - **a lowerCamelCase error case**, `RecallError.refused` (uniffi writes error cases with
//!   the Rust spelling, `Refused`, and a rename goes through the same UpperCamelCase);
//! - **`Date`** in every signature instead of the custom type's alias, which stays public
//!   (another crate's bindings name it) but out of the documentation;
//! - **reason names in Swift's spelling** in the doc comments uniffi copies from Rust:
//!   `` `invalid_argument` `` and `` `invalidArgument` `` read `` `.invalidArgument` ``, except
//!   where a comment names the stable id itself (`` `window_expired` (11): `` in `Reason`'s
//!   cases, "snake_case id");
//! - **raw decoders internal**: the free functions that `Idioms.swift` wraps as initializers
//!   (`RecallRequest(json:)`, `Reason(code:)`, `Tombstone(json:)`, …);
//! - **plumbing out of sight**: uniffi's public converters (`FfiConverterType…` and their
//!   `_lift`/`_lower` functions), the objects' handle plumbing (`NoHandle`,
//!   `init(unsafeFromHandle:)`, `init(noHandle:)`, `uniffiCloneHandle()`) and
//!   `uniffiEnsureRecallFfiInitialized()`, and the custom type's alias `RecallTimestamp`, become `@_spi(RecallFFI) public`: still public, with
//!   uniffi's signatures, for another crate's bindings compiled into the same module (uniffi's
//!   way, `scripts/check-external-types`) or into another one that writes
//!   `@_spi(RecallFFI) import Recall`, but absent from an app's autocomplete and interface.
//!
//! Every edit names the exact text of uniffi's output it replaces and how many times it must
//! be found; any other count fails generation, so a uniffi upgrade or a changed export is
//! caught here instead of shipping a half-renamed API. Applied by `scripts/bindgen` before
//! [`crate::swift_patch`], so the fast twins of the converters copy the edited bodies.

/// One exact replacement: `uniffi`'s text must occur exactly `times` times.
struct Replace {
    uniffi: String,
    recall: String,
    times: usize,
}

fn r(uniffi: &str, recall: &str, times: usize) -> Replace {
    Replace {
        uniffi: uniffi.to_owned(),
        recall: recall.to_owned(),
        times,
    }
}

/// Labels, defaults and properties of the methods. A method of an object is declared twice,
/// in its protocol and in its class, so its signature is found twice.
fn signatures() -> Vec<Replace> {
    vec![
        // RecallPolicy.
        r(
            "decide(request: RecallRequest, by: Operator, message: StoredMessage, now: Date)",
            "decide(_ request: RecallRequest, by: Operator, on message: StoredMessage, at now: Date)",
            2,
        ),
        r(
            "recall(request: RecallRequest, by: Operator, message: StoredMessage, now: Date)",
            "recall(_ request: RecallRequest, by: Operator, on message: StoredMessage, at now: Date)",
            2,
        ),
        r(
            "decideEach(conversationId: String, by: Operator, messages: [StoredMessage], now: Date, ",
            "decideEach(in conversationId: String, by: Operator, messages: [StoredMessage], at now: Date, ",
            2,
        ),
        // RecallState.
        r(
            "restore(me: String, limits: LimitsConfig?, bytes: Data, now: Date)",
            "restore(me: String, limits: LimitsConfig? = nil, bytes: Data, at now: Date)",
            1,
        ),
        r(
            "onMessage(message: ArrivingMessage, now: Date)",
            "onMessage(_ message: ArrivingMessage, at now: Date)",
            2,
        ),
        r(
            "onMessages(messages: [ArrivingMessage], now: Date)",
            "onMessages(_ messages: [ArrivingMessage], at now: Date)",
            2,
        ),
        r(
            "onRecall(recall: RecallNotification, now: Date)",
            "onRecall(_ recall: RecallNotification, at now: Date)",
            2,
        ),
        r(
            "onRecalls(recalls: [RecallNotification], now: Date)",
            "onRecalls(_ recalls: [RecallNotification], at now: Date)",
            2,
        ),
        r(
            "settle(arriving: ArrivingRecall)",
            "settle(_ arriving: ArrivingRecall)",
            2,
        ),
        r(
            "settleAll(arriving: [ArrivingRecall])",
            "settleAll(_ arriving: [ArrivingRecall])",
            2,
        ),
        // Cheap values as properties, counts as Int (`RecallInt.lift`, Millis.swift).
        r(
            "    func rememberedBytes()  -> Int64\n",
            "    var rememberedBytes: Int { get }\n",
            1,
        ),
        r(
            "    func rememberedCount()  -> Int64\n",
            "    var rememberedCount: Int { get }\n",
            1,
        ),
        r(
            "open func rememberedBytes() -> Int64  {\n    return try!  FfiConverterInt64.lift(",
            "open var rememberedBytes: Int  {\n    return try!  RecallInt.lift(",
            1,
        ),
        r(
            "open func rememberedCount() -> Int64  {\n    return try!  FfiConverterInt64.lift(",
            "open var rememberedCount: Int  {\n    return try!  RecallInt.lift(",
            1,
        ),
        r(
            "public func code() -> Int32  {\n    return try!  FfiConverterInt32.lift(",
            "public var code: Int  {\n    return try!  RecallInt.lift(",
            1,
        ),
        r(
            "public func id() -> String  {\n",
            "public var id: String  {\n",
            1,
        ),
        r(
            "public func meaning() -> String  {\n",
            "public var meaning: String  {\n",
            1,
        ),
        r(
            "public func isKnown() -> Bool  {\n",
            "public var isKnown: Bool  {\n",
            1,
        ),
        // The spec's defaults (3.1) where uniffi can only say them for literals.
        r(
            "*/moderators: [Role], \n",
            "*/moderators: [Role] = [.owner, .admin], \n",
            1,
        ),
        r(
            "*/moderation: Moderation, \n",
            "*/moderation: Moderation = .outrank, \n",
            1,
        ),
        r(
            "*/excludedKinds: [MessageKind], \n",
            "*/excludedKinds: [MessageKind] = [.command, .notification], \n",
            1,
        ),
    ]
}

/// Fields that are counts, sizes or seconds: `Int` in Swift, `Int32` across the FFI.
const INT_FIELDS: [&str; 5] = [
    "windowSecs",
    "maxExtBytes",
    "maxRecalls",
    "maxAgeSecs",
    "maxBytes",
];

/// A record field's declaration, initializer parameter, read and write, each found once.
fn int_field(field: &str) -> Vec<Replace> {
    vec![
        r(
            &format!("    public var {field}: Int32\n"),
            &format!("    public var {field}: Int\n"),
            1,
        ),
        r(&format!("*/{field}: Int32"), &format!("*/{field}: Int"), 1),
        r(
            &format!("{field}: FfiConverterInt32.read(from: &buf)"),
            &format!("{field}: Int(FfiConverterInt32.read(from: &buf))"),
            1,
        ),
        r(
            &format!("FfiConverterInt32.write(value.{field}, into: &buf)"),
            &format!("FfiConverterInt32.write(Int32(clamping: value.{field}), into: &buf)"),
            1,
        ),
    ]
}

/// `Reason.unknown(code:)` carries an `Int` like `reason.code`.
fn unknown_code() -> Vec<Replace> {
    vec![
        r("*/code: Int32\n    )", "*/code: Int\n    )", 1),
        r(
            ".unknown(code: try FfiConverterInt32.read(from: &buf)\n",
            ".unknown(code: Int(try FfiConverterInt32.read(from: &buf))\n",
            1,
        ),
        r(
            "FfiConverterInt32.write(code, into: &buf)",
            "FfiConverterInt32.write(Int32(clamping: code), into: &buf)",
            1,
        ),
    ]
}

/// The error's one case in lowerCamelCase.
fn error_case() -> Vec<Replace> {
    vec![
        r("    case Refused(\n", "    case refused(\n", 1),
        r(
            "        case 1: return .Refused(\n",
            "        case 1: return .refused(\n",
            1,
        ),
        r(
            "        case let .Refused(reason,detail):\n",
            "        case let .refused(reason,detail):\n",
            1,
        ),
    ]
}

/// The raw decoders and constructors `Idioms.swift` wraps: internal, out of autocomplete.
const INTERNAL_FUNCTIONS: [&str; 13] = [
    "reasonFromCode(code: Int32) -> Reason?",
    "reasonFromId(id: String) -> Reason?",
    "reasonFromRejectionJson(json: String)",
    "reasonFromRejectionProtobuf(bytes: Data)",
    "recallNotificationFromJson(json: String)",
    "recallNotificationFromProtobuf(bytes: Data)",
    "recallRequestFromJson(json: String)",
    "recallRequestFromProtobuf(bytes: Data)",
    "tombstoneFromJson(json: String)",
    "tombstoneFromProtobuf(bytes: Data)",
    "defaultClientLimits() -> LimitsConfig",
    "legacyCommandFromRecall(recall: RecallNotification)",
    "legacyCommandToRecall(command: LegacyCommand)",
];

fn internal_functions() -> Vec<Replace> {
    INTERNAL_FUNCTIONS
        .iter()
        .map(|f| r(&format!("\npublic func {f}"), &format!("\nfunc {f}"), 1))
        .collect()
}

/// The custom type's alias, kept for other crates' bindings, hidden from the documentation.
const ALIAS: &str = "public typealias RecallTimestamp = Date\n";
const ALIAS_HIDDEN: &str = "#if swift(>=5.8)\n@_documentation(visibility: private)\n#endif\npublic typealias RecallTimestamp = Date\n";

/// The SPI group of uniffi's plumbing.
const SPI: &str = "@_spi(RecallFFI) ";

/// Top-level plumbing, by how its declaration line starts.
const PLUMBING: [&str; 4] = [
    "public typealias RecallTimestamp = Date\n",
    "public struct FfiConverter",
    "public func FfiConverter",
    "public func uniffiEnsureRecallFfiInitialized() {",
];

/// The handle plumbing of every object (`open class`), found once per object.
const HANDLE_PLUMBING: [&str; 4] = [
    "    public struct NoHandle {\n",
    "    required public init(unsafeFromHandle handle: UInt64) {\n",
    "    public init(noHandle: NoHandle) {\n",
    "    public func uniffiCloneHandle() -> UInt64 {\n",
];

/// Puts uniffi's plumbing in the SPI group `RecallFFI`.
fn plumbing_spi(swift: &str) -> Result<String, String> {
    let mut out = String::with_capacity(swift.len() + 4096);
    let mut found = [0usize; PLUMBING.len()];
    for line in swift.split_inclusive('\n') {
        if let Some(n) = PLUMBING.iter().position(|p| line.starts_with(p)) {
            found[n] += 1;
            out.push_str(SPI);
        }
        out.push_str(line);
    }
    if found.contains(&0) {
        return Err(format!(
            "uniffi's Swift declares none of some plumbing ({PLUMBING:?} found {found:?} times): \
             update ffi/uniffi-bindgen/src/swift_api.rs"
        ));
    }
    let objects = out.matches("\nopen class ").count();
    for handle in HANDLE_PLUMBING {
        let times = out.matches(handle).count();
        if times != objects || objects == 0 {
            return Err(format!(
                "uniffi's Swift has `{}` {times} times for {objects} objects: update \
                 ffi/uniffi-bindgen/src/swift_api.rs",
                handle.trim()
            ));
        }
        let indented = format!("    {SPI}{}", handle.trim_start());
        out = out.replace(handle, &indented);
    }
    // Nothing public is left that names a converter.
    if let Some(line) = out.lines().find(|line| {
        let line = line.trim_start();
        line.starts_with("public ")
            && line.contains("FfiConverter")
            && !line.starts_with("public static func")
    }) {
        return Err(format!(
            "a converter stays outside the SPI: `{}`",
            line.trim()
        ));
    }
    Ok(out)
}

/// Applies the API edits to the text of a generated `.swift` file.
pub fn patch(swift: &str) -> Result<String, String> {
    if swift.matches(ALIAS).count() != 1 {
        return Err(format!(
            "uniffi's Swift has `{}` {} times instead of once: check [bindings.swift.rename] \
             and custom_types in ffi/uniffi.toml",
            ALIAS.trim(),
            swift.matches(ALIAS).count()
        ));
    }
    // Date in every signature: the alias is the only place left that names it.
    let mut out = replace_word(swift, "RecallTimestamp", "Date")
        .replace("public typealias Date = Date\n", ALIAS_HIDDEN);
    let edits = signatures()
        .into_iter()
        .chain(INT_FIELDS.iter().flat_map(|f| int_field(f)))
        .chain(unknown_code())
        .chain(error_case())
        .chain(internal_functions());
    for edit in edits {
        let found = out.matches(edit.uniffi.as_str()).count();
        if found != edit.times {
            return Err(format!(
                "uniffi's Swift has `{}` {found} times instead of {}: uniffi's templates or \
                 recall-ffi's exports changed. Update ffi/uniffi-bindgen/src/swift_api.rs \
                 (and the hand-written Swift that relies on the edit).",
                edit.uniffi.trim(),
                edit.times
            ));
        }
        out = out.replace(edit.uniffi.as_str(), &edit.recall);
    }
    plumbing_spi(&swift_reason_names(&out)?)
}

/// Reason names in doc comments as Swift spells them (`.windowExpired`). The reasons are read
/// from `Reason`'s own case docs, `` `window_expired` (11): ``.
fn swift_reason_names(swift: &str) -> Result<String, String> {
    let case_doc = regex::Regex::new(r"^\s*\* `([a-z]+(?:_[a-z]+)+)` \((\d+)\): ").expect("regex");
    let ids: Vec<String> = swift
        .lines()
        .filter_map(|line| case_doc.captures(line).map(|c| c[1].to_owned()))
        .collect();
    if ids.len() < 10 {
        return Err(format!(
            "found {} reasons in `Reason`'s case docs (`id` (code): …): update \
             ffi/uniffi-bindgen/src/swift_api.rs",
            ids.len()
        ));
    }
    let mut out = String::with_capacity(swift.len());
    for line in swift.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let is_doc = trimmed.starts_with("* ") || trimmed.starts_with("/// ");
        if !is_doc || case_doc.is_match(line) || line.contains("snake_case") {
            out.push_str(line);
            continue;
        }
        let mut line = line.to_owned();
        for id in &ids {
            let camel = lower_camel(id);
            line = line
                .replace(&format!("`{id}`"), &format!("`.{camel}`"))
                .replace(&format!("`{camel}`"), &format!("`.{camel}`"));
        }
        out.push_str(&line);
    }
    Ok(out)
}

/// `window_expired` → `windowExpired`.
fn lower_camel(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut upper = false;
    for c in id.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Replaces `word` where it is a whole identifier (not part of a longer one).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, _) in text.match_indices(word) {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
            out.push_str(&text[copied..at]);
            out.push_str(with);
            copied = at + word.len();
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A miniature of uniffi's output with every text the edits look for, as often as uniffi
    /// writes it.
    fn generated() -> String {
        let mut text = String::from("// header\n");
        for (n, id) in [
            "invalid_policy",
            "invalid_argument",
            "not_found",
            "not_in_conversation",
            "ext_too_large",
            "not_sent",
            "already_recalled",
            "kind_not_recallable",
            "not_sender",
            "insufficient_role",
            "window_expired",
        ]
        .iter()
        .enumerate()
        {
            text.push_str(&format!("     * `{id}` ({}): what it means.\n", n + 1));
        }
        text.push_str("     * Throws `invalid_argument` for an id, `windowExpired` too; not `max_ext_bytes`.\n");
        text.push_str("     * The stable snake_case id, e.g. `window_expired`.\n");
        text.push_str("let code = \"`window_expired`\"\n");
        text.push_str(ALIAS);
        text.push_str("public struct FfiConverterTypeRecallTimestamp {}\n");
        text.push_str(
            "public func FfiConverterTypeReason_lift(_ buf: RustBuffer) throws -> Reason {\n",
        );
        text.push_str("public func uniffiEnsureRecallFfiInitialized() {\n");
        for _ in 0..2 {
            text.push_str("open class RecallState {\n");
            for handle in HANDLE_PLUMBING {
                text.push_str(handle);
            }
        }
        text.push_str("func f(now: RecallTimestamp) -> FfiConverterTypeRecallTimestamp_lower\n");
        let edits = signatures()
            .into_iter()
            .chain(INT_FIELDS.iter().flat_map(|f| int_field(f)))
            .chain(unknown_code())
            .chain(error_case())
            .chain(internal_functions());
        for edit in edits {
            for _ in 0..edit.times {
                // Written before the Date edit: uniffi's text says RecallTimestamp.
                text.push_str(&edit.uniffi.replace(": Date", ": RecallTimestamp"));
                text.push('\n');
            }
        }
        text
    }

    #[test]
    fn makes_every_edit() {
        let out = patch(&generated()).unwrap();
        assert!(out.contains("onRecall(_ recall: RecallNotification, at now: Date)"));
        assert!(out.contains("decide(_ request: RecallRequest, by: Operator, on message: StoredMessage, at now: Date)"));
        assert!(out.contains(
            "restore(me: String, limits: LimitsConfig? = nil, bytes: Data, at now: Date)"
        ));
        assert!(out.contains("    public var windowSecs: Int\n"));
        assert!(
            out.contains("FfiConverterInt32.write(Int32(clamping: value.maxBytes), into: &buf)")
        );
        assert!(out.contains("    case refused(\n"));
        assert!(out.contains("public var code: Int  {\n"));
        assert!(out.contains("\nfunc reasonFromCode(code: Int32) -> Reason?"));
        assert!(!out.contains("\npublic func reasonFromCode"));
        // The alias stays, hidden; every other whole-word use says Date.
        assert!(out.contains(
            &ALIAS_HIDDEN.replace("public typealias", "@_spi(RecallFFI) public typealias")
        ));
        assert_eq!(out.matches("RecallTimestamp").count(), 3);
        assert!(out.contains("func f(now: Date) -> FfiConverterTypeRecallTimestamp_lower\n"));
        // Reason names in doc comments, in Swift's spelling; the ids where they are the ids.
        assert!(out.contains("     * Throws `.invalidArgument` for an id, `.windowExpired` too; not `max_ext_bytes`.\n"));
        assert!(out.contains("     * `window_expired` (11): what it means.\n"));
        assert!(out.contains("     * The stable snake_case id, e.g. `window_expired`.\n"));
        assert!(out.contains("let code = \"`window_expired`\"\n"));
        // The plumbing is in the SPI group.
        assert!(
            out.contains("\n@_spi(RecallFFI) public struct FfiConverterTypeRecallTimestamp {}\n")
        );
        assert!(out.contains("\n@_spi(RecallFFI) public func FfiConverterTypeReason_lift("));
        assert!(
            out.contains("\n@_spi(RecallFFI) public func uniffiEnsureRecallFfiInitialized() {\n")
        );
        assert_eq!(
            out.matches(
                "    @_spi(RecallFFI) required public init(unsafeFromHandle handle: UInt64) {\n"
            )
            .count(),
            2
        );
        assert_eq!(
            out.matches("    @_spi(RecallFFI) public struct NoHandle {\n")
                .count(),
            2
        );
    }

    #[test]
    fn refuses_text_it_does_not_find_as_often_as_expected() {
        let missing = generated().replace(
            "onRecall(recall: RecallNotification",
            "onRecall(x: RecallNotification",
        );
        let err = patch(&missing).unwrap_err();
        assert!(
            err.contains("onRecall(recall: RecallNotification, now: Date)` 0 times instead of 2"),
            "{err}"
        );

        let twice = format!("{}    case Refused(\n", generated());
        assert!(patch(&twice).unwrap_err().contains("2 times instead of 1"));

        let no_alias = generated().replace(ALIAS, "");
        assert!(
            patch(&no_alias)
                .unwrap_err()
                .contains("0 times instead of once")
        );

        let one_handle = generated().replacen("    public init(noHandle: NoHandle) {\n", "", 1);
        assert!(
            patch(&one_handle)
                .unwrap_err()
                .contains("1 times for 2 objects")
        );

        let renamed_field = generated().replace(
            "    public var maxAgeSecs: Int32\n",
            "    public var maxAge: Int32\n",
        );
        assert!(patch(&renamed_field).unwrap_err().contains("maxAgeSecs"));
    }

    #[test]
    fn replaces_whole_words_only() {
        assert_eq!(
            replace_word("a: T, b: [T], TT, xT, T_1, T?", "T", "D"),
            "a: D, b: [D], TT, xT, T_1, D?"
        );
    }
}
