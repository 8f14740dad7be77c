#!/usr/bin/env bash
# The README's first command: installs everything (scripts/setup.sh), then
# runs the main example (the doctor) on the bundled demo zone, offline.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
# The doctor's exit code is the worst verdict (0 ok to 3 error); this demo
# case has failures on purpose. Anything else (a build failure, a usage
# error) fails the install.
code=0
cargo run --quiet --release -p mailauth-examples --bin mailauth-doctor -- \
    --ip 192.0.2.30 --helo bare.example --mail-from news@bare.example || code=$?
[ "$code" -le 3 ] || exit "$code"
echo
echo "The Python package is installed in .venv: .venv/bin/python -c 'import mailauth'"
