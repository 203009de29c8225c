#!/usr/bin/env bash
# swift-env.sh — give the project a Swift toolchain (>= 5.9) on Linux.
#
# Usage
#   source scripts/swift-env.sh          # defines the functions below, changes nothing else
#   swift_env_setup || echo "no Swift"    # optional: prepare now, non-zero + message if impossible
#   swift_run DIR CMD...                 # run CMD in DIR with Swift available; returns CMD's code
#                                        # (under `set -e` write `swift_run ... || rc=$?` to keep going)
#
#   scripts/swift-env.sh CMD...          # same as `swift_run "$PWD" CMD...`
#   scripts/swift-env.sh                 # only prepare, then print `swift --version`
#
# How
#   1. A native `swift` >= 5.9 on PATH is used as it is.
#   2. Otherwise, as root on Debian/Ubuntu: Debian 12 has no Swift and Debian 13's swiftlang
#      needs glibc >= 2.38, so a Debian 13 (trixie) chroot is made once with debootstrap under
#      ${RECALL_CACHE_DIR:-$HOME/.cache/recall}/swift-trixie and reused afterwards.
#      swift_run bind-mounts /proc, /dev and the project's top directory (git top level of DIR,
#      same absolute path inside), runs `cd DIR && CMD...` in the chroot and unmounts again.
#      The mounts are made inside a private mount namespace (unshare -m), so they are never
#      visible on the host and vanish even if everything is SIGKILLed; a trap unmounts them too.
#   3. Otherwise: a message that says what is missing, and a non-zero status.
#
# Environment (all optional)
#   RECALL_CACHE_DIR      cache root (default $HOME/.cache/recall)
#   SWIFT_ENV_MIRROR      Debian mirror for debootstrap (default: from the apt sources)
#   SWIFT_ENV_BINDS       extra host paths to bind at the same path, colon-separated
#   SWIFT_ENV_PASS        extra variable names to pass into the chroot, space-separated
#                         (always passed when set: LD_LIBRARY_PATH TERM CI NO_COLOR)
#   SWIFT_ENV_FORCE_CHROOT=1   ignore a native swift (for testing this script)
#
# Shell options: when sourced, this file does not touch the caller's options (no `set`).
# The functions do their own error checks (`|| return`), so they behave the same whether the
# caller uses `set -euo pipefail` or not, and they never leave a changed option behind.
# When executed directly, it runs with `set -euo pipefail`.
#
# All progress and error lines go to stderr, prefixed "swift-env:".

# Packages installed inside the chroot. libc6-dev is only "recommended" by swiftlang but
# without it builds fail with "could not build C module 'CDispatch'"; ca-certificates lets
# apt (and SwiftPM, if it ever fetches) talk https.
SWIFT_ENV_PACKAGES="swiftlang libc6-dev ca-certificates"

_swift_env_say() { printf 'swift-env: %s\n' "$*" >&2; }

# Prints the native swift's "MAJOR MINOR" if `swift` on PATH is a Swift toolchain.
# (Debian's python3-swiftclient also installs a `swift` command: it prints no "Swift version".)
_swift_env_native_version() {
    local out
    command -v swift >/dev/null 2>&1 || return 1
    out=$(swift --version 2>&1) || return 1
    printf '%s\n' "$out" | sed -n 's/.*Swift version \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p' | head -n 1
}

_swift_env_cache_dir() {
    printf '%s\n' "${RECALL_CACHE_DIR:-${HOME:-/root}/.cache/recall}"
}

# The Debian mirror for trixie: SWIFT_ENV_MIRROR, else the first non-security ".../debian"
# URI in the apt sources (one-line and deb822 formats). On Ubuntu no such URI exists (Ubuntu's
# mirrors carry no trixie): set SWIFT_ENV_MIRROR to a Debian mirror's ".../debian" URI there.
_swift_env_mirror() {
    local files=() f uri
    if [ -n "${SWIFT_ENV_MIRROR:-}" ]; then
        printf '%s\n' "$SWIFT_ENV_MIRROR"
        return 0
    fi
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] && files+=("$f")
    done
    uri=
    if [ "${#files[@]}" -gt 0 ]; then
        uri=$(awk '
            /^[[:space:]]*#/ { next }
            # one-line format: deb [options] URI suite components
            $1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } ; next }
            # deb822 format: URIs: URI [URI...]
            tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }
        ' "${files[@]}" 2>/dev/null | sed 's:/*$::' | grep -v -i security | grep -E '^(https?|ftp|file)://.*/debian$' | head -n 1) || uri=
    fi
    if [ -z "$uri" ]; then
        _swift_env_say "no Debian mirror in the apt sources: set SWIFT_ENV_MIRROR to a Debian mirror's .../debian URI"
        return 1
    fi
    printf '%s\n' "$uri"
}

# rm -rf a (stale) chroot directory, but only if nothing is mounted below it: a bind mount of
# /dev or of the project inside it would otherwise be deleted through the mount.
_swift_env_remove_tree() {
    local d=$1
    [ -e "$d" ] || return 0
    if awk -v d="$d/" 'index($5 "/", d) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
        _swift_env_say "refusing to delete $d: something is still mounted below it (see: mount | grep '$d')"
        return 1
    fi
    rm -rf -- "$d"
}

# Whether private mount namespaces work here (unshare -m); sets _SWIFT_ENV_HAVE_UNSHARE=yes|no.
_swift_env_detect_unshare() {
    [ -n "${_SWIFT_ENV_HAVE_UNSHARE:-}" ] && return 0
    if unshare --mount --propagation private true >/dev/null 2>&1; then
        _SWIFT_ENV_HAVE_UNSHARE=yes
    else
        _SWIFT_ENV_HAVE_UNSHARE=no
    fi
}

# Runs a command in a private mount namespace when possible, so that mounts it makes are never
# seen by (or left behind on) the host. Falls back to running it directly.
_swift_env_in_ns() {
    _swift_env_detect_unshare
    if [ "$_SWIFT_ENV_HAVE_UNSHARE" = yes ]; then
        unshare --mount --propagation private -- "$@"
    else
        "$@"
    fi
}

# Unmounts, in reverse order, what _swift_env_inner mounted (its EXIT trap).
_swift_env_inner_cleanup() {
    local i
    # A second signal (e.g. SIGHUP when the terminal closes after Ctrl-C) must not cut the
    # unmounting short.
    trap '' INT TERM HUP
    for ((i = ${#SE_MOUNTED[@]} - 1; i >= 0; i--)); do
        umount "${SE_MOUNTED[i]}" 2>/dev/null || umount -l "${SE_MOUNTED[i]}" ||
            printf 'swift-env: could not unmount %s\n' "${SE_MOUNTED[i]}" >&2
    done
    SE_MOUNTED=()
}

# The body run for every chroot command, in a bash of its own (see _swift_env_chroot_exec).
# Args: ROOT LOCK BIND... -- VAR=VALUE... -- CMD...   (LOCK: "" inside a private namespace)
# Bind-mounts each BIND at ROOT/BIND, runs CMD via `chroot ROOT env -i VAR=VALUE... CMD...`,
# and unmounts everything on every exit path (EXIT trap; INT/TERM/HUP turn into exits).
# A target that is already a mount point is a leftover (runs are serialised by LOCK when no
# private namespace is available): it is not mounted twice, and it is unmounted at the end too.
_swift_env_inner() {
    # This runs in a bash of its own: plain globals and traps are fine here.
    SE_ROOT=$1
    SE_LOCK=$2
    SE_BINDS=()
    SE_ENVS=()
    SE_MOUNTED=()
    shift 2
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do SE_BINDS+=("$1"); shift; done
    shift
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do SE_ENVS+=("$1"); shift; done
    shift
    trap _swift_env_inner_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    local src tgt rc=0
    if [ -n "$SE_LOCK" ]; then
        # No private namespace: mounts are shared with the host. Serialise the runs so that one
        # run never unmounts what another one uses, and any mount found now is a leftover.
        exec 9>"$SE_LOCK" && flock 9 || exit 125
    fi
    for src in "${SE_BINDS[@]}"; do
        tgt=$SE_ROOT$src
        if mountpoint -q "$tgt" 2>/dev/null; then
            printf 'swift-env: %s already mounted (leftover), not mounting it again\n' "$tgt" >&2
            SE_MOUNTED+=("$tgt")
            continue
        fi
        mkdir -p "$tgt" || exit 125
        if ! mount --bind "$src" "$tgt"; then
            printf 'swift-env: mount --bind %s %s failed\n' "$src" "$tgt" >&2
            exit 125
        fi
        SE_MOUNTED+=("$tgt")
    done
    chroot "$SE_ROOT" /usr/bin/env -i "${SE_ENVS[@]}" "$@" 9>&- || rc=$?
    exit "$rc"
}

# The system mounts every chroot command gets: /proc (swiftc finds its own libraries through
# /proc/self/exe), /dev, and /dev/pts and /dev/shm when they are separate mounts on the host
# (a plain bind of /dev does not carry them; without /dev/pts dpkg says "Can not write log").
_swift_env_sys_binds() {
    local b=/proc:/dev d
    for d in /dev/pts /dev/shm; do
        mountpoint -q "$d" 2>/dev/null && b="$b:$d"
    done
    printf '%s\n' "$b"
}

# _swift_env_chroot_exec ROOT BINDS(colon-separated) -- VAR=VALUE... -- CMD...
_swift_env_chroot_exec() {
    local root=$1 binds=$2 lock=''
    local -a bindargs=()
    shift 2
    IFS=: read -r -a bindargs <<<"$binds"
    _swift_env_detect_unshare
    [ "$_SWIFT_ENV_HAVE_UNSHARE" = yes ] || lock="$(dirname "$root")/swift-trixie.run.lock"
    # One bash per run, with the two functions above: its traps are its own and never touch
    # the caller's. No process sits between the caller and that bash (unshare execs it), so
    # Ctrl-C reaches CMD, the bash unmounts and exits 130, and the caller sees 130.
    _swift_env_in_ns bash -c "$(declare -f _swift_env_inner _swift_env_inner_cleanup); _swift_env_inner \"\$@\"" \
        swift-env "$root" "$lock" "${bindargs[@]}" "$@"
}

# Creates the trixie chroot (once). Builds into a temp dir next to the final one and renames it
# only after a marker file is written, so a half-built chroot is never used.
_swift_env_make_chroot() {
    local cache=$1 final=$2 marker=$3 mirror tmp t0=$SECONDS log keyring=() proxy_env=() d
    local _swift_env_proxy=''
    mirror=$(_swift_env_mirror) || return 1

    if ! command -v debootstrap >/dev/null 2>&1; then
        _swift_env_say "installing debootstrap with apt-get"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null 2>&1; then
            apt-get update -q >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null ||
                { _swift_env_say "could not install debootstrap with apt-get (it makes the Debian 13 chroot)"; return 1; }
        fi
    fi
    # Ubuntu hosts need Debian's keyring to check the trixie archive.
    if [ ! -r /usr/share/keyrings/debian-archive-keyring.gpg ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q debian-archive-keyring >/dev/null 2>&1 || true
    fi
    [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] &&
        keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
    # An apt proxy configured on the host is handed to debootstrap and to apt in the chroot.
    eval "$(apt-config shell _swift_env_proxy Acquire::http::Proxy 2>/dev/null)" || true
    if [ -n "${http_proxy:-}" ]; then
        proxy_env=("http_proxy=$http_proxy")
    elif [ -n "$_swift_env_proxy" ]; then
        proxy_env=("http_proxy=$_swift_env_proxy")
    fi
    [ -n "${https_proxy:-}" ] && proxy_env+=("https_proxy=$https_proxy")

    # Leftovers of interrupted builds.
    for d in "$cache"/swift-trixie.tmp.*; do
        [ -d "$d" ] || continue
        _swift_env_say "removing unfinished chroot $d"
        _swift_env_remove_tree "$d" || return 1
    done
    if [ -e "$final" ] && [ ! -e "$marker" ]; then
        _swift_env_say "removing incomplete chroot $final (no marker file)"
        _swift_env_remove_tree "$final" || return 1
    fi

    tmp=$(mktemp -d "$cache/swift-trixie.tmp.XXXXXX") || return 1
    # mktemp makes it 0700; as the chroot's "/" that would lock out apt's _apt user.
    chmod 755 "$tmp" || return 1
    log="$cache/swift-trixie.log"
    _swift_env_say "creating trixie chroot under $final (first run, ~2 min, ~3 GB; mirror $mirror; log $log)"
    _swift_env_say "debootstrap --variant=minbase trixie ..."
    # debootstrap mounts /proc and /sys in the target itself: the namespace keeps those off the host.
    if ! _swift_env_in_ns env "${proxy_env[@]}" debootstrap "${keyring[@]}" --variant=minbase \
        trixie "$tmp" "$mirror" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        _swift_env_say "debootstrap failed (full log: $log)"
        _swift_env_remove_tree "$tmp"
        return 1
    fi
    # debootstrap copies the host's resolv.conf; make sure it is there for apt in the chroot.
    cp -L /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
    _swift_env_say "debootstrap done in $((SECONDS - t0)) s; apt-get install $SWIFT_ENV_PACKAGES (inside the chroot) ..."
    # shellcheck disable=SC2086  # the package list is meant to split into words
    if ! _swift_env_chroot_exec "$tmp" "$(_swift_env_sys_binds)" -- \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive "${proxy_env[@]}" -- \
        sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends "$@" &&
               apt-get clean && rm -rf /var/lib/apt/lists/*' sh $SWIFT_ENV_PACKAGES >>"$log" 2>&1; then
        tail -n 20 "$log" >&2
        _swift_env_say "apt-get install in the chroot failed (full log: $log)"
        _swift_env_remove_tree "$tmp"
        return 1
    fi
    # Check that the toolchain really runs before declaring the chroot complete.
    if ! _swift_env_chroot_exec "$tmp" "$(_swift_env_sys_binds)" -- PATH=/usr/bin:/bin HOME=/root -- \
        swift --version >>"$log" 2>&1; then
        tail -n 20 "$log" >&2
        _swift_env_say "swift --version fails inside the new chroot (full log: $log)"
        _swift_env_remove_tree "$tmp"
        return 1
    fi
    {
        echo "created $(date -u +%Y-%m-%dT%H:%M:%SZ) from $mirror"
        tail -n 2 "$log"
    } >"$tmp/.swift-env-complete"
    mv -T "$tmp" "$final" || { _swift_env_remove_tree "$tmp"; return 1; }
    _swift_env_say "chroot ready in $((SECONDS - t0)) s: $(du -sh "$final" 2>/dev/null | cut -f1)"
}

# Decides how Swift is run: sets SWIFT_ENV_MODE to "native" or "chroot" (and SWIFT_ENV_ROOT).
# Safe to call many times; the work is done once. Non-zero with a message when impossible.
swift_env_setup() {
    local ver cache final marker id_like=''
    [ -n "${SWIFT_ENV_MODE:-}" ] && return 0

    # 1. A native toolchain.
    if [ "${SWIFT_ENV_FORCE_CHROOT:-0}" != 1 ]; then
        ver=$(_swift_env_native_version) || ver=
        if [ -n "$ver" ]; then
            # shellcheck disable=SC2086  # "MAJOR MINOR": word splitting wanted
            set -- $ver
            if [ "$1" -gt 5 ] || { [ "$1" -eq 5 ] && [ "$2" -ge 9 ]; }; then
                SWIFT_ENV_MODE=native
                _swift_env_say "using native swift $1.$2 ($(command -v swift))"
                return 0
            fi
            _swift_env_say "native swift $1.$2 is older than 5.9, ignoring it"
        fi
    fi

    # 2. A trixie chroot: needs root, a Debian-like system with apt-get, and mount namespaces
    #    or at least mount(8).
    if [ -r /etc/os-release ]; then
        # shellcheck source=/dev/null
        id_like=$(. /etc/os-release && printf '%s %s' "${ID:-}" "${ID_LIKE:-}") || id_like=
    fi
    case " $id_like " in
        *" debian "* | *" ubuntu "*) ;;
        *)
            _swift_env_say "Swift toolchain missing: install Swift 5.9+ (swift on PATH), or run as root on Debian/Ubuntu so that a Debian 13 chroot with swiftlang can be made (this system is not Debian/Ubuntu)"
            return 1
            ;;
    esac
    if [ "$(id -u)" != 0 ]; then
        _swift_env_say "Swift toolchain missing: install Swift 5.9+ (swift on PATH), or run as root so that a Debian 13 chroot with swiftlang can be made with debootstrap (not root)"
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1 || ! command -v chroot >/dev/null 2>&1; then
        _swift_env_say "Swift toolchain missing: install Swift 5.9+, or provide apt-get and chroot so that a Debian 13 chroot with swiftlang can be made"
        return 1
    fi

    cache=$(_swift_env_cache_dir)
    final="$cache/swift-trixie"
    marker="$final/.swift-env-complete"
    mkdir -p "$cache" || { _swift_env_say "cannot create $cache"; return 1; }
    if [ ! -e "$marker" ]; then
        # The lock keeps two first runs from building at the same time; the subshell keeps
        # the lock's file descriptor away from the caller.
        if ! (
            flock 9 || exit 1
            [ -e "$marker" ] || _swift_env_make_chroot "$cache" "$final" "$marker"
        ) 9>"$cache/swift-trixie.lock"; then
            _swift_env_say "Swift toolchain missing: could not create the trixie chroot under $cache (install Swift 5.9+, or fix the error above)"
            return 1
        fi
    fi
    SWIFT_ENV_MODE=chroot
    SWIFT_ENV_ROOT=$final
    _swift_env_say "using swift from the trixie chroot $final"
}

# swift_run DIR CMD... — runs CMD in DIR with Swift on PATH, returns CMD's exit code.
swift_run() {
    local dir top rc=0 v binds p
    local -a envs=() extra=()
    if [ "$#" -lt 2 ]; then
        _swift_env_say "usage: swift_run DIR CMD..."
        return 2
    fi
    dir=$(cd "$1" 2>/dev/null && pwd -P) || { _swift_env_say "swift_run: no such directory: $1"; return 2; }
    shift
    swift_env_setup || return 1

    if [ "$SWIFT_ENV_MODE" = native ]; then
        (cd "$dir" && "$@") || rc=$?
        return "$rc"
    fi

    # The project's top directory: git top level of DIR, else DIR itself.
    top=$(git -c safe.directory='*' -C "$dir" rev-parse --show-toplevel 2>/dev/null) || top=
    [ -n "$top" ] || top=$dir
    top=$(cd "$top" && pwd -P) || return 2
    # Bind list (colon-separated; paths containing ":" are not supported).
    binds="$(_swift_env_sys_binds):$top"
    IFS=: read -r -a extra <<<"${SWIFT_ENV_BINDS:-}"
    for p in "${extra[@]}"; do
        [ -n "$p" ] || continue
        p=$(cd "$p" 2>/dev/null && pwd -P) || { _swift_env_say "SWIFT_ENV_BINDS: no such directory: $p"; return 2; }
        binds="$binds:$p"
    done
    # Binding "/" or a parent of the chroot would put the chroot inside itself.
    IFS=: read -r -a extra <<<"$binds"
    for p in "${extra[@]}"; do
        if [ "$p" = / ] || [ "${SWIFT_ENV_ROOT#"$p"/}" != "$SWIFT_ENV_ROOT" ]; then
            _swift_env_say "cannot bind $p into the chroot: it contains the chroot $SWIFT_ENV_ROOT (move the project or set RECALL_CACHE_DIR)"
            return 2
        fi
    done

    envs=(PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8)
    for v in LD_LIBRARY_PATH TERM CI NO_COLOR ${SWIFT_ENV_PASS:-}; do
        [ -n "${!v+x}" ] && envs+=("$v=${!v}")
    done
    # shellcheck disable=SC2016  # $1 and $@ are expanded by the sh inside the chroot
    _swift_env_chroot_exec "$SWIFT_ENV_ROOT" "$binds" -- "${envs[@]}" -- \
        /bin/sh -c 'cd "$1" || exit 125; shift; exec "$@"' swift-run "$dir" "$@" || rc=$?
    return "$rc"
}

# Executed directly (not sourced): `swift-env.sh CMD...` or `swift-env.sh` to only prepare.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    if [ "$#" -eq 0 ]; then
        swift_env_setup
        if [ "$SWIFT_ENV_MODE" = native ]; then
            swift --version
        else
            _swift_env_chroot_exec "$SWIFT_ENV_ROOT" "$(_swift_env_sys_binds)" -- \
                PATH=/usr/bin:/bin HOME=/root -- swift --version
        fi
    else
        swift_run "$PWD" "$@"
    fi
fi
