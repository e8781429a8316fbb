#!/usr/bin/env python3
"""Do two pubsearch builds give the same answers on one index? For a refactoring's "answers are
byte-identical" check.

Usage:
  benches/same_answers.py --a BIN_A --b BIN_B --index DIR --corpus DIR --queries FILE.jsonl

Serves the same index with both binaries (read-only, on loopback), asks each the same requests
and compares the JSON bodies, ignoring only `took_ms` (time) and `searcher_generation`. The
requests: every query of FILE.jsonl (the benchmark's `queries.jsonl`, one {"q", "type",
"year_from", "year_to"} per line) in strict and website mode, by relevance and newest first, with
its filters; page 2; the details of every publication in the first page of answers, and a search
inside it; `/api/stats`. Prints the count of requests and of differences (the first few shown) and
exits 1 on any difference.
"""
import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

IGNORED = {"took_ms", "searcher_generation"}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(binary, index, corpus):
    port = free_port()
    p = subprocess.Popen(
        [binary, "-q", "--index", index, "serve", "--corpus", corpus, "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return p, base
        except OSError:
            if p.poll() is not None:
                sys.exit(f"{binary} exited with {p.returncode}")
            time.sleep(0.05)
    sys.exit(f"{binary} did not start")


def get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in IGNORED}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def requests(queries, ask):
    for q in queries:
        params = [("q", q["q"])]
        if q.get("type"):
            params.append(("type", q["type"]))
        for key in ("year_from", "year_to"):
            if q.get(key) is not None:
                params.append((key, str(q[key])))
        for mode in ("strict", "website"):
            for sort in ("relevance", "date_desc"):
                path = "/api/search?" + urllib.parse.urlencode(params + [("mode", mode), ("sort", sort)])
                status, body = ask(path)
                yield path
                if mode == "strict" and sort == "relevance" and status == 200:
                    yield path + "&page=2"
                    for hit in body.get("hits", [])[:3]:
                        pid = urllib.parse.quote(hit["id"])
                        yield f"/api/publications/{pid}"
                        yield f"/api/publications/{pid}/search?" + urllib.parse.urlencode([("q", q["q"])])
    yield "/api/stats"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    args = ap.parse_args()
    queries = [json.loads(line) for line in open(args.queries) if line.strip()]
    pa, a = serve(args.a, args.index, args.corpus)
    pb, b = serve(args.b, args.index, args.corpus)
    n, differ = 0, []
    try:
        cache = {}

        def ask_a(path):
            cache[path] = get(a, path)
            return cache[path]

        for path in requests(queries, ask_a):
            ra = cache.pop(path, None) or get(a, path)
            rb = get(b, path)
            n += 1
            if (ra[0], strip(ra[1])) != (rb[0], strip(rb[1])):
                differ.append(path)
    finally:
        pa.terminate()
        pb.terminate()
    print(f"{n} requests, {len(differ)} different answers")
    for path in differ[:10]:
        print("  differs:", path)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
