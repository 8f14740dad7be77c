#!/usr/bin/env bash
# Builds the release wheels that scripts/setup.sh does not: manylinux
# aarch64 and musllinux x86_64 and aarch64 (setup.sh builds and installs
# manylinux x86_64), with maturin and zig as the cross linker, into
# dist/wheels/, and checks that each one holds a native module for its
# machine, the type stubs and the typed marker. Only the x86_64 wheels can
# run here; the others are checked by their contents.
#   WHEEL_PROFILE  cargo profile (default release; the test command uses
#                  wheel-check, unoptimised, to check the packaging faster)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -x .venv/bin/maturin ] || { echo "wheels.sh: run scripts/setup.sh first" >&2; exit 1; }

targets=(aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl)
installed=$(rustup target list --installed)
for target in "${targets[@]}"; do
    grep -qx "$target" <<<"$installed" || rustup target add "$target" >&2
done

profile=${WHEEL_PROFILE:-release}
case "$profile" in
    release) profile_args=(--release) ;;
    *) profile_args=(--profile "$profile") ;;
esac
out=dist/wheels
rm -rf "$out"
for target in "${targets[@]}"; do
    echo "wheels: building for $target ($profile)" >&2
    PATH="$root/.venv/bin:$PATH" maturin build --quiet "${profile_args[@]}" --zig --target "$target" \
        --manifest-path mailauth-py/Cargo.toml --interpreter .venv/bin/python --out "$out" >&2
done

# Each wheel: its platform tag, an ELF module for that machine, the stubs.
.venv/bin/python - "$out" <<'EOF'
import sys
import zipfile
from pathlib import Path

MACHINES = {"x86_64": 0x3E, "aarch64": 0xB7}
expected = {"manylinux2014_aarch64", "musllinux_1_2_x86_64", "musllinux_1_2_aarch64"}
found = set()
for wheel in sorted(Path(sys.argv[1]).glob("mailauth-*.whl")):
    tag = next(t for t in expected if t in wheel.name)
    machine = MACHINES["aarch64" if "aarch64" in tag else "x86_64"]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for needed in ("mailauth/_mailauth.abi3.so", "mailauth/_mailauth.pyi", "mailauth/py.typed"):
            assert needed in names, f"{wheel.name} lacks {needed}"
        module = archive.read("mailauth/_mailauth.abi3.so")
    assert module[:4] == b"\x7fELF", f"{wheel.name}: the module is not ELF"
    got = int.from_bytes(module[18:20], "little")
    assert got == machine, f"{wheel.name}: ELF machine {got:#x}, expected {machine:#x}"
    found.add(tag)
    print(f"wheels: {wheel.name}: {len(module):,} byte module for {tag}")
assert found == expected, f"missing wheels: {sorted(expected - found)}"
EOF
