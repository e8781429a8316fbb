#!/usr/bin/env bash
# Word-level F1 of `pubsearch extract` against the reference text of the real-world test PDFs.
# Usage: benches/extraction_f1.sh [PDF_DIR] [ENGINE]
#   PDF_DIR defaults to ../shared/pdfs/files (reference text in ../reference, scorer ../f1.py);
#   ENGINE is auto (default), pdf-extract or pdftotext.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pdfs=${1:-$here/../shared/pdfs/files}
engine=${2:-auto}
[ -d "$pdfs" ] || { echo "no test PDFs at $pdfs" >&2; exit 1; }
bin=${PUBSEARCH_BIN:-$here/target/release/pubsearch}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
out=$(mktemp -d)
for f in "$pdfs"/*.pdf; do
  name=$(basename "$f")
  "$bin" extract --engine "$engine" "$f" > "$out/$name.txt" 2>/dev/null || rm -f "$out/$name.txt"
done
python3 "$pdfs/../f1.py" "$out"
rm -rf "$out"
