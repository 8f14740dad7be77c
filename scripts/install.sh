#!/usr/bin/env bash
# The README's first command: installs everything (scripts/setup.sh), then
# runs the main example on the bundled demo zone, offline.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
cargo run --quiet --release -p mailauth-examples --bin lookup
echo
echo "The Python package is installed in .venv: .venv/bin/python -c 'import mailauth'"
