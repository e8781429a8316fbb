#!/usr/bin/env python3
"""Side-by-side comparison of pubsearch with peer engines on one generated library, in one run.

Usage (from anywhere; paths are relative to this script's repository):
  benches/compare.py --size M [--steps gen,extract,index,query] [--pairs 5] [--work DIR]
  benches/compare.py --size L --steps gen,scale --pairs 1      # scaling numbers for one size
Steps:
  gen      generate the library with benches/gen_library (skipped when it already exists)
  extract  `pubsearch extract` vs `pdftotext`: pages/s per core (CPU time of the child processes,
           getrusage) on a fixed sample of the library's PDFs, interleaved A B A B ..., median of the
           per-pair ratios; word-level F1 of our text against pdftotext's, page by page
  index    `pubsearch index` (fresh index) vs Xapian `omindex` (runs pdftotext itself), interleaved
  query    the 200 queries: pubsearch serve over HTTP vs bare tantivy in-process (same index) vs
           SQLite FTS5 vs Xapian; hit counts checked first; p50/p99/qps at 1 and 8 clients,
           interleaved rounds, median of per-round ratios
  scale    one fresh `pubsearch index` (wall, CPU, peak RSS, index size), serve + queries at 1 and
           8 clients, server peak RSS; at L also a no-op reindex and a one-changed-file reindex
  reindex  only the no-op and one-changed-file reindexes, on the existing index of that size
  long     questions of 8-25 words (queries-long.jsonl, made from queries.jsonl's words): pubsearch
           serve in website mode over HTTP vs Xapian with the same text as an OR query, interleaved;
           with --baseline BIN also that build serving the same index
  abindex  this build and --baseline BIN each make a fresh index, interleaved: wall, CPU, peak
           RSS and index size, median of per-pair ratios
  ab       the 200 queries (strict mode) and the questions (website mode) against two builds
           (this one and --baseline BIN), each serving the index it made, interleaved A B A B ...
Results: WORK/results.jsonl (one JSON object per measurement) and WORK/summary-<size>.md.
Everything runs under `nice -n 10`; HTTP goes to 127.0.0.1 only.
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.request
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PUBSEARCH = os.environ.get("PUBSEARCH_BIN", os.path.join(REPO, "target", "release", "pubsearch"))
PEERS = os.path.join(HERE, "peers", "target", "release", "peers")
GEN = os.path.join(HERE, "gen_library", "target", "release", "gen_library")
XAPIAN_PY = os.path.join(HERE, "peers", "xapian_query.py")
SYS_PYTHON = os.environ.get("XAPIAN_PYTHON", "/usr/bin/python3")  # python3-xapian is a Debian package
NICE = ["nice", "-n", os.environ.get("BENCH_NICE", "10")]

RESULTS = None


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def record(obj):
    obj = dict(obj)
    obj["time"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    obj["loadavg"] = os.getloadavg()
    with open(RESULTS, "a") as f:
        f.write(json.dumps(obj) + "\n")
    return obj


def run_measured(cmd, stdout=subprocess.DEVNULL, env=None, cwd=None):
    """Runs cmd; returns (wall s, cpu s of the whole process tree, peak RSS MB of the largest process, rc)."""
    t = time.perf_counter()
    p = subprocess.Popen(NICE + cmd, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=cwd)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        log(f"command failed ({p.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, p.returncode, err


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# ------------------------------------------------------------------ generation

def lib_paths(work, size):
    base = os.path.join(work, size)
    return base, os.path.join(base, "library"), os.path.join(base, "queries.jsonl")


def step_gen(work, size):
    base, lib, _ = lib_paths(work, size)
    if os.path.exists(os.path.join(base, "manifest.json")):
        log(f"[gen] {size}: exists")
        return json.load(open(os.path.join(base, "manifest.json")))
    if os.path.exists(base):
        shutil.rmtree(base)
    wall, cpu, rss, rc, err = run_measured([GEN, "--size", size, "--out", base])
    if rc != 0:
        sys.exit("generation failed")
    m = json.load(open(os.path.join(base, "manifest.json")))
    record({"step": "gen", "size": size, "wall_s": wall, "cpu_s": cpu, "peak_rss_mb": rss, **m})
    log(f"[gen] {size}: {m['publications']} publications, {m['pages']} pages in {wall:.1f} s")
    return m


# ------------------------------------------------------------------ extraction

WORD = re.compile(r"[^\W_]+")


def bag(text):
    return Counter(WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def sample_pdfs(lib, target_pages):
    pdfs = sorted(
        os.path.join(r, f) for r, _, fs in os.walk(lib) for f in fs if f.endswith(".pdf")
    )
    # Every k-th file, deterministic; enough files for about target_pages pages.
    step = max(1, len(pdfs) // 60)
    return pdfs[::step][:60]


def extract_batch(kind, files, outdir):
    os.makedirs(outdir, exist_ok=True)
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    for i, f in enumerate(files):
        out = os.path.join(outdir, f"{i}.txt")
        with open(out, "wb") as fh:
            if kind == "pdftotext":
                cmd = ["pdftotext", "-q", f, "-"]
            else:
                cmd = [PUBSEARCH, "-q", "extract", "--engine", kind, f]
            subprocess.run(NICE + cmd, stdout=fh, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0, children_cpu() - cpu0


def page_f1(ours_dir, ref_dir, n):
    common = got_n = ref_n = 0
    per_page = []
    pages = 0
    for i in range(n):
        a = open(os.path.join(ours_dir, f"{i}.txt"), encoding="utf-8", errors="replace").read()
        b = open(os.path.join(ref_dir, f"{i}.txt"), encoding="utf-8", errors="replace").read()
        pa, pb = a.split("\f"), b.split("\f")
        while pb and not pb[-1].strip():
            pb.pop()
        while pa and not pa[-1].strip():
            pa.pop()
        for k in range(max(len(pa), len(pb))):
            g = bag(pa[k]) if k < len(pa) else Counter()
            r = bag(pb[k]) if k < len(pb) else Counter()
            c = sum((g & r).values())
            sg, sr = sum(g.values()), sum(r.values())
            common, got_n, ref_n = common + c, got_n + sg, ref_n + sr
            if sg and sr and c:
                p, rc = c / sg, c / sr
                per_page.append(2 * p * rc / (p + rc))
            else:
                per_page.append(1.0 if not sg and not sr else 0.0)
            pages += 1
    p, r = common / max(got_n, 1), common / max(ref_n, 1)
    return {
        "pages": pages,
        "micro_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "mean_page_f1": statistics.mean(per_page) if per_page else 0.0,
        "min_page_f1": min(per_page) if per_page else 0.0,
        "pages_below_095": sum(1 for x in per_page if x < 0.95),
    }


def step_extract(work, size, pairs, engines):
    _, lib, _ = lib_paths(work, size)
    files = sample_pdfs(lib, 1500)
    tmp = os.path.join(work, "extract-tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    # Page count from pdftotext's form feeds (done once, untimed).
    extract_batch("pdftotext", files, os.path.join(tmp, "ref"))
    pages = 0
    for i in range(len(files)):
        t = open(os.path.join(tmp, "ref", f"{i}.txt"), encoding="utf-8", errors="replace").read()
        pages += len([p for p in t.split("\f") if p.strip()])
    log(f"[extract] {size}: {len(files)} files, {pages} pages, {pairs} pairs")
    summary = {}
    for engine in engines:
        ratios, ours_pps, ref_pps = [], [], []
        for i in range(pairs):
            w_a, c_a = extract_batch(engine, files, os.path.join(tmp, engine))
            w_b, c_b = extract_batch("pdftotext", files, os.path.join(tmp, "ref"))
            a, b = pages / c_a, pages / c_b
            ours_pps.append(a)
            ref_pps.append(b)
            ratios.append(a / b)
            record({"step": "extract", "size": size, "pair": i, "engine": engine, "files": len(files),
                    "pages": pages, "ours_wall_s": w_a, "ours_cpu_s": c_a, "pdftotext_wall_s": w_b,
                    "pdftotext_cpu_s": c_b, "ours_pages_per_cpu_s": a, "pdftotext_pages_per_cpu_s": b,
                    "ratio": a / b})
            log(f"[extract] pair {i} {engine}: ours {a:.0f} p/s/core, pdftotext {b:.0f} p/s/core, ratio {a / b:.2f}")
        f1 = page_f1(os.path.join(tmp, engine), os.path.join(tmp, "ref"), len(files))
        summary[engine] = {"ours_pps_core": median(ours_pps), "pdftotext_pps_core": median(ref_pps),
                           "ratio_median": median(ratios), "ratios": ratios, **f1}
        record({"step": "extract-summary", "size": size, "engine": engine, **summary[engine]})
        log(f"[extract] {engine}: median ratio {median(ratios):.2f}; F1 micro {f1['micro_f1']:.4f}")
    return summary


# ------------------------------------------------------------------ indexing

def pubsearch_index(lib, idx, full=False, jobs=None, binary=None):
    cmd = [binary or PUBSEARCH, "-q", "--index", idx, "index", "--corpus", lib, "--json"]
    if full:
        cmd.append("--full")
    if jobs:
        cmd += ["--jobs", str(jobs)]
    out = tempfile.TemporaryFile()
    wall, cpu, rss, rc, err = run_measured(cmd, stdout=out)
    out.seek(0)
    rep = out.read().decode("utf-8", "replace")
    try:
        report = json.loads(rep) if rep.strip() else {}
    except ValueError:
        report = {"raw": rep[-500:]}
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": rss, "rc": rc, "report": report}


def omindex(lib, db):
    return run_measured(["omindex", "--db", db, "--url", "/", "-Mtoml:ignore", "-Mjsonl:ignore",
                         "-Mjson:ignore", lib])


def step_index(work, size, pairs):
    base, lib, _ = lib_paths(work, size)
    ratios_wall, ratios_cpu = [], []
    rows = []
    for i in range(pairs):
        idx = os.path.join(base, "pubsearch-index")
        shutil.rmtree(idx, ignore_errors=True)
        a = pubsearch_index(lib, idx)
        a["index_bytes"] = du(idx)
        db = os.path.join(base, "xapian-db")
        shutil.rmtree(db, ignore_errors=True)
        w, c, rss, rc, _ = omindex(lib, db)
        b = {"wall_s": w, "cpu_s": c, "peak_rss_mb": rss, "rc": rc, "index_bytes": du(db)}
        ratios_wall.append(a["wall_s"] / b["wall_s"])
        ratios_cpu.append(a["cpu_s"] / b["cpu_s"])
        rows.append((a, b))
        record({"step": "index", "size": size, "pair": i, "pubsearch": a, "omindex": b,
                "ratio_wall": ratios_wall[-1], "ratio_cpu": ratios_cpu[-1]})
        log(f"[index] pair {i}: pubsearch {a['wall_s']:.1f} s wall / {a['cpu_s']:.1f} s CPU / {a['peak_rss_mb']:.0f} MB;"
            f" omindex {w:.1f} s / {c:.1f} s / {rss:.0f} MB")
    s = {"ratio_wall_median": median(ratios_wall), "ratio_cpu_median": median(ratios_cpu),
         "pubsearch_wall_median": median([r[0]["wall_s"] for r in rows]),
         "pubsearch_cpu_median": median([r[0]["cpu_s"] for r in rows]),
         "pubsearch_rss_max": max(r[0]["peak_rss_mb"] for r in rows),
         "pubsearch_bytes": rows[-1][0]["index_bytes"],
         "omindex_wall_median": median([r[1]["wall_s"] for r in rows]),
         "omindex_cpu_median": median([r[1]["cpu_s"] for r in rows]),
         "omindex_rss_max": max(r[1]["peak_rss_mb"] for r in rows),
         "omindex_bytes": rows[-1][1]["index_bytes"]}
    record({"step": "index-summary", "size": size, **s})
    return s


def step_abindex(work, size, pairs, baseline):
    """This build against the baseline build, each making a fresh index, interleaved A B A B."""
    base, lib, _ = lib_paths(work, size)
    ratios = {"wall_s": [], "cpu_s": [], "peak_rss_mb": [], "index_bytes": []}
    for i in range(pairs):
        runs = {}
        for name, binary in (("head", None), ("base", baseline)):
            idx = os.path.join(base, "pubsearch-index" if name == "head" else "pubsearch-index-base")
            shutil.rmtree(idx, ignore_errors=True)
            r = pubsearch_index(lib, idx, binary=binary)
            r["index_bytes"] = du(idx)
            runs[name] = r
        for k in ratios:
            ratios[k].append(runs["head"][k] / runs["base"][k])
        record({"step": "abindex", "size": size, "pair": i,
                **{n: {k: r[k] for k in ratios} for n, r in runs.items()}})
        log(f"[abindex] pair {i}: head {runs['head']['wall_s']:.1f} s / {runs['head']['index_bytes'] / 1e6:.1f} MB;"
            f" base {runs['base']['wall_s']:.1f} s / {runs['base']['index_bytes'] / 1e6:.1f} MB")
    s = {f"ratio_{k}_median": median(v) for k, v in ratios.items()}
    record({"step": "abindex-summary", "size": size, **s})
    return s


# ------------------------------------------------------------------ queries

class Server:
    def __init__(self, idx, lib, port, binary=None):
        self.addr = f"127.0.0.1:{port}"
        self.p = subprocess.Popen(NICE + [binary or PUBSEARCH, "-q", "--index", idx, "serve", "--corpus", lib,
                                          "--addr", self.addr],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://{self.addr}/api/stats", timeout=2) as r:
                    self.stats = json.loads(r.read())
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not come up")

    def rss(self):
        out = {}
        for line in open(f"/proc/{self.p.pid}/status"):
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS"):
                out[k] = int(v.split()[0]) / 1024.0
        # `nice` execs the server, so the pid is the server's own.
        return out

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def peer_query(engine, target, queries, clients, passes, warmup, counts_only=False, label=None):
    if engine == "xapian":
        cmd = [SYS_PYTHON, XAPIAN_PY, "--db", target, "--queries", queries]
    else:
        cmd = [PEERS, "query", "--engine", engine, "--target", target, "--queries", queries]
    cmd += ["--clients", str(clients), "--passes", str(passes), "--warmup", str(warmup)]
    if counts_only:
        cmd.append("--counts-only")
    if label:
        cmd += ["--label", label]
    r = subprocess.run(NICE + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{engine}: {r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def compare_counts(qs, ref, other):
    same = sum(1 for a, b in zip(ref, other) if a == b)
    by_kind = {}
    for q, a, b in zip(qs, ref, other):
        k = by_kind.setdefault(q["kind"], {"equal": 0, "higher": 0, "lower": 0})
        k["equal" if a == b else ("higher" if b > a else "lower")] += 1
    diffs = [{"id": q["id"], "q": q["q"], "pubsearch": a, "peer": b}
             for q, a, b in zip(qs, ref, other) if a != b][:12]
    return {"equal": same, "of": len(ref), "by_kind": by_kind, "examples": diffs}


def step_query(work, size, pairs, port, engines):
    base, lib, qfile = lib_paths(work, size)
    idx = os.path.join(base, "pubsearch-index")
    if not os.path.exists(idx):
        a = pubsearch_index(lib, idx)
        record({"step": "index-once", "size": size, **a})
    xdb = os.path.join(base, "xapian-db")
    if "xapian" in engines and not os.path.exists(xdb):
        omindex(lib, xdb)
    fts = os.path.join(base, "fts5.db")
    r = subprocess.run(NICE + [PEERS, "build-fts5", "--from", idx, "--out", fts], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(r.stderr)
    record({"step": "build", "size": size, **json.loads(r.stdout)})
    tpeer = os.path.join(base, "tantivy-peer")
    shutil.rmtree(tpeer, ignore_errors=True)
    r = subprocess.run(NICE + [PEERS, "build-tantivy", "--from", idx, "--out", tpeer], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(r.stderr)
    record({"step": "build", "size": size, **json.loads(r.stdout)})
    qs = [json.loads(l) for l in open(qfile) if l.strip()]
    srv = Server(idx, lib, port)
    try:
        targets = {"http": srv.addr, "tantivy": idx, "tantivy-full": idx, "tantivy-own": tpeer,
                   "fts5": fts, "fts5-nosnip": fts, "xapian": xdb}
        eng_of = {"tantivy-own": "tantivy"}
        # 1. hit counts, untimed
        counts = {}
        for e in ["http"] + [e for e in engines if e != "http"] + ["tantivy-own"]:
            counts[e] = peer_query(eng_of.get(e, e), targets[e], qfile, 1, 0, 0, counts_only=True)["counts"]
        check = {e: compare_counts(qs, counts["http"], c) for e, c in counts.items() if e != "http"}
        record({"step": "counts", "size": size, "check": check, "counts": counts})
        for e, c in check.items():
            log(f"[counts] {e}: {c['equal']}/{c['of']} equal to pubsearch; {c['by_kind']}")
        # 2. timing, interleaved rounds
        out = {}
        for clients in (1, 8):
            passes, warmup = (3, 1) if clients == 1 else (1, 0)
            runs = {e: [] for e in engines}
            for i in range(pairs):
                order = engines if i % 2 == 0 else list(reversed(engines))
                for e in order:
                    res = peer_query(eng_of.get(e, e), targets[e], qfile, clients, passes, warmup, label=e)
                    res.pop("counts", None)
                    runs[e].append(res)
                    record({"step": "query", "size": size, "round": i, **res})
                    log(f"[query] c={clients} round {i} {e}: p50 {res['p50_ms']:.3f} p99 {res['p99_ms']:.3f} qps {res['qps']:.0f}")
            summ = {}
            for e in engines:
                summ[e] = {m: median([r[m] for r in runs[e]]) for m in ("p50_ms", "p99_ms", "qps")}
                summ[e]["per_kind_p50_ms"] = {k: median([r["per_kind_p50_ms"].get(k) for r in runs[e]])
                                              for k in runs[e][0]["per_kind_p50_ms"]}
            ratios = {}
            for e in engines:
                if e == "http":
                    continue
                ratios[f"http/{e}"] = {
                    m: median([a[m] / b[m] for a, b in zip(runs["http"], runs[e]) if b[m]])
                    for m in ("p50_ms", "p99_ms", "qps")}
            out[clients] = {"engines": summ, "ratios": ratios}
            record({"step": "query-summary", "size": size, "clients": clients, **out[clients]})
        out["server_rss_mb"] = srv.rss()
        out["counts"] = check
        record({"step": "server-rss", "size": size, **out["server_rss_mb"]})
        return out
    finally:
        srv.stop()


# ------------------------------------------------------------------ long questions

# Words people put around the content words of a question. All of them are among the most
# frequent words of the generated text (gen_library/src/common_words.rs), as function words are
# in real text; most are stop words for pubsearch and none is for Xapian.
OPENERS = ["what is the", "what are the", "how do", "how can we", "where can i find", "is there any",
           "why do", "which", "who can help with", "what help is there for", "how does the",
           "can you tell me about"]
LINKS = ["of the", "for", "in", "and", "with", "about", "to", "on the", "from", "between", "that",
         "by", "when", "after", "in the", "for their", "or", "into", "as"]
# Frequent content words of the generated text (ranks under 150, so absent from queries.jsonl).
TOPICAL = ["people", "work", "local", "support", "community", "public", "services", "children",
           "families", "rights", "access", "report", "national", "government", "group", "help"]
LONG_QUERIES = 100


def long_queries(qfile, out, n=LONG_QUERIES, seed=42):
    """Writes n questions of 8-25 words to out (same format as queries.jsonl, kind "long",
    mode "website"), deterministically from the words of qfile's queries."""
    import random
    qs = [json.loads(l) for l in open(qfile) if l.strip()]
    pool = sorted({t for q in qs for t in q["terms"] if t.isalpha()})
    rng = random.Random(seed)
    with open(out, "w") as f:
        for i in range(n):
            length = rng.randint(8, 25)
            words = rng.choice(OPENERS).split()
            while len(words) < length:
                k = rng.randint(1, 2)
                for _ in range(k):
                    words.append(rng.choice(TOPICAL) if rng.random() < 0.3 else rng.choice(pool))
                if len(words) < length - 1:
                    words += rng.choice(LINKS).split()
            words = words[:length]
            while words[-1] in {w for l in LINKS for w in l.split()}:
                words[-1] = rng.choice(pool)
            text = " ".join(words)
            if rng.random() < 0.5:
                text += "?"
            f.write(json.dumps({"id": i, "kind": "long", "q": text, "terms": words, "phrase": False,
                                "type": None, "year_from": None, "year_to": None, "mode": "website",
                                "note": f"{length} words"}) + "\n")
    return out


def interleaved(size, label, qfile, engines, targets, pairs, step):
    """Every engine once per round, alternating order, 1 and 8 clients; medians over rounds and
    medians of the per-round ratios of the first engine to each other one."""
    out = {}
    for clients in (1, 8):
        passes, warmup = (3, 1) if clients == 1 else (1, 0)
        runs = {e: [] for e in engines}
        for i in range(pairs):
            order = engines if i % 2 == 0 else list(reversed(engines))
            for e in order:
                eng = "http" if e.startswith("http") else e
                res = peer_query(eng, targets[e], qfile, clients, passes, warmup, label=e)
                res.pop("counts", None)
                runs[e].append(res)
                record({"step": step, "size": size, "queries": label, "round": i, **res})
                log(f"[{step}] {label} c={clients} round {i} {e}: p50 {res['p50_ms']:.3f} p99 {res['p99_ms']:.3f} qps {res['qps']:.0f}")
        summ = {e: {m: median([r[m] for r in runs[e]]) for m in ("p50_ms", "p99_ms", "qps")} for e in engines}
        first = engines[0]
        ratios = {f"{first}/{e}": {m: median([a[m] / b[m] for a, b in zip(runs[first], runs[e]) if b[m]])
                                   for m in ("p50_ms", "p99_ms", "qps")}
                  for e in engines[1:]}
        out[clients] = {"engines": summ, "ratios": ratios}
        record({"step": f"{step}-summary", "size": size, "queries": label, "clients": clients, **out[clients]})
        for k, v in ratios.items():
            log(f"[{step}] {label} c={clients} {k}: p50 {v['p50_ms']:.2f} p99 {v['p99_ms']:.2f} qps {v['qps']:.2f}"
                f" (load {os.getloadavg()[0]:.1f})")
    return out


def step_long(work, size, pairs, port, baseline=None, ab=False):
    base, lib, qfile = lib_paths(work, size)
    idx = os.path.join(base, "pubsearch-index")
    xdb = os.path.join(base, "xapian-db")
    if not os.path.exists(idx):
        a = pubsearch_index(lib, idx)
        record({"step": "index-once", "size": size, **a})
    if not ab and not os.path.exists(xdb):
        omindex(lib, xdb)
    lfile = long_queries(qfile, os.path.join(base, "queries-long.jsonl"))
    # The baseline serves an index it made itself: the two builds' index formats may differ.
    base_idx = os.path.join(base, "pubsearch-index-base")
    if baseline and not os.path.exists(base_idx):
        pubsearch_index(lib, base_idx, binary=baseline)
    servers = [Server(idx, lib, port)]
    try:
        targets = {"http": servers[0].addr, "xapian": xdb}
        if baseline:
            servers.append(Server(base_idx, lib, port + 2, binary=baseline))
            targets["http-base"] = servers[1].addr
        engines = ["http"] + (["http-base"] if baseline else []) + ([] if ab else ["xapian"])
        # Hit counts, untimed: a build against its baseline must agree; Xapian's OR has no
        # stop words, so it matches more.
        sets = [("long", lfile)] + ([("200", qfile)] if ab else [])
        out = {}
        for label, f in sets:
            counts = {e: peer_query("http" if e.startswith("http") else e, targets[e], f, 1, 0, 0,
                                    counts_only=True)["counts"] for e in engines}
            qs = [json.loads(l) for l in open(f) if l.strip()]
            check = {e: compare_counts(qs, counts["http"], c) for e, c in counts.items() if e != "http"}
            record({"step": "counts", "size": size, "queries": label, "check": check, "counts": counts})
            for e, c in check.items():
                log(f"[counts] {label} {e}: {c['equal']}/{c['of']} equal to pubsearch; {c['by_kind']}")
            out[label] = interleaved(size, label, f, engines, targets, pairs, "ab" if ab else "long")
        return out
    finally:
        for s in servers:
            s.stop()


# ------------------------------------------------------------------ scaling

def step_scale(work, size, port):
    base, lib, qfile = lib_paths(work, size)
    idx = os.path.join(base, "pubsearch-index")
    shutil.rmtree(idx, ignore_errors=True)
    a = pubsearch_index(lib, idx)
    a["index_bytes"] = du(idx)
    record({"step": "scale-index", "size": size, **a})
    log(f"[scale] {size}: index {a['wall_s']:.1f} s wall, {a['cpu_s']:.1f} s CPU, {a['peak_rss_mb']:.0f} MB, {a['index_bytes'] / 1e6:.0f} MB")
    res = {"index": a}
    srv = Server(idx, lib, port)
    try:
        for clients in (1, 8):
            passes, warmup = (3, 1) if clients == 1 else (1, 0)
            q = peer_query("http", srv.addr, qfile, clients, passes, warmup, label="http")
            q.pop("counts", None)
            res[f"http_c{clients}"] = q
            record({"step": "scale-query", "size": size, **q})
        res["server_rss_mb"] = srv.rss()
        record({"step": "scale-server-rss", "size": size, **res["server_rss_mb"]})
    finally:
        srv.stop()
    if size.upper() == "L" or os.environ.get("BENCH_REINDEX"):
        res.update(step_reindex(work, size))
    return res

def step_reindex(work, size):
    """A no-op reindex (3 times) and a one-changed-file reindex on an existing index."""
    base, lib, _ = lib_paths(work, size)
    idx = os.path.join(base, "pubsearch-index")
    res = {}
    noop = [pubsearch_index(lib, idx) for _ in range(3)]
    res["noop"] = noop
    record({"step": "reindex-noop", "size": size, "runs": noop})
    pdfs = sorted(os.path.join(r, f) for r, _, fs in os.walk(lib) for f in fs if f.endswith(".pdf"))
    victim = pdfs[len(pdfs) // 2]
    backup = victim + ".orig"
    shutil.copy2(victim, backup)
    try:
        # New bytes (a PDF comment after %%EOF): new size, hash and mtime, the same text, so
        # the file is re-extracted and its publication replaced.
        with open(victim, "ab") as f:
            f.write(b"\n% changed by compare.py\n")
        one = pubsearch_index(lib, idx)
    finally:
        shutil.move(backup, victim)
    again = pubsearch_index(lib, idx)  # back to the library's own state
    res["one_changed"] = one
    record({"step": "reindex-one-changed", "size": size, "file": os.path.relpath(victim, lib),
            "run": one, "restore_run": again})
    log(f"[reindex] no-op {[round(n['wall_s'], 2) for n in noop]} s; one changed {one['wall_s']:.2f} s;"
        f" restore {again['wall_s']:.2f} s")
    return res


# ------------------------------------------------------------------ report

def fmt(x, nd=2):
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def report(work):
    """Markdown tables from WORK/results.jsonl (the last summary of each kind per size)."""
    rows = [json.loads(l) for l in open(os.path.join(work, "results.jsonl")) if l.strip()]
    last = {}
    for r in rows:
        key = (r["step"], r.get("size"), r.get("clients"), r.get("engine"), r.get("queries"))
        last[key] = r
    out = []
    ex = [r for k, r in last.items() if k[0] == "extract-summary"]
    if ex:
        out.append("| size | engine | pages | ours p/s/core | pdftotext p/s/core | ratio (median of pairs) | per-pair ratios | F1 micro | F1 mean page | F1 min page | pages F1<0.95 |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in ex:
            out.append(f"| {r['size']} | {r['engine']} | {r['pages']} | {r['ours_pps_core']:.0f} | {r['pdftotext_pps_core']:.0f} | "
                       f"**{r['ratio_median']:.2f}** | {', '.join(f'{x:.2f}' for x in r['ratios'])} | {r['micro_f1']:.4f} | "
                       f"{r['mean_page_f1']:.4f} | {r['min_page_f1']:.4f} | {r['pages_below_095']} |")
        out.append("")
    ix = [r for r in rows if r["step"] == "index"]
    if ix:
        out.append("| size | pair | pubsearch wall s | CPU s | peak RSS MB | index MB | omindex wall s | CPU s | peak RSS MB | index MB | wall ratio | CPU ratio | load |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in ix:
            a, b = r["pubsearch"], r["omindex"]
            out.append(f"| {r['size']} | {r['pair']} | {a['wall_s']:.1f} | {a['cpu_s']:.1f} | {a['peak_rss_mb']:.0f} | {a['index_bytes'] / 1e6:.0f} | "
                       f"{b['wall_s']:.1f} | {b['cpu_s']:.1f} | {b['peak_rss_mb']:.0f} | {b['index_bytes'] / 1e6:.0f} | "
                       f"{r['ratio_wall']:.2f} | {r['ratio_cpu']:.2f} | {r['loadavg'][0]:.1f} |")
        out.append("")
    qs = [r for k, r in last.items() if k[0] == "query-summary"]
    for r in qs:
        out.append(f"**{r['size']}, {r['clients']} client(s)** (medians over rounds)\n")
        out.append("| engine | p50 ms | p99 ms | qps | term p50 | and p50 | phrase p50 | filter p50 |")
        out.append("|---|---|---|---|---|---|---|---|")
        for e, v in r["engines"].items():
            k = v["per_kind_p50_ms"]
            out.append(f"| {e} | {fmt(v['p50_ms'], 3)} | {fmt(v['p99_ms'], 3)} | {fmt(v['qps'], 0)} | {fmt(k.get('term'), 3)} | "
                       f"{fmt(k.get('and'), 3)} | {fmt(k.get('phrase'), 3)} | {fmt(k.get('filter'), 3)} |")
        out.append("")
        out.append("| ratio (median of per-round ratios) | p50 | p99 | qps |")
        out.append("|---|---|---|---|")
        for e, v in r["ratios"].items():
            out.append(f"| {e} | {fmt(v['p50_ms'])} | {fmt(v['p99_ms'])} | {fmt(v['qps'])} |")
        out.append("")
    for r in [r for k, r in last.items() if k[0] in ("long-summary", "ab-summary")]:
        out.append(f"**{r['step'][:-8]}: {r['size']}, queries {r['queries']}, {r['clients']} client(s)**"
                   f" (medians over rounds; load {r['loadavg'][0]:.1f} at the end)\n")
        out.append("| engine | p50 ms | p99 ms | qps |")
        out.append("|---|---|---|---|")
        for e, v in r["engines"].items():
            out.append(f"| {e} | {fmt(v['p50_ms'], 3)} | {fmt(v['p99_ms'], 3)} | {fmt(v['qps'], 0)} |")
        out.append("")
        out.append("| ratio (median of per-round ratios) | p50 | p99 | qps |")
        out.append("|---|---|---|---|")
        for e, v in r["ratios"].items():
            out.append(f"| {e} | {fmt(v['p50_ms'])} | {fmt(v['p99_ms'])} | {fmt(v['qps'])} |")
        out.append("")
    cs = [r for k, r in last.items() if k[0] == "counts" and not k[4]]
    for r in cs:
        out.append(f"**Hit counts vs pubsearch, {r['size']}**: " + "; ".join(
            f"{e} {c['equal']}/{c['of']} equal" for e, c in r["check"].items()))
        out.append("")
    print("\n".join(out))


def main():
    global RESULTS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", help="S, M or L")
    ap.add_argument("--report", action="store_true", help="print markdown tables from WORK/results.jsonl and exit")
    ap.add_argument("--steps", default="gen,extract,index,query")
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--index-pairs", type=int, default=None, help="pairs for the index step (default --pairs)")
    ap.add_argument("--work", default=os.environ.get("BENCH_WORK", os.path.join(tempfile.gettempdir(), "pubsearch-bench")))
    ap.add_argument("--port", type=int, default=18931)
    ap.add_argument("--engines", default="http,tantivy-full,tantivy,fts5,fts5-nosnip,xapian")
    ap.add_argument("--extract-engines", default="auto")
    ap.add_argument("--baseline", help="another pubsearch build, for the long, abindex and ab steps")
    a = ap.parse_args()
    if not a.report and not (os.path.isfile(PUBSEARCH) and os.access(PUBSEARCH, os.X_OK)):
        # Checked before any step deletes an index it would then fail to rebuild.
        sys.exit(f"compare.py: {PUBSEARCH} is not an executable file (set PUBSEARCH_BIN, or cargo build --release)")
    if a.report:
        report(a.work)
        return
    if not a.size:
        ap.error("--size is required")
    os.makedirs(a.work, exist_ok=True)
    RESULTS = os.path.join(a.work, "results.jsonl")
    for b in (PUBSEARCH, PEERS, GEN):
        if not os.path.exists(b):
            sys.exit(f"missing {b}: run benches/setup.sh first")
    steps = a.steps.split(",")
    engines = a.engines.split(",")
    record({"step": "start", "size": a.size, "steps": steps, "nproc": os.cpu_count(), "argv": sys.argv[1:]})
    summary = {}
    if "gen" in steps:
        summary["gen"] = step_gen(a.work, a.size)
    if "extract" in steps:
        summary["extract"] = step_extract(a.work, a.size, a.pairs, a.extract_engines.split(","))
    if "index" in steps:
        summary["index"] = step_index(a.work, a.size, a.index_pairs or a.pairs)
    if "query" in steps:
        summary["query"] = step_query(a.work, a.size, a.pairs, a.port, engines)
    if "long" in steps:
        summary["long"] = step_long(a.work, a.size, a.pairs, a.port + 3, a.baseline)
    if "abindex" in steps:
        if not a.baseline:
            ap.error("--steps abindex needs --baseline")
        summary["abindex"] = step_abindex(a.work, a.size, a.index_pairs or a.pairs, a.baseline)
    if "ab" in steps:
        if not a.baseline:
            ap.error("--steps ab needs --baseline")
        summary["ab"] = step_long(a.work, a.size, a.pairs, a.port + 3, a.baseline, ab=True)
    if "scale" in steps:
        summary["scale"] = step_scale(a.work, a.size, a.port + 1)
    elif "reindex" in steps:
        summary["reindex"] = step_reindex(a.work, a.size)
    path = os.path.join(a.work, f"summary-{a.size}.json")
    json.dump(summary, open(path, "w"), indent=1, default=str)
    log(f"summary: {path}; all measurements: {RESULTS}")


if __name__ == "__main__":
    main()
