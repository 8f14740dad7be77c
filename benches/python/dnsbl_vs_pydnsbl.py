"""DNSBL throughput: mailauth's binding against pydnsbl, on the same
workload served by the real DNS server (Knot, started by
scripts/dns-test-server.sh) in the same run.

Workload: 10,000 IPv4 addresses (198.18.0.0/15, the benchmarking range)
against 5 lists; list n lists every 10th address from address 1,000 x
(n - 1) on (4,000 listings in all). Both implementations must find exactly
the same (address, list) listings before their rates are reported.

Usage: dnsbl_vs_pydnsbl.py [udp-multiplexed|udp|tcp]
(mailauth's transport; default udp-multiplexed, the bulk transport)

pydnsbl takes its nameservers from the system; the harness replaces its
private aiodns resolver with one aimed at the test server's port.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiodns
import pydnsbl
from pydnsbl.providers import Provider

import mailauth

sys.path.insert(0, str(Path(__file__).resolve().parent))
import knot  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
LISTS = [f"l{i}.bench.test" for i in range(1, 6)]
FIRST = int(ipaddress.IPv4Address("198.18.0.0"))
COUNT = 10_000
TRANSPORT = sys.argv[1] if len(sys.argv) > 1 else "udp-multiplexed"
CONCURRENCY = 100
# RUNS=8 in the environment for more alternating runs.
RUNS = int(os.environ.get("RUNS", "5"))


def addresses() -> list[str]:
    return [str(ipaddress.IPv4Address(FIRST + i)) for i in range(COUNT)]


def expected() -> set[tuple[str, str]]:
    listed = set()
    for n, zone in enumerate(LISTS):
        for i in range(n * 1000, COUNT, 10):  # every 10th address, offset per list
            listed.add((str(ipaddress.IPv4Address(FIRST + i)), zone))
    return listed


def zone_text() -> str:
    lines = [
        "$ORIGIN bench.test.",
        "@ 300 IN SOA ns hostmaster 1 3600 600 86400 300",
        "@ 300 IN NS ns",
        "ns A 127.0.0.1",
    ]
    for ip, zone in sorted(expected()):
        reversed_ip = ".".join(reversed(ip.split(".")))
        lines.append(f"{reversed_ip}.{zone}. A 127.0.0.2")
    return "\n".join(lines) + "\n"


def run_mailauth(port: int) -> tuple[float, set[tuple[str, str]]]:
    resolver = mailauth.Resolver.nameservers([f"127.0.0.1:{port}"], transport=TRANSPORT, timeout=5.0, attempts=2, cache=False)
    lists = [mailauth.DnsblList(zone, zone, codes={"127.0.0.2": "listed"}) for zone in LISTS]
    targets = addresses()

    async def check() -> list[mailauth.DnsblReport]:
        return [r async for r in mailauth.dnsbl_check_bulk(targets, lists, concurrency=CONCURRENCY, resolver=resolver)]

    started = time.perf_counter()
    reports = asyncio.run(check())
    elapsed = time.perf_counter() - started
    found = {(r.target, lst) for r in reports for lst in r.blocked_by}
    errors = sum(len(r.errors) for r in reports)
    if errors:
        raise SystemExit(f"mailauth: {errors} list errors")
    return elapsed, found


def run_pydnsbl(port: int) -> tuple[float, set[tuple[str, str]]]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    checker = pydnsbl.DNSBLIpChecker(providers=[Provider(z) for z in LISTS], timeout=5, tries=2, loop=loop)
    checker._resolver = aiodns.DNSResolver(
        nameservers=["127.0.0.1"], udp_port=port, tcp_port=port, timeout=5, tries=2, loop=loop
    )
    started = time.perf_counter()
    results = checker.bulk_check(addresses())
    elapsed = time.perf_counter() - started
    found = set()
    for result in results:
        for provider in result.detected_by:
            found.add((result.addr, provider))
    failed = [r for r in results if r.failed_providers]
    loop.close()
    if failed:
        raise SystemExit(f"pydnsbl: {len(failed)} addresses with failed providers")
    return elapsed, found


def main() -> int:
    queries = COUNT * len(LISTS)
    want = expected()
    ours_times: list[float] = []
    theirs_times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        zone = Path(tmp) / "bench.test.zone"
        zone.write_text(zone_text())
        with knot.serve([str(zone)]) as port:
            # Alternating runs, so that both see the same machine load.
            for _ in range(RUNS):
                ours_time, ours = run_mailauth(port)
                theirs_time, theirs = run_pydnsbl(port)
                if ours != want or theirs != want:
                    print(
                        f"answers differ: mailauth {len(ours)}, pydnsbl {len(theirs)}, "
                        f"expected {len(want)} listings"
                    )
                    return 1
                ours_times.append(ours_time)
                theirs_times.append(theirs_time)
    ours_qps = queries / statistics.median(ours_times)
    theirs_qps = queries / statistics.median(theirs_times)
    rates = lambda times: ", ".join(f"{queries / t:,.0f}" for t in times)  # noqa: E731
    print(f"{COUNT} addresses x {len(LISTS)} lists = {queries} queries; both found the same {len(want)} listings")
    print(f"{RUNS} alternating runs each, queries/s (median):")
    print(f"pydnsbl  {theirs_qps:10,.0f}   runs: {rates(theirs_times)}")
    print(f"mailauth {ours_qps:10,.0f}   runs: {rates(ours_times)}   ({TRANSPORT})")
    # The bar is every run, not the medians: each mailauth run
    # against the pydnsbl run beside it, and the slowest mailauth run
    # against the fastest pydnsbl run.
    pairs = [t / o for o, t in zip(ours_times, theirs_times)]
    print(f"mailauth / pydnsbl: {ours_qps / theirs_qps:.1f}x (medians)")
    print(f"  run by run: {', '.join(f'{p:.1f}x' for p in pairs)}")
    print(f"  slowest mailauth run / fastest pydnsbl run: {min(theirs_times) / max(ours_times):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
