#!/usr/bin/env bash
# Installs what the comparison needs (Debian packages) and builds the standalone projects.
# Usage: benches/setup.sh            (as root for apt-get; set SKIP_APT=1 to skip it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

if [ "${SKIP_APT:-0}" != 1 ]; then
  apt-get update
  # wamerican: the word list of the generator; poppler-utils: pdftotext (reference extractor, and
  # omindex's PDF filter); xapian-*: omindex + python3-xapian; time/wrk/hyperfine: optional tools.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    wamerican poppler-utils xapian-omega xapian-tools python3-xapian time wrk hyperfine
fi

# The standalone projects have their own lock files and target dirs (benches/*/target).
nice -n 10 cargo build --release --manifest-path "$here/gen_library/Cargo.toml"
nice -n 10 cargo build --release --manifest-path "$here/peers/Cargo.toml"
# The service itself.
(cd "$repo" && nice -n 10 cargo build --release)
echo "ready: $here/compare.py --size S --steps gen,extract,index,query --pairs 5"
