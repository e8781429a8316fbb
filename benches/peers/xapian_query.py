#!/usr/bin/python3
"""Xapian (python3-xapian, in-process) over an omindex database: the same 200 queries.

Usage: xapian_query.py --db DIR --queries FILE [--clients N] [--passes N] [--warmup N]
                       [--counts-only] [--label TEXT]

Prints one JSON line in the same format as `peers query`.
Query: QueryParser(english stemmer, STEM_SOME, default AND) over the body and title, phrases as
typed; a query line with "mode": "website" (a natural-language question) is parsed with default
OR instead, Xapian's own default, with no stopper; type filter = OP_FILTER on the directory term
omindex derives (P/<type>, see below),
year range = OP_FILTER on OR(Y<year>...) (omindex adds Y terms from the file's mtime, which the
generator sets to the publication date). One timed query = top 10 (exact count:
checkatleast = document count) + document data + MSet.snippet() of the stored sample.
With N > 1 clients, N forked processes each open the database (Python has one GIL).
"""
import argparse
import json
import multiprocessing as mp
import os
import time

import xapian


def build(db, q, qp):
    text = q["q"]
    query = qp.parse_query(text, xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_DEFAULT)
    filters = []
    if q.get("type"):
        filters.append(xapian.Query(TYPE_PREFIX + q["type"]))
    if q.get("year_from") is not None or q.get("year_to") is not None:
        a = q.get("year_from") or 2004
        b = q.get("year_to") or 2026
        filters.append(xapian.Query(xapian.Query.OP_OR, [xapian.Query("Y%d" % y) for y in range(a, b + 1)]))
    for f in filters:
        query = xapian.Query(xapian.Query.OP_FILTER, query, f)
    return query, text


TYPE_PREFIX = os.environ.get("XAPIAN_TYPE_PREFIX", "P/")


class Client:
    def __init__(self, path):
        self.db = xapian.Database(path)
        self.n = self.db.get_doccount()
        self.qp = xapian.QueryParser()
        self.qp.set_database(self.db)
        self.qp.set_stemmer(xapian.Stem("english"))
        self.qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        self.enq = xapian.Enquire(self.db)

    def run(self, q):
        natural = q.get("mode") == "website"
        self.qp.set_default_op(xapian.Query.OP_OR if natural else xapian.Query.OP_AND)
        query, text = build(self.db, q, self.qp)
        self.enq.set_query(query)
        mset = self.enq.get_mset(0, 10, self.n)
        sink = 0
        for m in mset:
            data = m.document.get_data().decode("utf-8", "replace")
            sample = ""
            for line in data.split("\n"):
                if line.startswith("sample="):
                    sample = line[7:]
                elif line.startswith("caption="):
                    sink += len(line)
            sink += len(mset.snippet(sample, 200))
        return mset.get_matches_estimated()


def worker(args):
    path, queries, passes, warmup, offset = args
    c = Client(path)
    n = len(queries)
    for _ in range(warmup):
        for k in range(n):
            c.run(queries[(k + offset) % n])
    lat = []
    start = time.perf_counter()
    for _ in range(passes):
        for k in range(n):
            qi = (k + offset) % n
            t = time.perf_counter()
            c.run(queries[qi])
            lat.append((qi, (time.perf_counter() - t) * 1e3))
    return lat, time.perf_counter() - start


def pct(xs, p):
    if not xs:
        return float("nan")
    return xs[round((len(xs) - 1) * p)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--clients", type=int, default=1)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--counts-only", action="store_true")
    ap.add_argument("--label", default="xapian")
    a = ap.parse_args()
    queries = [json.loads(l) for l in open(a.queries) if l.strip()]
    c = Client(a.db)
    counts = [c.run(q) for q in queries]
    if a.counts_only:
        print(json.dumps({"engine": a.label, "counts": counts}))
        return
    n = len(queries)
    jobs = [(a.db, queries, a.passes, a.warmup, ci * n // a.clients) for ci in range(a.clients)]
    t0 = time.perf_counter()
    if a.clients == 1:
        results = [worker(jobs[0])]
    else:
        with mp.get_context("fork").Pool(a.clients) as pool:
            results = pool.map(worker, jobs)
    total_wall = time.perf_counter() - t0
    lat = [x for r in results for x in r[0]]
    wall = max(r[1] for r in results)
    ms = sorted(x[1] for x in lat)
    kinds = {}
    for qi, t in lat:
        kinds.setdefault(queries[qi]["kind"], []).append(t)
    print(json.dumps({
        "engine": a.label, "clients": a.clients, "passes": a.passes, "samples": len(ms),
        "p50_ms": round(pct(ms, 0.5), 4), "p99_ms": round(pct(ms, 0.99), 4),
        "mean_ms": round(sum(ms) / len(ms), 4), "qps": round(len(ms) / wall, 1),
        "wall_s": round(wall, 3), "total_wall_s": round(total_wall, 3),
        "per_kind_p50_ms": {k: round(pct(sorted(v), 0.5), 4) for k, v in sorted(kinds.items())},
        "counts": counts,
    }))


if __name__ == "__main__":
    main()
