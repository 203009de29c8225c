#!/usr/bin/env python3
"""Tests of check_aar.py: it must accept what is right and refuse each thing that is wrong.

The native-library checks are proven on real ELF shared libraries built here with the host's
C compiler: one linked as scripts/build-android links (-Wl,-z,max-page-size=16384
-Wl,-soname,librecall_ffi.so) passes; one linked with 4 KB pages, one linked with no such
options, one with another SONAME, one lacking or hiding a symbol the binding calls, and one
given to the wrong ABI each fail, with the reason. The AAR checks are proven on AARs built here
from the committed AndroidManifest.xml and proguard.txt and from classes compiled with javac,
each broken in one way. scripts/check-android runs these tests, then the checker on the real
AAR and on the real host library.

    python3 -m unittest discover -s bindings/kotlin/android -p 'test_*.py' -v
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ beside the committed files
import check_aar  # noqa: E402

KOTLIN = os.path.join(HERE, "..", "src", "main", "kotlin", "dev", "recall", "recall_ffi.kt")
CC = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
JAVAC = shutil.which("javac")

C_SOURCE = """
int ffi_recall_ffi_uniffi_contract_version(void) { return 30; }
void uniffi_recall_ffi_fn_func_noop(void) {}
__attribute__((visibility("hidden"))) void uniffi_recall_ffi_fn_func_hidden(void) {}
"""
REQUIRED = {"ffi_recall_ffi_uniffi_contract_version", "uniffi_recall_ffi_fn_func_noop"}
GOOD_LINK = ["-Wl,-z,max-page-size=16384", "-Wl,-soname,librecall_ffi.so"]

JAVA_SOURCES = {
    "dev/recall/RecallPolicy.java": "package dev.recall; public class RecallPolicy {}",
    "dev/recall/UniffiLib.java": (
        "package dev.recall; public final class UniffiLib {"
        " public static native int ffi_recall_ffi_uniffi_contract_version();"
        " public static native void uniffi_recall_ffi_fn_func_noop(); }"),
}


def run_check_so(path, abi="x86_64", required=REQUIRED, require_stripped=False):
    report = check_aar.Report()
    check_aar.check_so(path, abi, set(required), report, require_stripped=require_stripped)
    return report


@unittest.skipUnless(CC, "no C compiler")
class NativeLibraryChecks(unittest.TestCase):
    """check_so on shared libraries linked here, the right way and the wrong ways."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="check_aar_so_")
        src = os.path.join(cls.tmp, "fixture.c")
        with open(src, "w") as f:
            f.write(C_SOURCE)

        def link(name, *flags):
            out = os.path.join(cls.tmp, name)
            subprocess.run([CC, "-shared", "-fPIC", "-O1", "-o", out, src, *flags], check=True)
            return out

        cls.good = link("good.so", *GOOD_LINK)
        cls.page4k = link("page4k.so", "-Wl,-z,max-page-size=4096", "-Wl,-soname,librecall_ffi.so")
        cls.plain = link("plain.so")  # linked without either option
        cls.other_soname = link("other_soname.so", "-Wl,-z,max-page-size=16384",
                                "-Wl,-soname,librecall.so")
        cls.stripped = os.path.join(cls.tmp, "stripped.so")
        shutil.copy(cls.good, cls.stripped)
        strip = shutil.which("llvm-strip") or shutil.which("strip")
        subprocess.run([strip, "--strip-all", cls.stripped], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def assertFailsWith(self, report, *fragments):
        self.assertFalse(report.ok(), "expected a failure")
        text = "\n".join(report.failures)
        for fragment in fragments:
            self.assertIn(fragment, text)

    def test_linked_like_build_android_passes(self):
        report = run_check_so(self.good)
        self.assertTrue(report.ok(), report.failures)
        self.assertIn("LOAD align 0x4000", report.notes[-1])
        self.assertIn("SONAME librecall_ffi.so", report.notes[-1])

    def test_stripped_keeps_the_dynamic_symbols_and_passes(self):
        self.assertTrue(run_check_so(self.stripped, require_stripped=True).ok())

    def test_unstripped_fails_when_stripping_is_required(self):
        self.assertFailsWith(run_check_so(self.good, require_stripped=True), "not stripped")

    def test_4k_pages_fail_on_64_bit(self):
        self.assertFailsWith(run_check_so(self.page4k), "0x1000", "< 0x4000")

    def test_linked_without_the_options_fails(self):
        report = run_check_so(self.plain)
        self.assertFailsWith(report, "no SONAME")
        aligns = check_aar.load_alignments(
            subprocess.run(["readelf", "-lW", self.plain], capture_output=True, text=True).stdout)
        if min(aligns) < 0x4000:  # x86_64 Linux: GNU ld and lld default to 4 KB
            self.assertFailsWith(report, "< 0x4000")

    def test_another_soname_fails(self):
        self.assertFailsWith(run_check_so(self.other_soname), "SONAME is 'librecall.so'")

    def test_a_missing_symbol_fails(self):
        report = run_check_so(self.good, required=REQUIRED | {"uniffi_recall_ffi_fn_func_absent"})
        self.assertFailsWith(report, "does not export 1 of the 3", "uniffi_recall_ffi_fn_func_absent")

    def test_a_hidden_symbol_is_not_exported(self):
        report = run_check_so(self.good, required={"uniffi_recall_ffi_fn_func_hidden"})
        self.assertFailsWith(report, "uniffi_recall_ffi_fn_func_hidden")

    def test_without_a_symbol_list_some_uniffi_symbol_is_needed(self):
        self.assertTrue(run_check_so(self.good, required=set()).ok())

    def test_the_wrong_abi_fails(self):
        self.assertFailsWith(run_check_so(self.good, abi="arm64-v8a"), "AArch64")
        self.assertFailsWith(run_check_so(self.good, abi="x86"), "ELF32")

    def test_not_elf_fails(self):
        path = os.path.join(self.tmp, "text.so")
        with open(path, "w") as f:
            f.write("not a library")
        self.assertFailsWith(run_check_so(path), "not an ELF file")

    def test_the_command_line_exit_status(self):
        script = os.path.join(HERE, "check_aar.py")
        ok = subprocess.run([sys.executable, script, "so", self.good, "--abi", "x86_64"],
                            capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        bad = subprocess.run([sys.executable, script, "so", self.page4k, "--abi", "x86_64"],
                             capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("FAIL:", bad.stdout)


class Parsers(unittest.TestCase):
    def test_load_alignments_of_a_32_bit_readelf_listing(self):
        listing = """
  Type           Offset   VirtAddr   PhysAddr   FileSiz MemSiz  Flg Align
  PHDR           0x000034 0x00000034 0x00000034 0x00120 0x00120 R   0x4
  LOAD           0x000000 0x00000000 0x00000000 0x2a3c4 0x2a3c4 R   0x4000
  LOAD           0x02a3d0 0x0002e3d0 0x0002e3d0 0x9e5c0 0x9e5c0 R E 0x1000
"""
        self.assertEqual(check_aar.load_alignments(listing), [0x4000, 0x1000])

    def test_soname(self):
        self.assertEqual(check_aar.soname(
            " 0x000000000000000e (SONAME)  Library soname: [librecall_ffi.so]"),
            "librecall_ffi.so")
        self.assertIsNone(check_aar.soname(" 0x0000000000000001 (NEEDED) Shared library: [libc.so]"))

    def test_kotlin_external_functions_of_the_committed_binding(self):
        with open(KOTLIN, encoding="utf-8") as f:
            names = check_aar.kotlin_external_functions(f.read())
        self.assertGreater(len(names), 100)
        self.assertIn("uniffi_recall_ffi_fn_method_recallpolicy_decide", names)
        self.assertTrue(all(check_aar.SYMBOL_RE.match(n) for n in names))

    def test_fast_path_symbols_of_the_committed_binding(self):
        with open(KOTLIN, encoding="utf-8") as f:
            names = check_aar.fast_path_symbols(f.read())
        # The ffi-buffer and clone functions are no longer looked up by name: the library's
        # own table (ffi/src/fast_table.rs) holds them, and a request names its index.
        self.assertNotIn("uniffi_ffibuffer_recall_ffi_fn_method_recallpolicy_decide", names)
        self.assertNotIn("uniffi_recall_ffi_fn_clone_recallpolicy", names)
        self.assertIn("Java_dev_recall_UniffiFastJni_call", names)
        self.assertIn("recall_ffi_fast_call", names)
        self.assertIn("recall_ffi_fast_register", names)

    def test_proguard_wildcards(self):
        r = check_aar._wildcard_re("com.sun.jna.**")
        self.assertTrue(r.match("com.sun.jna.ptr.IntByReference"))
        self.assertFalse(r.match("com.sun.jnax.Foo"))
        one = check_aar._wildcard_re("dev.recall.*")
        self.assertTrue(one.match("dev.recall.RecallPolicy"))
        self.assertFalse(one.match("dev.recall.inner.Thing"))


@unittest.skipUnless(JAVAC, "no javac")
class AarChecks(unittest.TestCase):
    """check_aar on AARs assembled here, right and broken one way at a time."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="check_aar_aar_")
        src = os.path.join(cls.tmp, "src")
        for rel, text in JAVA_SOURCES.items():
            os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
            with open(os.path.join(src, rel), "w") as f:
                f.write(text)
        cls.jars = {}
        for release in ("8", "11"):
            out = os.path.join(cls.tmp, "classes" + release)
            subprocess.run([JAVAC, "--release", release, "-d", out,
                            *[os.path.join(src, r) for r in JAVA_SOURCES]], check=True)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                for root, _, files in os.walk(out):
                    for name in files:
                        full = os.path.join(root, name)
                        z.write(full, os.path.relpath(full, out))
            cls.jars[release] = buf.getvalue()
        with open(os.path.join(HERE, "AndroidManifest.xml"), "rb") as f:
            cls.manifest = f.read()
        with open(os.path.join(HERE, "proguard.txt"), encoding="utf-8") as f:
            cls.proguard = f.read()
        cls.good_so = None
        if CC:
            c = os.path.join(cls.tmp, "fixture.c")
            with open(c, "w") as f:
                f.write(C_SOURCE)
            cls.good_so = os.path.join(cls.tmp, "good.so")
            subprocess.run([CC, "-shared", "-fPIC", "-o", cls.good_so, c, *GOOD_LINK], check=True)
            cls.bad_so = os.path.join(cls.tmp, "bad.so")
            subprocess.run([CC, "-shared", "-fPIC", "-o", cls.bad_so, c,
                            "-Wl,-z,max-page-size=4096", "-Wl,-soname,librecall_ffi.so"], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def make(self, drop=(), replace=None, extra=None, jar="8"):
        """An AAR with the committed manifest and rules; `drop` entries left out, `replace`
        and `extra` entries (name -> bytes, or a path to copy) put in."""
        entries = {
            "AndroidManifest.xml": self.manifest,
            "classes.jar": self.jars[jar],
            "R.txt": b"",
            "res/": b"",
            "proguard.txt": self.proguard.encode(),
        }
        entries.update(replace or {})
        entries.update(extra or {})
        path = tempfile.mktemp(suffix=".aar", dir=self.tmp)
        with zipfile.ZipFile(path, "w") as z:
            for name, data in entries.items():
                if name in drop:
                    continue
                if isinstance(data, str):
                    z.write(data, name)
                else:
                    z.writestr(name, data)
        return path

    def check(self, path, require_native=False, max_major=52):
        report = check_aar.Report()
        check_aar.check_aar(path, 26, max_major, require_native, report)
        return report

    def assertFailsWith(self, report, *fragments):
        self.assertFalse(report.ok(), "expected a failure")
        text = "\n".join(report.failures)
        for fragment in fragments:
            self.assertIn(fragment, text)

    def test_a_right_aar_without_natives_passes_with_a_warning(self):
        report = self.check(self.make())
        self.assertTrue(report.ok(), report.failures)
        self.assertTrue(any("WARNING" in n and "NO NATIVE LIBRARIES" in n for n in report.notes))

    def test_no_natives_fails_when_they_are_required(self):
        self.assertFailsWith(self.check(self.make(), require_native=True), "NO NATIVE LIBRARIES")

    @unittest.skipUnless(CC, "no C compiler")
    def test_a_right_native_library_passes(self):
        report = self.check(self.make(extra={"jni/x86_64/librecall_ffi.so": self.good_so}))
        self.assertTrue(report.ok(), report.failures)
        # all four are required for --require-native
        self.assertFailsWith(
            self.check(self.make(extra={"jni/x86_64/librecall_ffi.so": self.good_so}),
                       require_native=True),
            "no native library for arm64-v8a, armeabi-v7a, x86")

    @unittest.skipUnless(CC, "no C compiler")
    def test_a_4k_native_library_fails(self):
        report = self.check(self.make(extra={"jni/x86_64/librecall_ffi.so": self.bad_so}))
        self.assertFailsWith(report, "jni/x86_64/librecall_ffi.so", "< 0x4000")

    @unittest.skipUnless(CC, "no C compiler")
    def test_a_library_under_the_wrong_abi_fails(self):
        report = self.check(self.make(extra={"jni/arm64-v8a/librecall_ffi.so": self.good_so}))
        self.assertFailsWith(report, "arm64-v8a needs ELF64 AArch64")

    def test_an_unexpected_jni_entry_fails(self):
        report = self.check(self.make(extra={"jni/mips/librecall_ffi.so": b"x"}))
        self.assertFailsWith(report, "unexpected jni/mips/librecall_ffi.so")

    def test_each_required_entry_is_required(self):
        for entry in ("AndroidManifest.xml", "classes.jar", "R.txt", "proguard.txt"):
            with self.subTest(entry=entry):
                self.assertFailsWith(self.check(self.make(drop=(entry,))), "no " + entry)
        self.assertFailsWith(self.check(self.make(drop=("res/",))), "no res/")

    def test_the_manifest_min_sdk(self):
        low = self.manifest.replace(b'minSdkVersion="26"', b'minSdkVersion="21"')
        self.assertNotEqual(low, self.manifest)
        self.assertFailsWith(self.check(self.make(replace={"AndroidManifest.xml": low})),
                             "minSdkVersion is '21'")

    def test_the_manifest_package_and_syntax(self):
        other = self.manifest.replace(b'package="dev.recall"', b'package="dev.other"')
        self.assertFailsWith(self.check(self.make(replace={"AndroidManifest.xml": other})),
                             "package is 'dev.other'")
        self.assertFailsWith(
            self.check(self.make(replace={"AndroidManifest.xml": b"<manifest><uses-sdk"})),
            "does not parse")

    def test_class_files_newer_than_java_8_fail(self):
        self.assertFailsWith(self.check(self.make(jar="11")), "major version 55 > 52")
        self.assertTrue(self.check(self.make(jar="11"), max_major=55).ok())

    def test_bundled_dependency_classes_fail(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(self.jars["8"])) as src, zipfile.ZipFile(buf, "w") as z:
            for name in src.namelist():
                z.writestr(name, src.read(name))
            z.writestr("com/sun/jna/Native.class", src.read("dev/recall/RecallPolicy.class"))
        report = self.check(self.make(replace={"classes.jar": buf.getvalue()}))
        self.assertFailsWith(report, "com/sun/jna/Native.class is not the binding's")

    def test_the_proguard_rules(self):
        def without(line):
            self.assertIn(line, self.proguard)
            return {"proguard.txt": self.proguard.replace(line, "").encode()}

        cases = {
            "-keep class dev.recall.** { *; }": "classes of the binding are not kept whole",
            "-keep class com.sun.jna.** { *; }": "keeps com.sun.jna.Native",
            "-dontwarn java.awt.**": "-dontwarn java.awt",
            "-keepattributes *Annotation*,Signature,InnerClasses,EnclosingMethod":
                "annotations are not kept",
        }
        for line, message in cases.items():
            with self.subTest(rule=line):
                self.assertFailsWith(self.check(self.make(replace=without(line))), message)
        # names kept but classes shrinkable, or the rule commented out: not enough
        for weaker in ("-keepnames class dev.recall.** { *; }", "# -keep class dev.recall.** { *; }"):
            with self.subTest(rule=weaker):
                text = self.proguard.replace("-keep class dev.recall.** { *; }", weaker)
                self.assertFailsWith(self.check(self.make(replace={"proguard.txt": text.encode()})),
                                     "not kept whole")

    @unittest.skipUnless(CC, "no C compiler")
    def test_a_dependency_aar(self):
        def dep(so, abis):
            return self.make(extra={f"jni/{abi}/libjnidispatch.so": so for abi in abis})

        report = check_aar.Report()
        check_aar.check_dependency_aar(dep(self.good_so, ["x86_64"]), "libjnidispatch.so",
                                       "uniffi_recall_ffi_fn_func_noop", 52, report)
        self.assertFailsWith(report, "no jni/arm64-v8a/libjnidispatch.so")
        self.assertFalse(any("x86_64" in f for f in report.failures), report.failures)
        report = check_aar.Report()
        check_aar.check_dependency_aar(dep(self.bad_so, ["x86_64"]), "libjnidispatch.so",
                                       "uniffi_recall_ffi_fn_func_noop", 52, report)
        self.assertFailsWith(report, "jni/x86_64/libjnidispatch.so: LOAD segment alignment")
        report = check_aar.Report()
        check_aar.check_dependency_aar(dep(self.good_so, ["x86_64"]), "libjnidispatch.so",
                                       "JNI_OnLoad", 52, report)
        self.assertFailsWith(report, "JNI_OnLoad")

    def test_native_methods_against_the_kotlin_source(self):
        same = ("external fun ffi_recall_ffi_uniffi_contract_version(): Int\n"
                "external fun uniffi_recall_ffi_fn_func_noop(): Unit\n")
        report = check_aar.Report()
        check_aar.check_aar(self.make(), 26, 52, False, report, kotlin_source=same)
        self.assertTrue(report.ok(), report.failures)
        self.assertTrue(any("exactly" in n for n in report.notes))
        more = same + "external fun uniffi_recall_ffi_fn_func_new(): Unit\n"
        report = check_aar.Report()
        check_aar.check_aar(self.make(), 26, 52, False, report, kotlin_source=more)
        self.assertFailsWith(report, "only in the source ['uniffi_recall_ffi_fn_func_new']")

if __name__ == "__main__":
    unittest.main()
