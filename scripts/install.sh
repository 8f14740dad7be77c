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
# The mailauth command that the wheel installed into .venv.
.venv/bin/mailauth doctor --demo bare-helo || code=$?
[ "$code" -le 3 ] || exit "$code"
echo
echo "Installed in .venv: the mailauth command (.venv/bin/mailauth --help) and the Python package"
