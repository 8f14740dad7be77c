#!/usr/bin/env bash
# The README's second command: runs every check and test, Rust and Python.
# Any failure, and any test runner that ran no test, fails the whole run.
#   FUZZ_SECONDS  time per fuzz target (default 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# CI's disk is not ours to size, and a run that fills it fails (it did, at
# the benchmarks' build). The builds here are kept small: no incremental
# caches, which a one-off run never reads back; line tables only in the
# test builds, enough for a panic's backtrace; no debug information in the
# optimised builds (the wheel, the benchmarks), which only the profiling
# scripts need.
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=line-tables-only
export CARGO_PROFILE_RELEASE_DEBUG=0
export CARGO_PROFILE_BENCH_DEBUG=0

# Each step says how long the run has taken so far and how much disk is
# left, so a slow step or a filling disk shows in CI's log.
started=$SECONDS
step() {
    printf '\n==> [%ds, %s free] %s\n' "$((SECONDS - started))" \
        "$(df -h --output=avail . | tail -1 | tr -d ' ')" "$*" >&2
}

step "setup (system packages, venv, wheel from this checkout)"
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet -p mailauth-core --no-default-features -- -D warnings
cargo clippy --quiet -p mailauth-core --no-default-features --features hickory -- -D warnings
cargo clippy --quiet -p mailauth-core --features serde --all-targets -- -D warnings

step "cargo test (unit, integration with the real DNS server, doc, README)"
# --show-output: the conformance runs print their "N passed, M failed" lines.
cargo test --workspace -- --show-output 2>&1 | tee "$logs/cargo-test.log"
rust_passed=$(grep -E '^test result: ' "$logs/cargo-test.log" | sed -E 's/.* ([0-9]+) passed.*/\1/' | awk '{ s += $1 } END { print s + 0 }')
# One awk reads the whole log: a reader that stops early (grep -m1) would
# kill its writer with SIGPIPE, and pipefail would fail the run on it.
integration=$(awk '/Running tests\/integration\/main\.rs/ { seen = 1 }
    seen && /^test result: / { sub(/ passed.*/, ""); sub(/.* /, ""); print; exit }' "$logs/cargo-test.log")
if [ "${rust_passed:-0}" -eq 0 ] || [ "${integration:-0}" -eq 0 ]; then
    echo "test.sh: cargo ran no tests (all: ${rust_passed:-0}, integration: ${integration:-0})" >&2
    exit 1
fi

step "cargo test of the serde feature"
cargo test -p mailauth-core --features serde --lib -- serde_tests token:: 2>&1 | tee "$logs/serde.log"
grep -qE '^test result: ok\. [1-9]' "$logs/serde.log" || { echo "test.sh: the serde tests did not run" >&2; exit 1; }

step "benchmarks, once each (criterion --test)"
cargo bench --quiet -p mailauth-benches -- --test

step "pytest"
# pytest exits 5 when it collects no test: a failure here like any other.
.venv/bin/python -m pytest mailauth-py/tests -q -p no:cacheprovider 2>&1 | tee "$logs/pytest.log"
py_passed=$(grep -oE '[0-9]+ passed' "$logs/pytest.log" | tail -1 | cut -d' ' -f1)
[ "${py_passed:-0}" -gt 0 ] || { echo "test.sh: pytest ran no tests" >&2; exit 1; }

step "type stubs (mypy --strict, stubtest)"
.venv/bin/python -m mypy --strict --no-incremental mailauth-py/python mailauth-py/tests \
    mailauth-py/examples benches/python/knot.py benches/python/posture_zone.py benches/python/scan_vs_checkdmarc.py
.venv/bin/python -m mypy.stubtest mailauth --allowlist mailauth-py/stubtest-allowlist.txt

step "packages (cargo package of mailauth-core and mailauth-doctor, the wheel's sdist)"
# cargo package builds each crate from its packaged files alone (the doctor
# against the packaged core); the sdist must carry the Python README and the
# licence files as its metadata says.
# Cargo takes a registry crate as immutable: it keeps the unpacked source of
# the packaged core (in $CARGO_HOME, under a name derived from the target
# directory) and its build (in the target directory) by name and version
# alone, so a copy left by an earlier packaging of 0.1.0 would stand in for
# this tree's, failing or passing the doctor against a core it will not ship
# with. A target directory of its own gives both a new name; its unpacked
# copies are then removed, as nothing else uses them.
package_target="$logs/package-target"
cargo package --quiet -p mailauth-core -p mailauth-doctor --allow-dirty --target-dir "$package_target"
cargo_src="${CARGO_HOME:-$HOME/.cargo}/registry/src"
rm -rf "$package_target" "$cargo_src"/-*/mailauth-core-* "$cargo_src"/-*/mailauth-doctor-*
find "$cargo_src" -maxdepth 1 -name '-*' -empty -delete
sdist=$(mktemp -d)
PATH="$root/.venv/bin:$PATH" maturin sdist --manifest-path mailauth-py/Cargo.toml --out "$sdist" >&2
tar xzf "$sdist"/mailauth-*.tar.gz -O --wildcards '*/PKG-INFO' > "$logs/PKG-INFO"
rm -rf "$sdist"
grep -q '^License-File: LICENSE-MIT' "$logs/PKG-INFO" && grep -q '^License-File: LICENSE-APACHE' "$logs/PKG-INFO" \
    && grep -q '^pip install mailauth' "$logs/PKG-INFO" \
    || { echo "test.sh: the sdist lacks its licence files or the Python README" >&2; exit 1; }

step "wheels for the other platforms (manylinux aarch64, musllinux x86_64 and aarch64), packaging checked"
WHEEL_PROFILE=wheel-check scripts/wheels.sh

step "fuzz smoke run"
scripts/fuzz.sh "${FUZZ_SECONDS:-10}"

step "done"
echo
echo "mailauth: ${rust_passed} Rust and ${py_passed} Python tests"
echo "$((rust_passed + py_passed)) passed, 0 failed"
