#!/usr/bin/env bash
# Counts CPU instructions per SPF operation on the shared benchmark corpus
# with callgrind: runs benches' spf-instructions binary for 1 and for
# ROUNDS+1 rounds and divides the difference by ROUNDS x operations, so
# start-up (loading the corpus, building the runtime) cancels out.
#
# Usage: spf-instructions.sh [ROUNDS]   (default 20)
set -euo pipefail
rounds=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v valgrind >/dev/null || { echo "spf-instructions.sh: valgrind is not installed" >&2; exit 1; }
cargo build --quiet --release -p mailauth-benches --bin spf-instructions
bin=target/release/spf-instructions
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() { # MODE ROUNDS -> instructions
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$bin" "$1" "$2" > "$out/stdout" 2> "$out/stderr"
    awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.out"
}

for mode in cold warm parse; do
    one=$(count "$mode" 1)
    many=$(count "$mode" $((rounds + 1)))
    ops=$(awk '{print $2}' "$out/stdout")
    per=$(( (many - one) / (rounds * ops) ))
    case "$mode" in
        cold) what="per evaluation, parsed-record cache off" ;;
        warm) what="per evaluation, parsed-record cache warm" ;;
        parse) what="per parsed record" ;;
    esac
    printf '%-6s %8d instructions %s (%d operations x %d rounds)\n' "$mode" "$per" "$what" "$ops" "$rounds"
done
