#!/usr/bin/env bash
# Disk full during a commit, on a small file system made for the purpose.
#
#   scripts/disk_full.sh [--fs ext4|tmpfs] [--keep]
#
# Needs root (mount). With --fs ext4 (the default) the index lives on an ext4 image on a loop
# device, filled with a placeholder file so that only a little more than a one-publication
# index fits; with --fs tmpfs it lives on a tmpfs of that size (what the `reliability` test
# `disk_full_during_a_commit_keeps_the_previous_commit` does when it may mount).
#
# Steps, each printed as PASS or FAIL:
#   1. index one publication of corpus/ onto the small file system;
#   2. add the whole sample corpus and run `pubsearch index --full`: it must fail with a
#      non-zero exit and an error that names the full disk and says the previous version is
#      intact (no panic);
#   3. the previous commit still opens and answers `pubsearch search`;
#   4. free the space; the next `pubsearch index` completes with all 20 publications.
# Exit status 0 when every step passes, 1 otherwise, 2 when it cannot run here.
#
# PUBSEARCH_BIN selects the binary (default: target/release/pubsearch, built if missing).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FS=ext4
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --fs) FS=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
case "$FS" in ext4|tmpfs) ;; *) echo "--fs must be ext4 or tmpfs" >&2; exit 2 ;; esac

if [ "$(id -u)" != 0 ]; then
    echo "SKIPPED: mounting a file system needs root" >&2
    exit 2
fi
BIN=${PUBSEARCH_BIN:-$ROOT/target/release/pubsearch}
if [ ! -x "$BIN" ]; then
    cargo build --release --manifest-path "$ROOT/Cargo.toml"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pubsearch-disk-full.XXXXXX")
MNT="$WORK/mnt"
LOOP=""
cleanup() {
    if mountpoint -q "$MNT" 2>/dev/null; then umount "$MNT" || true; fi
    if [ -n "$LOOP" ]; then losetup -d "$LOOP" 2>/dev/null || true; fi
    if [ "$KEEP" = 1 ]; then echo "work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

FAILS=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

mkdir -p "$WORK/corpus" "$MNT"
cp "$ROOT"/corpus/2018-05-hostile-environment-briefing.{pdf,toml} "$WORK/corpus/"

# How much room one publication's index takes, on an ordinary disk.
"$BIN" -q --index "$WORK/probe" index --corpus "$WORK/corpus" >/dev/null
ROOM_KB=$(( $(du -sk "$WORK/probe" | cut -f1) + 256 ))
echo "one-publication index: $(du -sk "$WORK/probe" | cut -f1) KiB; room given: $ROOM_KB KiB ($FS)"

if [ "$FS" = tmpfs ]; then
    mount -t tmpfs -o "size=${ROOM_KB}k" tmpfs "$MNT"
else
    for tool in mkfs.ext4 losetup fallocate; do
        command -v "$tool" >/dev/null || { echo "SKIPPED: $tool missing (e2fsprogs, mount, util-linux)"; exit 2; }
    done
    truncate -s 64M "$WORK/disk.img"
    mkfs.ext4 -q -F -m 0 "$WORK/disk.img"
    LOOP=$(losetup --find --show "$WORK/disk.img")
    mount "$LOOP" "$MNT"
    AVAIL=$(df -k --output=avail "$MNT" | tail -1 | tr -d ' ')
    fallocate -l "$(( AVAIL - ROOM_KB ))k" "$MNT/placeholder"
fi
df -k "$MNT" | tail -1
INDEX="$MNT/index"

# 1. The first commit fits.
if "$BIN" -q --index "$INDEX" index --corpus "$WORK/corpus" >/dev/null 2>"$WORK/first.err"; then
    pass "one publication indexed on the small file system"
else
    fail "the first index does not fit: $(cat "$WORK/first.err")"
    exit 1
fi

# 2. A reindex that cannot fit fails cleanly.
cp "$ROOT"/corpus/*.pdf "$ROOT"/corpus/*.toml "$WORK/corpus/"
set +e
"$BIN" --index "$INDEX" index --corpus "$WORK/corpus" --full >/dev/null 2>"$WORK/full.err"
STATUS=$?
set -e
echo "--- stderr of the reindex on a full disk (exit status $STATUS):"
grep -v '^\s*$' "$WORK/full.err" | tail -5
echo "---"
if [ "$STATUS" -ne 0 ] && [ "$STATUS" -lt 128 ]; then pass "non-zero exit ($STATUS), no crash"; else fail "exit status $STATUS"; fi
if grep -q "panicked at" "$WORK/full.err"; then fail "the indexer panicked"; else pass "no panic"; fi
if grep -qi "no space left\|disk is full\|space" "$WORK/full.err"; then pass "the error names the full disk"; else fail "the error does not name the full disk"; fi
if grep -q "previous version is intact" "$WORK/full.err"; then pass "the error says the previous version is intact"; else fail "the error does not say the previous version is intact"; fi

# 3. The previous commit is intact.
if OUT=$("$BIN" -q --index "$INDEX" search Hasselgrove 2>&1) && [[ "$OUT" == "1 publications"* ]]; then
    pass "the previous commit opens and answers"
else
    fail "the previous commit is damaged: $OUT"
fi

# 4. With room again, the next run completes.
if [ "$FS" = tmpfs ]; then mount -o remount,size=64m "$MNT"; else rm -f "$MNT/placeholder"; fi
if "$BIN" -q --index "$INDEX" index --corpus "$WORK/corpus" >/dev/null 2>"$WORK/after.err"; then
    N=$("$BIN" -q --index "$INDEX" search "" --json | grep -o '"total": *[0-9]*' | grep -o '[0-9]*$')
    if [ "$N" = 20 ]; then pass "after freeing space: 20 publications"; else fail "after freeing space: $N publications"; fi
else
    fail "the run after freeing space failed: $(cat "$WORK/after.err")"
fi

if [ "$FAILS" -eq 0 ]; then echo "disk full: all checks passed"; else echo "disk full: $FAILS check(s) failed"; exit 1; fi
