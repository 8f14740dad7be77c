#!/usr/bin/env bash
# The posture scan's figures (README, "Posture scans"): the Rust scan with
# and without the cache, Python, Dask with one and two workers, on 20,000
# synthetic domains served by Knot; then the comparison with checkdmarc on
# 2,000 of them. Uses the .venv of scripts/setup.sh.
#
# Usage: bench-scan.sh [DOMAINS]   (default 20000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -x .venv/bin/python ] || scripts/setup.sh
cargo build --quiet --release -p mailauth-doctor
.venv/bin/python benches/python/scan_figures.py target/release/mailauth "${1:-20000}"
.venv/bin/python benches/python/scan_vs_checkdmarc.py
