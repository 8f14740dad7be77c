"""The project's real DNS server (Knot, started by
``scripts/dns-test-server.sh``) for the Python tests and benchmarks."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serve(arguments: list[str]) -> Iterator[int]:
    """Knot serving what ``arguments`` name (``[DOMAIN=]FILE``,
    ``--servfail DOMAIN``, ``--silent DOMAIN``, as the script takes them)
    on 127.0.0.1; yields its port, and stops it afterwards (closing the
    script's standard input stops knotd)."""
    with subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "dns-test-server.sh"), *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stdin is not None
        line = process.stdout.readline()
        if not line.startswith("ready "):
            process.kill()
            raise RuntimeError(f"the DNS server did not start (said {line!r})")
        try:
            yield int(line.split()[1])
        finally:
            process.stdin.close()
            process.wait(timeout=30)
