#!/usr/bin/env bash
# Installs everything mailauth needs on a Debian machine with Rust and
# Python 3.11, idempotently:
#   - Knot DNS and kdig (the real DNS server of the tests), from Debian;
#   - cargo-fuzz, from crates.io;
#   - a virtual environment in .venv with the build and test tools;
#   - the mailauth wheel, built from this checkout with maturin --zig
#     (manylinux, abi3), installed into .venv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=${PYTHON:-python3}

"$root/scripts/ensure-knot.sh"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "setup: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked --quiet
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
        echo "setup: installing python3-venv" >&2
        sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
    fi
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r mailauth-py/requirements-dev.txt

echo "setup: building the mailauth wheel" >&2
rm -f dist/mailauth-*.whl
PATH="$root/.venv/bin:$PATH" maturin build --quiet --release --zig \
    --manifest-path mailauth-py/Cargo.toml --interpreter .venv/bin/python --out dist >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/mailauth-*.whl
echo "setup: installed $(ls dist/mailauth-*.whl) into .venv" >&2
