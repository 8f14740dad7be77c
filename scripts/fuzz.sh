#!/usr/bin/env bash
# Builds every fuzz target of fuzz/ and runs each for a bounded time.
#
# Usage: fuzz.sh [SECONDS_PER_TARGET]   (default 30; FUZZ_SECONDS also works)
#
# Uses the nightly toolchain when rustup has one; otherwise stable with
# RUSTC_BOOTSTRAP=1, which keeps the sanitizer and comparison feedback that
# cargo-fuzz needs. Seeds come from fuzz/seeds.txt; new inputs go to
# fuzz/corpus/TARGET, crashes to fuzz/artifacts/TARGET (both git-ignored).
set -euo pipefail
seconds=${1:-${FUZZ_SECONDS:-30}}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "installing cargo-fuzz from crates.io" >&2
    cargo install cargo-fuzz --locked
fi
if rustup run nightly rustc --version >/dev/null 2>&1; then
    toolchain=(+nightly)
else
    echo "no nightly toolchain: using stable with RUSTC_BOOTSTRAP=1" >&2
    export RUSTC_BOOTSTRAP=1
    toolchain=()
fi

targets=$(cargo "${toolchain[@]}" fuzz list)
[ -n "$targets" ] || { echo "fuzz.sh: no fuzz targets" >&2; exit 1; }
cargo "${toolchain[@]}" fuzz build
for target in $targets; do
    seeds=()
    while read -r name dir; do
        [ "$name" = "$target" ] && seeds+=("$(cd "$root" && realpath "$dir")")
    done < <(grep -v '^#' seeds.txt)
    mkdir -p "corpus/$target"
    echo "fuzzing $target for ${seconds}s" >&2
    log="artifacts/$target.log"
    mkdir -p artifacts
    if ! cargo "${toolchain[@]}" fuzz run "$target" "corpus/$target" "${seeds[@]}" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -print_final_stats=1 > "$log" 2>&1; then
        tail -n 60 "$log" >&2
        echo "fuzz.sh: $target failed; the input is in fuzz/artifacts/$target" >&2
        exit 1
    fi
    grep -E '^(INFO: seed corpus|Done [0-9]+ runs)' "$log" >&2 || true
done
echo "fuzz.sh: every target ran ${seconds}s without a failure"
