#!/usr/bin/env bash
# Python SPF throughput: mailauth's binding against pyspf on the shared
# corpus, in a separate venv (.venv-bench) with pyspf and dnspython from
# PyPI and the mailauth wheel that scripts/setup.sh built into dist/.
#
# Usage: bench-python-spf.sh [SECONDS_PER_MEASUREMENT]   (default 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ls dist/mailauth-*.whl >/dev/null 2>&1 || scripts/setup.sh
[ -x .venv-bench/bin/python ] || "${PYTHON:-python3}" -m venv .venv-bench
.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check pyspf==2.0.14 dnspython==2.8.0
.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/mailauth-*.whl
.venv-bench/bin/python benches/python/spf_vs_pyspf.py "${1:-3}"
