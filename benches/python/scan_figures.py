"""The posture scan's figures for the README: domains per second and DNS
questions per domain over the synthetic set of ``posture_zone`` (20,000
domains) served by Knot, for the Rust scan alone (the ``mailauth scan``
command) with and without the coalescing cache, the Python binding in one
process, and the Dask recipe with one and two worker processes.

    python scan_figures.py MAILAUTH_BINARY [DOMAINS]

Questions "asked" are what the checks ask (cache hits included); "sent" are
what reached the DNS server (the cache's misses).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "mailauth-py" / "examples"))
import posture_zone  # noqa: E402
import scan_with_dask  # noqa: E402

import mailauth  # noqa: E402

STATS = re.compile(
    r"(?P<n>\d+) domains in (?P<s>[\d.]+) s .*?(?P<asked>[\d.]+) questions per domain"
    r"(?:.*?(?P<hits>\d+) hits, (?P<misses>\d+) misses, (?P<coalesced>\d+) coalesced)?"
)


def rust(binary: str, listing: Path, port: int, cache: bool) -> tuple[float, float, float]:
    command = [binary, "scan", "--file", str(listing), "--dns", f"127.0.0.1:{port}"]
    command += ["--transport", "udp-multiplexed", "--concurrency", "256", "--stats", "--quiet"]
    if not cache:
        command.append("--no-cache")
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    found = STATS.search(done.stderr)
    assert found, done.stderr
    n, seconds, asked = int(found["n"]), float(found["s"]), float(found["asked"])
    sent = int(found["misses"]) / n if found["misses"] else asked
    return n / seconds, asked, sent


def python(domains: list[str], port: int) -> tuple[float, float, float]:
    resolver = mailauth.Resolver.nameservers([f"127.0.0.1:{port}"], transport="udp-multiplexed")
    start = time.perf_counter()
    stream = mailauth.scan(domains, resolver=resolver, concurrency=256)
    reports = list(stream)
    rate = len(reports) / (time.perf_counter() - start)
    asked = sum(r.queries for r in reports) / len(reports)
    stats = stream.cache_stats or {}
    return rate, asked, stats.get("misses", 0) / len(reports)


def dask(listing: Path, port: int, workers: int, out: Path) -> float:
    from dask import distributed

    resolver = mailauth.Resolver.nameservers([f"127.0.0.1:{port}"], transport="udp-multiplexed")
    with distributed.LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster, distributed.Client(cluster):  # type: ignore[no-untyped-call]
        start = time.perf_counter()
        files = scan_with_dask.scan_files(str(listing), str(out), resolver, blocksize="64KiB")
        elapsed = time.perf_counter() - start
    count = sum(len(Path(f).read_text().splitlines()) for f in files)
    return count / elapsed


def main() -> None:
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    domains = posture_zone.domains(n)
    with tempfile.TemporaryDirectory() as tmp, posture_zone.served(n) as port:
        listing = Path(tmp) / "domains.txt"
        listing.write_text("\n".join(domains) + "\n")
        rows = []
        for cache in (True, False):
            rate, asked, sent = rust(binary, listing, port, cache)
            rows.append((f"Rust scan (mailauth scan), cache {'on' if cache else 'off'}", rate, asked, sent))
        rate, asked, sent = python(domains, port)
        rows.append(("Python, one process", rate, asked, sent))
        for workers in (1, 2):
            rate = dask(listing, port, workers, Path(tmp) / f"out{workers}")
            rows.append((f"Dask, {workers} worker process{'es' if workers > 1 else ''}", rate, asked, sent))
    print(f"{n:,} synthetic domains, Knot on 127.0.0.1, 2-core machine, udp-multiplexed, 256 domains at once")
    print("| run | domains/s | questions asked per domain | queries sent per domain |")
    print("| --- | ---: | ---: | ---: |")
    for name, rate, asked, sent in rows:
        print(f"| {name} | {rate:,.0f} | {asked:.1f} | {sent:.1f} |")


if __name__ == "__main__":
    main()
