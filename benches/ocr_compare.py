#!/usr/bin/python3
"""OCR side by side: pubsearch's OCR (`pubsearch extract`, OCR of pages without a text layer)
against `ocrmypdf --sidecar` on the same scans, in one run, interleaved.

Scans with known text are made here: pages of born-digital PDFs of `corpus/` rendered by
pdftoppm (grey, JPEG, as a scanner or photocopier would give them) and wrapped into image-only
PDFs with img2pdf (Debian `python3-img2pdf`, installed with ocrmypdf). The known text of a page
is pdftotext's text of the original page. Optional extra scans without known text (e.g. the
real-world set's `self__scanned-report.pdf`) are reported by words read and agreement.

Measures, per engine: pages per CPU-second (user + system of every process it ran) and word
F1 against the known text (NFKC, lower case, runs of letters and digits). Prints the median
over rounds of the ratio pubsearch / ocrmypdf. ocrmypdf runs with `--skip-text` (pages with a
text layer are left alone, as pubsearch's `--ocr auto` does) and `--optimize 0` (its output PDF
is not needed here); it also writes a PDF, which pubsearch does not.

Usage: benches/ocr_compare.py --bin target/release/pubsearch [--rounds 3] [--dpi 150]
           [--pages 2] [--extra FILE.pdf ...]
Needs: poppler-utils, tesseract-ocr (+ eng), ocrmypdf, python3-img2pdf.
"""
import argparse
import collections
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Publications of the sample corpus whose first pages become the scans: reports, a newsletter,
# a guide, a book chapter.
SOURCES = [
    "2006-01-losing-out-twice.pdf",
    "2009-07-mrcf-newsletter-july-2009.pdf",
    "2010-03-good-practice-guide-accessing-health.pdf",
    "2009-12-strangers-or-citizens.pdf",
]
WORD = re.compile(r"[^\W_]+")


def bag(text):
    return collections.Counter(WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def f1(ref, got):
    common = sum((ref & got).values())
    if not ref and not got:
        return 1.0
    if not common:
        return 0.0
    p, r = common / sum(got.values()), common / sum(ref.values())
    return 2 * p * r / (p + r)


def cpu_of(cmd, **kw):
    """Runs cmd; returns (CompletedProcess, CPU seconds of its process tree, wall seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, **kw)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode()[-800:]}")
    return done, cpu, wall


def make_scans(work, dpi, pages):
    import img2pdf

    scans = []
    for name in SOURCES:
        src = os.path.join(ROOT, "corpus", name)
        stem = name[:-4]
        prefix = os.path.join(work, stem)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-jpeg", "-f", "1", "-l", str(pages), src, prefix],
            check=True,
        )
        images = sorted(p for p in os.listdir(work) if p.startswith(stem + "-") and p.endswith(".jpg"))
        scan = os.path.join(work, f"scan-{stem}.pdf")
        with open(scan, "wb") as out:
            out.write(img2pdf.convert([os.path.join(work, i) for i in images]))
        known = []
        for n in range(1, len(images) + 1):
            t = subprocess.run(
                ["pdftotext", "-layout", "-f", str(n), "-l", str(n), src, "-"],
                check=True,
                capture_output=True,
            ).stdout.decode()
            known.append(t)
        scans.append((scan, known))
    return scans


def pubsearch(bin_, scan):
    done, cpu, wall = cpu_of(
        [bin_, "extract", scan, "--ocr", "auto"], env={**os.environ, "RUST_LOG": "error"}
    )
    return done.stdout.decode().rstrip("\n").split("\f"), cpu, wall


def ocrmypdf(scan, work):
    sidecar = os.path.join(work, "sidecar.txt")
    out = os.path.join(work, "ocrmypdf-out.pdf")
    _, cpu, wall = cpu_of(
        ["ocrmypdf", "-q", "-l", "eng", "--optimize", "0", "--skip-text", "--sidecar", sidecar, scan, out]
    )
    with open(sidecar, encoding="utf-8") as f:
        text = f.read()
    os.remove(out)
    return text.rstrip("\f\n").split("\f"), cpu, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/pubsearch"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--pages", type=int, default=2, help="pages of each source publication")
    ap.add_argument("--extra", nargs="*", default=[], help="scans without known text")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ocr-compare-")
    scans = make_scans(work, a.dpi, a.pages)
    n_pages = sum(len(k) for _, k in scans)
    print(f"{len(scans)} scans, {n_pages} pages at {a.dpi} dpi; {a.rounds} rounds, interleaved")
    ratios, rows = [], []
    for rnd in range(a.rounds):
        tot = {"pubsearch": [0.0, 0.0, []], "ocrmypdf": [0.0, 0.0, []]}
        order = ["pubsearch", "ocrmypdf"] if rnd % 2 == 0 else ["ocrmypdf", "pubsearch"]
        for scan, known in scans:
            for engine in order:
                pages, cpu, wall = pubsearch(a.bin, scan) if engine == "pubsearch" else ocrmypdf(scan, work)
                tot[engine][0] += cpu
                tot[engine][1] += wall
                for i, ref in enumerate(known):
                    got = pages[i] if i < len(pages) else ""
                    tot[engine][2].append(f1(bag(ref), bag(got)))
        speed = {e: n_pages / t[0] for e, t in tot.items()}
        f1s = {e: statistics.mean(t[2]) for e, t in tot.items()}
        ratios.append(speed["pubsearch"] / speed["ocrmypdf"])
        rows.append((speed, f1s, {e: t[1] for e, t in tot.items()}))
        print(
            f"round {rnd + 1}: pages/CPU-s pubsearch {speed['pubsearch']:.3f} "
            f"ocrmypdf {speed['ocrmypdf']:.3f} (ratio {ratios[-1]:.2f}); "
            f"mean word F1 pubsearch {f1s['pubsearch']:.3f} ocrmypdf {f1s['ocrmypdf']:.3f}; "
            f"load {os.getloadavg()[0]:.1f}"
        )
    print(f"median ratio of pages per CPU-second (pubsearch / ocrmypdf): {statistics.median(ratios):.2f}")
    last = rows[-1][1]
    print(f"word F1 (every round the same text): pubsearch {last['pubsearch']:.3f}, ocrmypdf {last['ocrmypdf']:.3f}")
    for extra in a.extra:
        ours, cpu_p, _ = pubsearch(a.bin, extra)
        theirs, cpu_o, _ = ocrmypdf(extra, work)
        agree = [f1(bag(t), bag(o)) for o, t in zip(ours, theirs)]
        words = sum(sum(bag(p).values()) for p in ours)
        print(
            f"{os.path.basename(extra)}: {len(ours)} pages, pubsearch read {words} words "
            f"({cpu_p:.1f} CPU-s), ocrmypdf {sum(sum(bag(p).values()) for p in theirs)} words "
            f"({cpu_o:.1f} CPU-s); agreement F1 per page {[round(x, 3) for x in agree]}"
        )


if __name__ == "__main__":
    main()
