#!/usr/bin/env bash
# Python DKIM throughput: mailauth's binding against dkimpy on the same
# signed messages, in a separate venv (.venv-bench) with dkimpy, dnspython
# and PyNaCl (dkimpy's Ed25519) from PyPI and the mailauth wheel that
# scripts/setup.sh built into dist/.
#
# Usage: bench-python-dkim.sh [SECONDS_PER_MEASUREMENT]   (default 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ls dist/mailauth-*.whl >/dev/null 2>&1 || scripts/setup.sh
[ -x .venv-bench/bin/python ] || "${PYTHON:-python3}" -m venv .venv-bench
.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check dkimpy==1.1.8 dnspython==2.8.0 PyNaCl==1.5.0
.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/mailauth-*.whl
.venv-bench/bin/python benches/python/dkim_vs_dkimpy.py "${1:-3}"
