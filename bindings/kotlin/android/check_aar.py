#!/usr/bin/env python3
"""Checks recall's Android library: the AAR (scripts/build-aar) and its native libraries.

    check_aar.py aar AAR [--min-sdk 26] [--max-major 52] [--require-native]
                    [--kotlin-source KT] [--readelf PATH]
    check_aar.py so LIB --abi ABI [--symbols-from CLASSES.JAR | --kotlin-source KT]
                    [--readelf PATH]

`aar` checks the archive's entries (AndroidManifest.xml, classes.jar, R.txt, res/,
proguard.txt, jni/<abi>/librecall_ffi.so), that the manifest parses and names package
dev.recall and the minSdk, that classes.jar holds the binding's classes (dev/recall/...) and
nothing else, each with a class file major version at most --max-major (read from every class
header, and cross-checked with javap on one), that proguard.txt keeps JNA and every class of
the binding whole, and then checks each native library as `so` does, requiring the symbols of
every `native` method in classes.jar (with --kotlin-source, those methods must also be exactly
the `external fun`s of the binding's Kotlin source, and the library must export what the fast
call path binds by name: its JNI native, its JNA entry, the functions it resolves).

`so` checks one ELF shared library for an Android ABI: the ELF class and machine match the ABI;
for the 64-bit ABIs (arm64-v8a, x86_64) every LOAD segment is aligned to at least 16 KB
(0x4000: Android 15 devices with 16 KB pages, Google Play); the SONAME is librecall_ffi.so;
and the dynamic symbol table defines every required uniffi_recall_ffi_* / ffi_recall_ffi_*
function (the `native` methods of --symbols-from's classes, or the `external fun`s of
--kotlin-source and what its fast call path binds by name; else at least one
uniffi_recall_ffi_* symbol). It reads with
llvm-readelf (Debian's `llvm` package, or the NDK's) or GNU readelf.

    check_aar.py dependency AAR --lib LIB --symbol NAME [--max-major 52]

`dependency` checks a dependency's AAR the same way (JNA's: jni/<abi>/libjnidispatch.so for
the four ABIs, 16 KB aligned on 64-bit, exporting JNI_OnLoad; class files at most Java 8).

Exit status 0 when every check passes, 1 when one fails (each failure is printed), 2 on misuse.
The checker itself is tested by test_check_aar.py beside it, on ELF files and AARs it builds.
"""

import argparse
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

LIB_NAME = "librecall_ffi.so"
PACKAGE = "dev.recall"
ANDROID_NS = "{http://schemas.android.com/apk/res/android}"
PAGE_16K = 0x4000

# Android ABI -> (ELF class: 32 or 64, ELF e_machine, name)
ABIS = {
    "arm64-v8a": (64, 183, "AArch64"),
    "armeabi-v7a": (32, 40, "ARM"),
    "x86_64": (64, 62, "x86-64"),
    "x86": (32, 3, "i386"),
}

# A symbol the binding calls: uniffi's functions for this crate.
SYMBOL_RE = re.compile(r"^(uniffi|ffi)_recall_ffi_\w+$")


class Report:
    """Collects failures and notes; every check adds to it instead of stopping at the first."""

    def __init__(self):
        self.failures = []
        self.notes = []

    def fail(self, message):
        self.failures.append(message)

    def note(self, message):
        self.notes.append(message)

    def ok(self):
        return not self.failures


# ---------------------------------------------------------------- ELF shared libraries

def find_readelf(explicit=None):
    """The readelf to use: the one given, else llvm-readelf, else GNU readelf."""
    if explicit:
        return explicit
    for name in ("llvm-readelf", "readelf"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _readelf(readelf, args, path):
    out = subprocess.run([readelf, *args, path], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{os.path.basename(readelf)} {' '.join(args)} {path}: "
                           f"{out.stderr.strip() or out.returncode}")
    return out.stdout


def elf_header(data):
    """(class 32|64, e_machine) of an ELF file's bytes, or None when it is not ELF."""
    if len(data) < 20 or data[:4] != b"\x7fELF":
        return None
    bits = {1: 32, 2: 64}.get(data[4])
    endian = {1: "<", 2: ">"}.get(data[5])
    if bits is None or endian is None:
        return None
    (machine,) = struct.unpack(endian + "H", data[18:20])
    return bits, machine


def load_alignments(readelf_lw_output):
    """The Align of every LOAD program header in `readelf -lW` output (the last column)."""
    aligns = []
    for line in readelf_lw_output.splitlines():
        fields = line.split()
        if fields and fields[0] == "LOAD":
            aligns.append(int(fields[-1], 16))
    return aligns


def soname(readelf_dw_output):
    """The DT_SONAME in `readelf -dW` output, or None."""
    for line in readelf_dw_output.splitlines():
        if "(SONAME)" in line:
            m = re.search(r"\[(.*)\]", line)
            return m.group(1) if m else ""
    return None


def exported_functions(readelf_dynsyms_output):
    """Names of the defined, global or weak, default-visibility symbols of the dynamic table."""
    names = set()
    for line in readelf_dynsyms_output.splitlines():
        fields = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(fields) < 8 or not fields[0].endswith(":") or not fields[0][:-1].isdigit():
            continue
        _, _, _, _, bind, vis, ndx, name = fields[:8]
        if ndx == "UND" or bind not in ("GLOBAL", "WEAK") or vis != "DEFAULT":
            continue
        names.add(name.split("@")[0])
    return names


def check_so(path, abi, required_symbols, report, readelf=None, label=None,
             require_stripped=False, expected_soname=LIB_NAME):
    """Checks one native library for an Android ABI; adds what fails to report."""
    label = label or path
    failures_before = len(report.failures)
    if abi not in ABIS:
        report.fail(f"{label}: unknown ABI {abi!r} (known: {', '.join(ABIS)})")
        return
    want_bits, want_machine, machine_name = ABIS[abi]
    with open(path, "rb") as f:
        header = elf_header(f.read(64))
    if header is None:
        report.fail(f"{label}: not an ELF file")
        return
    bits, machine = header
    if (bits, machine) != (want_bits, want_machine):
        report.fail(f"{label}: ELF{bits} e_machine {machine}, but {abi} needs ELF{want_bits} "
                    f"{machine_name} (e_machine {want_machine})")

    readelf = find_readelf(readelf)
    if readelf is None:
        report.fail(f"{label}: no llvm-readelf or readelf found (apt-get install llvm)")
        return
    try:
        aligns = load_alignments(_readelf(readelf, ["-lW"], path))
        name = soname(_readelf(readelf, ["-dW"], path))
        exports = exported_functions(_readelf(readelf, ["--dyn-syms", "-W"], path))
        sections = _readelf(readelf, ["-SW"], path)
    except RuntimeError as e:
        report.fail(f"{label}: {e}")
        return

    if not aligns:
        report.fail(f"{label}: no LOAD segment")
    elif bits == 64:
        small = [a for a in aligns if a < PAGE_16K]
        if small:
            report.fail(f"{label}: LOAD segment alignment {', '.join(hex(a) for a in small)} < "
                        f"0x4000: not loadable on 16 KB page devices "
                        f"(link with -Wl,-z,max-page-size=16384)")
    else:
        if min(aligns) < PAGE_16K:
            report.note(f"{label}: 32-bit, LOAD alignment {hex(min(aligns))} (4 KB is allowed "
                        f"for 32-bit ABIs)")
    stripped = not re.search(r"\]\s+\.symtab\s", sections)
    if require_stripped and not stripped:
        report.fail(f"{label}: not stripped (a .symtab section): ship it with strip=symbols")
    if expected_soname is None:
        pass
    elif name is None:
        report.fail(f"{label}: no SONAME (link with -Wl,-soname,{expected_soname})")
    elif name != expected_soname:
        report.fail(f"{label}: SONAME is {name!r}, expected {expected_soname!r}")

    if required_symbols:
        missing = sorted(set(required_symbols) - exports)
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            report.fail(f"{label}: does not export {len(missing)} of the {len(required_symbols)} "
                        f"functions the Kotlin binding calls: {shown}")
    elif not any(s.startswith("uniffi_recall_ffi_") for s in exports):
        report.fail(f"{label}: exports no uniffi_recall_ffi_* function")
    if len(report.failures) == failures_before:
        report.note(f"{label}: ELF{bits} {machine_name}, LOAD align "
                    f"{', '.join(sorted({hex(a) for a in aligns}))}, SONAME {name}, "
                    f"{len(required_symbols) or 'some'} required symbols exported"
                    f"{', stripped' if stripped else ', not stripped'}")


# ---------------------------------------------------------------- classes.jar

def class_major(data):
    """The major version of a class file's bytes, or None when it is not a class file."""
    if len(data) < 8 or data[:4] != b"\xca\xfe\xba\xbe":
        return None
    return struct.unpack(">H", data[6:8])[0]


def _javap(args):
    javap = shutil.which("javap")
    if javap is None:
        raise RuntimeError("javap not found (install a JDK)")
    out = subprocess.run([javap, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"javap {' '.join(args[:3])}...: {out.stderr.strip()}")
    return out.stdout


def native_methods(jar_path, class_names):
    """Names of the `native` methods declared by the given classes in a jar (through javap)."""
    names = set()
    if not class_names:
        return names
    out = _javap(["-p", "-cp", jar_path, *class_names])
    for line in out.splitlines():
        if re.search(r"\bnative\b", line):
            m = re.search(r"(\w+)\(", line)
            if m:
                names.add(m.group(1))
    return names


def kotlin_external_functions(source):
    """Names of the uniffi `external fun`s a Kotlin binding source declares."""
    return {m.group(1) for m in re.finditer(r"\bexternal\s+fun\s+`?(\w+)`?\s*\(", source)
            if SYMBOL_RE.match(m.group(1))}


def fast_path_symbols(source):
    """The symbols the binding's fast call path binds by name (ffi/src/fast.rs): the functions
    it resolves with `getFunction("...")` (the JNI native's registration; `address("...")`,
    which bindings before the generated table of ffi/src/fast_table.rs used, too), its JNI
    native and its JNA-mapped entry. The exports it calls are indexes of the library's own
    table, not names."""
    names = set(re.findall(r'\baddress\("(\w+)"\)', source))
    names |= set(re.findall(r'\bgetFunction\("(\w+)"\)', source))
    if re.search(r"\bobject\s+UniffiFastJni\b", source):
        names.add("Java_dev_recall_UniffiFastJni_call")
    names |= set(re.findall(r"\bexternal\s+fun\s+`?(\w+_fast_call)`?\s*\(", source))
    return names


def check_classes_jar(jar_bytes, max_major, report, workdir):
    """Checks classes.jar; returns (its path on disk, the set of class names) for later checks."""
    path = os.path.join(workdir, "classes.jar")
    with open(path, "wb") as f:
        f.write(jar_bytes)
    classes = []
    try:
        jar = zipfile.ZipFile(io.BytesIO(jar_bytes))
    except zipfile.BadZipFile:
        report.fail("classes.jar: not a zip file")
        return path, []
    majors = {}
    for entry in jar.namelist():
        if not entry.endswith(".class"):
            continue
        name = entry[: -len(".class")].replace("/", ".")
        if not entry.startswith("dev/recall/"):
            report.fail(f"classes.jar: {entry} is not the binding's (a dependency bundled in?)")
            continue
        major = class_major(jar.read(entry))
        if major is None:
            report.fail(f"classes.jar: {entry} is not a class file")
            continue
        majors[name] = major
        classes.append(name)
    if not classes:
        report.fail("classes.jar: no dev/recall/ class")
        return path, classes
    too_new = {n: m for n, m in majors.items() if m > max_major}
    if too_new:
        worst = max(too_new.values())
        report.fail(f"classes.jar: {len(too_new)} classes have major version {worst} > "
                    f"{max_major} (e.g. {sorted(too_new)[0]})")
    for required in ("dev.recall.RecallPolicy", "dev.recall.UniffiLib"):
        if required not in majors:
            report.fail(f"classes.jar: {required} missing")
    # Cross-check the header reading with javap on one class.
    probe = "dev.recall.RecallPolicy" if "dev.recall.RecallPolicy" in majors else sorted(majors)[0]
    try:
        m = re.search(r"major version: (\d+)", _javap(["-v", "-cp", path, probe]))
        if not m or int(m.group(1)) != majors[probe]:
            report.fail(f"classes.jar: javap disagrees on the major version of {probe}")
        else:
            report.note(f"classes.jar: {len(classes)} classes in dev/recall/, major versions "
                        f"{', '.join(str(v) for v in sorted(set(majors.values())))} "
                        f"(javap -v {probe}: major version {m.group(1)})")
    except RuntimeError as e:
        report.fail(f"classes.jar: {e}")
    return path, classes


# ---------------------------------------------------------------- proguard.txt

def _wildcard_re(pattern):
    """A ProGuard class-name pattern as a regex: ** any, * any but '.', ? one but '.'."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^.]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^.]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def parse_rules(text):
    """ProGuard rules as (option, rest) pairs, comments dropped, `{ ... }` blocks joined."""
    text = re.sub(r"#[^\n]*", "", text)
    rules = []
    for m in re.finditer(r"(-[\w]+)([^-{]*(?:\{[^}]*\})?)", text):
        rules.append((m.group(1), " ".join(m.group(2).split())))
    return rules


def whole_class_keeps(rules):
    """Regexes of the class names kept whole (class and all members, names included) by an
    unconditional `-keep [,modifiers] class|interface NAME { *; }` rule."""
    kept = []
    for option, rest in rules:
        if option != "-keep":
            continue
        rest = re.sub(r"^,\s*\w+(\s*,\s*\w+)*\s*", "", rest)  # -keep,includedescriptorclasses
        m = re.match(r"(?:public\s+)?(?:class|interface)\s+([\w.*?$]+(?:\s*,\s*[\w.*?$]+)*)\s*\{\s*\*\s*;\s*\}$", rest)
        if m:
            for name in m.group(1).split(","):
                kept.append(_wildcard_re(name.strip()))
    return kept


def check_proguard(text, classes, report):
    failures_before = len(report.failures)
    rules = parse_rules(text)
    kept = whole_class_keeps(rules)

    def is_kept(name):
        return any(r.match(name) for r in kept)

    for jna in ("com.sun.jna.Native", "com.sun.jna.Structure", "com.sun.jna.Structure$FieldOrder",
                "com.sun.jna.Callback", "com.sun.jna.ptr.IntByReference"):
        if not is_kept(jna):
            report.fail(f"proguard.txt: no `-keep class ... {{ *; }}` rule keeps {jna} (JNA)")
    unkept = [c for c in classes if not is_kept(c)]
    if unkept:
        report.fail(f"proguard.txt: {len(unkept)} classes of the binding are not kept whole, "
                    f"e.g. {unkept[0]} (JNA finds Structure fields, Callback methods and the "
                    f"native methods by reflection)")
    attrs = ",".join(rest for option, rest in rules if option == "-keepattributes")
    if not re.search(r"\*Annotation\*|RuntimeVisibleAnnotations", attrs):
        report.fail("proguard.txt: annotations are not kept (-keepattributes *Annotation*): "
                    "JNA reads @Structure.FieldOrder")
    dontwarn = [rest for option, rest in rules if option == "-dontwarn"]
    if not any(_wildcard_re(p.strip()).match("java.awt.Component")
               for d in dontwarn for p in d.split(",")):
        report.fail("proguard.txt: no -dontwarn java.awt.** (JNA refers to AWT, absent on Android)")
    if len(report.failures) == failures_before:
        report.note(f"proguard.txt: keeps JNA and all {len(classes)} classes of the binding")


# ---------------------------------------------------------------- AAR

def check_manifest(data, min_sdk, report):
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        report.fail(f"AndroidManifest.xml: does not parse: {e}")
        return
    if root.tag != "manifest":
        report.fail(f"AndroidManifest.xml: root element is <{root.tag}>, not <manifest>")
    if root.get("package") != PACKAGE:
        report.fail(f"AndroidManifest.xml: package is {root.get('package')!r}, not {PACKAGE!r}")
    sdk = root.find("uses-sdk")
    value = sdk.get(ANDROID_NS + "minSdkVersion") if sdk is not None else None
    if value != str(min_sdk):
        report.fail(f"AndroidManifest.xml: android:minSdkVersion is {value!r}, expected "
                    f"'{min_sdk}'")
    else:
        report.note(f"AndroidManifest.xml: package {PACKAGE}, minSdkVersion {value}")


def check_aar(path, min_sdk, max_major, require_native, report, readelf=None,
              kotlin_source=None):
    """Checks an AAR; with kotlin_source (the binding's text), also that classes.jar's native
    methods are exactly its external functions."""
    try:
        aar = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, FileNotFoundError) as e:
        report.fail(f"{path}: {e}")
        return
    names = aar.namelist()
    for required in ("AndroidManifest.xml", "classes.jar", "R.txt", "proguard.txt"):
        if required not in names:
            report.fail(f"{path}: no {required}")
    if not any(n == "res/" or n.startswith("res/") for n in names):
        report.fail(f"{path}: no res/ folder")
    jni = [n for n in names if n.startswith("jni/") and not n.endswith("/")]
    for n in jni:
        parts = n.split("/")
        if len(parts) != 3 or parts[1] not in ABIS or parts[2] != LIB_NAME:
            report.fail(f"{path}: unexpected {n} (only jni/<abi>/{LIB_NAME}, abi one of "
                        f"{', '.join(ABIS)})")
    if "AndroidManifest.xml" in names:
        check_manifest(aar.read("AndroidManifest.xml"), min_sdk, report)

    with tempfile.TemporaryDirectory() as work:
        classes = []
        jar_path = None
        if "classes.jar" in names:
            jar_path, classes = check_classes_jar(aar.read("classes.jar"), max_major, report, work)
        if "proguard.txt" in names:
            check_proguard(aar.read("proguard.txt").decode("utf-8", "replace"), classes, report)

        libs = [n for n in jni if n.split("/")[-1] == LIB_NAME and len(n.split("/")) == 3]
        symbols = set()
        if (libs or kotlin_source is not None) and jar_path and classes:
            # what the libraries must export: the binding's native methods (javap)
            try:
                symbols = {s for s in native_methods(jar_path, classes) if SYMBOL_RE.match(s)}
            except RuntimeError as e:
                report.fail(f"classes.jar: {e}")
            if not symbols:
                report.fail("classes.jar: no native uniffi_recall_ffi_* method found")
            if kotlin_source is not None:
                externals = kotlin_external_functions(kotlin_source)
                if symbols != externals:
                    report.fail(f"classes.jar: its native methods differ from the Kotlin "
                                f"source's external functions: only in the jar "
                                f"{sorted(symbols - externals)[:3]}, only in the source "
                                f"{sorted(externals - symbols)[:3]}")
                else:
                    report.note(f"classes.jar: its {len(symbols)} native methods are exactly "
                                f"the Kotlin source's external functions")
                symbols |= fast_path_symbols(kotlin_source)
        if not libs:
            message = (f"{path}: NO NATIVE LIBRARIES (jni/<abi>/{LIB_NAME}): this AAR cannot run "
                       f"on a device")
            if require_native:
                report.fail(message)
            else:
                report.note("WARNING: " + message)
        for n in sorted(libs):
            abi = n.split("/")[1]
            if abi not in ABIS:
                continue
            out = os.path.join(work, abi + ".so")
            with open(out, "wb") as f:
                f.write(aar.read(n))
            check_so(out, abi, symbols, report, readelf=readelf, label=n)
        if require_native:
            missing = [abi for abi in ABIS if f"jni/{abi}/{LIB_NAME}" not in names]
            if missing:
                report.fail(f"{path}: no native library for {', '.join(missing)}")


def check_dependency_aar(path, lib, symbol, max_major, report, readelf=None):
    """A dependency's AAR (JNA's): jni/<abi>/<lib> for the four ABIs, each of the right
    machine, 16 KB aligned on the 64-bit ABIs and exporting `symbol`; classes.jar's class
    files at most max_major."""
    try:
        aar = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, FileNotFoundError) as e:
        report.fail(f"{path}: {e}")
        return
    names = aar.namelist()
    with tempfile.TemporaryDirectory() as work:
        for abi in ABIS:
            entry = f"jni/{abi}/{lib}"
            if entry not in names:
                report.fail(f"{path}: no {entry}")
                continue
            out = os.path.join(work, abi + ".so")
            with open(out, "wb") as f:
                f.write(aar.read(entry))
            check_so(out, abi, {symbol}, report, readelf=readelf, label=entry,
                     expected_soname=None)
    if "classes.jar" not in names:
        report.fail(f"{path}: no classes.jar")
        return
    jar = zipfile.ZipFile(io.BytesIO(aar.read("classes.jar")))
    majors = {class_major(jar.read(n)) for n in jar.namelist() if n.endswith(".class")}
    majors.discard(None)
    if not majors or max(majors) > max_major:
        report.fail(f"{path}: classes.jar major versions {sorted(majors)} (at most {max_major})")
    else:
        report.note(f"{path}: classes.jar major versions at most {max(majors)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("aar", help="check an AAR")
    a.add_argument("aar")
    a.add_argument("--min-sdk", type=int, default=26)
    a.add_argument("--max-major", type=int, default=52, help="52 = Java 8, 55 = Java 11")
    a.add_argument("--require-native", action="store_true",
                   help="fail unless jni/<abi>/librecall_ffi.so is there for all four ABIs")
    a.add_argument("--kotlin-source", metavar="RECALL_FFI_KT",
                   help="also require classes.jar's native methods to be exactly this Kotlin "
                        "source's external functions")
    a.add_argument("--readelf")
    s = sub.add_parser("so", help="check one native library")
    s.add_argument("lib")
    s.add_argument("--abi", required=True, choices=sorted(ABIS))
    s.add_argument("--symbols-from", metavar="CLASSES_JAR",
                   help="require every native uniffi method of this jar's dev/recall classes")
    s.add_argument("--kotlin-source", metavar="RECALL_FFI_KT",
                   help="require every uniffi `external fun` of this Kotlin source")
    s.add_argument("--require-stripped", action="store_true",
                   help="fail when the library still has its symbol table (.symtab)")
    s.add_argument("--readelf")
    d = sub.add_parser("dependency", help="check a dependency's AAR (JNA's)")
    d.add_argument("aar")
    d.add_argument("--lib", required=True, help="its native library, e.g. libjnidispatch.so")
    d.add_argument("--symbol", required=True, help="a function it must export, e.g. JNI_OnLoad")
    d.add_argument("--max-major", type=int, default=52)
    d.add_argument("--readelf")
    args = parser.parse_args(argv)

    report = Report()
    if args.command == "dependency":
        check_dependency_aar(args.aar, args.lib, args.symbol, args.max_major, report,
                             readelf=args.readelf)
    elif args.command == "aar":
        source = None
        if args.kotlin_source:
            with open(args.kotlin_source, encoding="utf-8") as f:
                source = f.read()
        check_aar(args.aar, args.min_sdk, args.max_major, args.require_native, report,
                  readelf=args.readelf, kotlin_source=source)
    else:
        symbols = set()
        if args.symbols_from:
            with zipfile.ZipFile(args.symbols_from) as jar:
                classes = [n[:-6].replace("/", ".") for n in jar.namelist()
                           if n.startswith("dev/recall/") and n.endswith(".class")]
            symbols = {s for s in native_methods(args.symbols_from, classes) if SYMBOL_RE.match(s)}
            if not symbols:
                print(f"{args.symbols_from}: no native uniffi_recall_ffi_* method", file=sys.stderr)
                return 2
        if args.kotlin_source:
            with open(args.kotlin_source, encoding="utf-8") as f:
                source = f.read()
            symbols |= kotlin_external_functions(source) | fast_path_symbols(source)
            if not symbols:
                print(f"{args.kotlin_source}: no external fun uniffi_recall_ffi_*", file=sys.stderr)
                return 2
        check_so(args.lib, args.abi, symbols, report, readelf=args.readelf,
                 require_stripped=args.require_stripped)
    for note in report.notes:
        print(("" if note.startswith("WARNING") else "ok: ") + note,
              file=sys.stderr if note.startswith("WARNING") else sys.stdout)
    for failure in report.failures:
        print("FAIL: " + failure)
    return 0 if report.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
