#!/usr/bin/env bash
# Load during a reindex: wrk drives /api/search while a full reindex runs and commits.
#
#   scripts/load_during_reindex.sh [--size S|M|L|<count>] [--duration 60] [--connections 16]
#                                  [--threads 2] [--jobs N] [--port 18090] [--work DIR]
#
# 1. Builds target/release/pubsearch (PUBSEARCH_BIN to use another binary) and the library
#    generator (benches/gen_library), generates the library of the given size (default M:
#    2,000 publications, ~61,000 pages) and indexes it once (not measured). Without the
#    generator it falls back to copies of corpus/ under new names.
# 2. Starts `pubsearch serve` on the index.
# 3. Starts `pubsearch index --full` (everything deleted and re-added, one commit) and runs wrk
#    in back-to-back windows of --duration seconds, with --connections connections, until the
#    reindex has committed and exited: every moment of the reindex, its commit and the
#    server's reload is under load. A Lua script rotates ten queries (words, a phrase, OR,
#    NOT, a field, website mode with a typo and a prefix, a facet filter, a date sort) and one
#    intended 400 (a strict query that does not parse), and counts answers by status.
# 4. Prints per window and in total: requests, socket errors, 2xx, intended 400s, other
#    statuses, latency p50/p90/p99/max; checks the server picked up the commit.
# Exit status 0 when there were no socket errors, no timeouts and no status other than 2xx and
# the intended 400s, and the reindex committed; 1 otherwise.
#
# Installs wrk (Debian package wrk) when missing and running as root. Work files go to
# --work (default ${TMPDIR:-/tmp}/pubsearch-load); the library and its first index are kept
# there between runs.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=M
DURATION=60
CONNS=16
THREADS=2
JOBS=""
PORT=18090
WORK=${TMPDIR:-/tmp}/pubsearch-load
while [ $# -gt 0 ]; do
    case "$1" in
        --size) SIZE=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNS=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        echo "wrk is missing: install the Debian package wrk" >&2
        exit 2
    fi
fi

BIN=${PUBSEARCH_BIN:-$ROOT/target/release/pubsearch}
if [ -z "${PUBSEARCH_BIN:-}" ]; then
    cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
fi
DIR="$WORK/$SIZE"
LIB="$DIR/library"
INDEX="$DIR/index"
mkdir -p "$DIR"

# 1. The library and its first index.
if [ ! -f "$DIR/library.done" ]; then
    rm -rf "$LIB"
    GEN_MANIFEST="$ROOT/benches/gen_library/Cargo.toml"
    if [ -f "$GEN_MANIFEST" ] && cargo build --release --quiet --manifest-path "$GEN_MANIFEST"; then
        "$ROOT/benches/gen_library/target/release/gen_library" --size "$SIZE" --out "$LIB" --seed 42
    else
        echo "gen_library unavailable: copying corpus/ to make a library" >&2
        COPIES=15
        for i in $(seq 1 "$COPIES"); do
            for pdf in "$ROOT"/corpus/*.pdf; do
                stem=$(basename "$pdf" .pdf)
                mkdir -p "$LIB/copy-$i"
                cp "$pdf" "$LIB/copy-$i/$stem.pdf"
                # Make every copy's content distinct (else it is a duplicate) and its id unique.
                printf '\n%% copy %s\n' "$i" >> "$LIB/copy-$i/$stem.pdf"
                if [ -f "${pdf%.pdf}.toml" ]; then
                    sed "s/^id = \"\(.*\)\"/id = \"\1-copy-$i\"/" "${pdf%.pdf}.toml" > "$LIB/copy-$i/$stem.toml"
                    grep -q '^id = ' "$LIB/copy-$i/$stem.toml" || sed -i "1i id = \"$stem-copy-$i\"" "$LIB/copy-$i/$stem.toml"
                fi
            done
        done
    fi
    touch "$DIR/library.done"
fi
NPDF=$(find "$LIB" -name '*.pdf' | wc -l)
JOB_ARGS=()
if [ -n "$JOBS" ]; then JOB_ARGS=(--jobs "$JOBS"); fi
if [ ! -f "$INDEX/meta.json" ]; then
    echo "first index of $NPDF PDFs (not measured)..."
    "$BIN" -q --index "$INDEX" index --corpus "$LIB" "${JOB_ARGS[@]}" >/dev/null || [ $? -eq 3 ]
fi

# 2. The server.
SERVER_PID=""
INDEX_PID=""
cleanup() {
    if [ -n "$INDEX_PID" ]; then kill "$INDEX_PID" 2>/dev/null || true; fi
    if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
"$BIN" -q --index "$INDEX" serve --corpus "$LIB" --addr "127.0.0.1:$PORT" 2>"$DIR/server.err" &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
    if curl -sf "$BASE/healthz" >/dev/null; then break; fi
    sleep 0.2
done
curl -sf "$BASE/healthz" >/dev/null || { echo "server did not start: $(cat "$DIR/server.err")"; exit 1; }
generation() { curl -sf "$BASE/api/stats" | grep -o '"searcher_generation": *[0-9]*' | grep -o '[0-9]*$'; }
GEN_BEFORE=$(generation)

# The queries: valid ones must answer 2xx; `title:(water` is the intended 400.
cat >"$DIR/search.lua" <<'LUA'
local paths = {
  "/api/search?q=people",
  "/api/search?q=%22the+community%22",
  "/api/search?q=council+OR+government",
  "/api/search?q=health+-london",
  "/api/search?q=title:report",
  "/api/search?q=gouvernment+servi&mode=website",
  "/api/search?q=children&type=report&type=guide",
  "/api/search?q=support&year_from=2010&year_to=2020",
  "/api/search?q=advice&sort=date_desc&per_page=20",
  "/api/search?q=local+services+public",
  "/api/search?q=title:(water",
}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  ok, intended, other, counter = 0, 0, 0, offset or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status == 400 then
    intended = intended + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local o, i, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    i = i + t:get("intended")
    x = x + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f connect_errors=%d read_errors=%d write_errors=%d timeouts=%d ok_2xx=%d intended_400=%d other_status=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    e.connect, e.read, e.write, e.timeout, o, i, x,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
LUA

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "library: $NPDF PDFs ($SIZE); wrk: $CONNS connections, $THREADS threads, windows of $DURATION s"

# 3. The reindex under load.
START=$(date +%s.%N)
"$BIN" -q --index "$INDEX" index --corpus "$LIB" --full --json "${JOB_ARGS[@]}" >"$DIR/report.json" 2>"$DIR/index.err" &
INDEX_PID=$!
WINDOW=0
: >"$DIR/wrk.out"
while :; do
    WINDOW=$((WINDOW + 1))
    W_START=$(date +%s.%N)
    wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" --timeout 10s --latency -s "$DIR/search.lua" "$BASE" >"$DIR/wrk-$WINDOW.out" 2>&1 || true
    W_END=$(date +%s.%N)
    LINE=$(grep '^RESULT' "$DIR/wrk-$WINDOW.out" || echo "RESULT missing")
    echo "window $WINDOW ($(printf '%.0f' "$(echo "$W_START - $START" | bc)")–$(printf '%.0f' "$(echo "$W_END - $START" | bc)") s): $LINE" | tee -a "$DIR/wrk.out"
    if ! kill -0 "$INDEX_PID" 2>/dev/null; then break; fi
done
set +e
wait "$INDEX_PID"
INDEX_STATUS=$?
set -e
INDEX_PID=""
END_INDEX=$(stat -c %Y "$DIR/report.json")
echo "reindex: exit status $INDEX_STATUS, $(printf '%.0f' "$(echo "$END_INDEX - $START" | bc)") s; $(grep -o '"committed": *[a-z]*' "$DIR/report.json")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# 4. Totals and checks.
for _ in $(seq 1 50); do
    GEN_AFTER=$(generation)
    if [ "$GEN_AFTER" != "$GEN_BEFORE" ]; then break; fi
    sleep 0.2
done
awk '
  /RESULT requests=/ {
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2]; if (kv[1] ~ /^p99_ms$|^max_ms$/ && kv[2] > m[kv[1]]) m[kv[1]] = kv[2] }
  }
  END {
    printf "TOTAL requests=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d ok_2xx=%d intended_400=%d other_status=%d worst_window_p99_ms=%.2f max_ms=%.2f\n",
      v["requests"], v["connect_errors"], v["read_errors"], v["write_errors"], v["timeouts"], v["ok_2xx"], v["intended_400"], v["other_status"], m["p99_ms"], m["max_ms"]
  }' "$DIR/wrk.out" | tee "$DIR/total.out"
echo "server generation: $GEN_BEFORE before, $GEN_AFTER after"

FAIL=0
grep -q 'connect_errors=0 read_errors=0 write_errors=0 timeouts=0' "$DIR/total.out" || { echo "FAIL: socket errors or timeouts"; FAIL=1; }
grep -q 'other_status=0' "$DIR/total.out" || { echo "FAIL: statuses other than 2xx and the intended 400"; FAIL=1; }
grep -q '"committed": *true' "$DIR/report.json" || { echo "FAIL: the reindex did not commit (exit $INDEX_STATUS): $(tail -3 "$DIR/index.err")"; FAIL=1; }
[ "$GEN_AFTER" != "$GEN_BEFORE" ] || { echo "FAIL: the server did not pick up the commit"; FAIL=1; }
if [ "$FAIL" -eq 0 ]; then echo "load during reindex: PASS"; else exit 1; fi
