# shellcheck shell=bash
# platform.sh — the host's shared-library conventions, in one place, for the scripts that
# build, load or benchmark librecall_ffi (scripts/bindgen, test, release-lib, bench-kotlin,
# bench-swift, check-jvm-artifact).
#
#   source scripts/platform.sh    # defines the functions below, changes nothing else
#
#   platform                 linux | macos
#   lib_file                 the library's file name: librecall_ffi.so | librecall_ffi.dylib
#   lib_path_var             the loader's search-path variable: LD_LIBRARY_PATH | DYLD_LIBRARY_PATH
#   with_lib_path DIR CMD... runs CMD (a command or a shell function) with that variable set
#                            to DIR; returns CMD's status
#   target_lib_file TRIPLE   the library's file name for a Rust target: .dylib for Apple
#                            targets, .dll for Windows, .so otherwise
#   jna_prefix TRIPLE        where JNA looks for a target's library inside a jar (its resource
#                            prefix: linux-x86-64, linux-aarch64, darwin-aarch64, darwin-x86-64);
#                            non-zero for a target the jar does not carry
#   host_target              the Rust host triple (rustc -vV)
#   machine_summary          "CPU model, N cores, load average: A B C" for benchmark headers
#
# RECALL_PLATFORM=macos (or linux) overrides what `uname -s` says, so that the macOS code
# paths can be exercised on Linux (scripts/test-platform does). Any other value is an error.
# Sourcing this file does not touch the caller's shell options.

platform() {
  case "${RECALL_PLATFORM:-}" in
    linux | macos) printf '%s\n' "$RECALL_PLATFORM" ;;
    '')
      case "$(uname -s)" in
        Darwin) echo macos ;;
        *) echo linux ;;
      esac
      ;;
    *)
      printf 'platform.sh: RECALL_PLATFORM=%s: expected linux or macos\n' "$RECALL_PLATFORM" >&2
      return 1
      ;;
  esac
}

lib_file() {
  local p
  p=$(platform) || return
  case "$p" in
    macos) echo librecall_ffi.dylib ;;
    *) echo librecall_ffi.so ;;
  esac
}

lib_path_var() {
  local p
  p=$(platform) || return
  case "$p" in
    macos) echo DYLD_LIBRARY_PATH ;;
    *) echo LD_LIBRARY_PATH ;;
  esac
}

# The subshell keeps the export away from the caller; functions are inherited by it.
# (On macOS, System Integrity Protection drops DYLD_* variables when a protected binary such
# as /bin/sh or /usr/bin/env starts: CMD must be the program that loads the library, or one
# that passes its environment on unchanged.)
with_lib_path() {
  local dir=$1 var
  shift
  var=$(lib_path_var) || return
  (
    export "$var=$dir"
    "$@"
  )
}

target_lib_file() {
  case "$1" in
    *-apple-*) echo librecall_ffi.dylib ;;
    *-windows-*) echo recall_ffi.dll ;;
    *) echo librecall_ffi.so ;;
  esac
}

jna_prefix() {
  case "$1" in
    x86_64-unknown-linux-gnu) echo linux-x86-64 ;;
    aarch64-unknown-linux-gnu) echo linux-aarch64 ;;
    aarch64-apple-darwin) echo darwin-aarch64 ;;
    x86_64-apple-darwin) echo darwin-x86-64 ;;
    *) return 1 ;;
  esac
}

host_target() {
  rustc -vV | sed -n 's/^host: //p'
}

machine_summary() {
  local p model cores load
  p=$(platform) || return
  # Each answer may be missing (a container without lscpu...): "?" then, never a failure.
  if [ "$p" = macos ]; then
    model=$(sysctl -n machdep.cpu.brand_string 2>/dev/null) || model=
    cores=$(sysctl -n hw.ncpu 2>/dev/null) || cores=
    load=$(sysctl -n vm.loadavg 2>/dev/null | tr -d '{}' | awk '{print $1, $2, $3}') || load=
  else
    model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p') || model=
    cores=$(nproc 2>/dev/null) || cores=
    load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) || load=
  fi
  printf '%s, %s cores, load average: %s\n' "${model:-unknown CPU}" "${cores:-?}" "${load:-?}"
}
