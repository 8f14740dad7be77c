#!/usr/bin/env bash
# DNSBL throughput: mailauth's binding against pydnsbl, both querying the
# real DNS server (Knot) on loopback, 10,000 addresses x 5 lists, in a
# separate venv (.venv-bench) with pydnsbl from PyPI and the mailauth wheel
# that scripts/setup.sh built into dist/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ls dist/mailauth-*.whl >/dev/null 2>&1 || scripts/setup.sh
"$root/scripts/ensure-knot.sh"
[ -x .venv-bench/bin/python ] || "${PYTHON:-python3}" -m venv .venv-bench
.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check pydnsbl==1.1.7
.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/mailauth-*.whl
.venv-bench/bin/python benches/python/dnsbl_vs_pydnsbl.py "${1:-udp-multiplexed}"
