"""Posture scans: mailauth against checkdmarc, domains per second, on the
synthetic domain set of ``posture_zone`` served by the real DNS server
(Knot) in the same run.

Both do the same checks of each domain: its SPF record, its DMARC record
and its MX hosts with their addresses (checkdmarc's ``check_spf``,
``check_dmarc`` and ``check_mx``; mailauth's ``scan``, which also reads the
MTA-STS, TLS-RPT and BIMI records and checks each MX address's FCrDNS, so
it does more work, not less). Their answers are compared domain by domain
before anything is timed; then the two run alternately and the medians are
reported.

    python scan_vs_checkdmarc.py            # 2,000 domains, 3 runs each
    python scan_vs_checkdmarc.py --quick    # 200 domains, 1 run each
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import posture_zone  # noqa: E402

import mailauth  # noqa: E402


def mailauth_view(report: mailauth.DomainScan) -> tuple[Any, ...]:
    """What both tools report: SPF record, DMARC policy, MX hosts."""
    spf = report.spf or {}
    dmarc = report.dmarc or {}
    mx = report.mx or {}
    return (spf.get("record"), dmarc.get("policy"), sorted(h["exchange"] for h in mx.get("hosts", [])))


def checkdmarc_view(spf: dict[str, Any], dmarc: dict[str, Any], mx: dict[str, Any]) -> tuple[Any, ...]:
    tags = dmarc.get("tags") or {}
    policy = tags.get("p", {}).get("value") if "error" not in dmarc else None
    return (spf.get("record"), policy, sorted(h["hostname"] for h in mx.get("hosts", [])))


def run_mailauth(domains: list[str], port: int, cache: bool = True) -> tuple[float, dict[str, tuple[Any, ...]], float]:
    resolver = mailauth.Resolver.nameservers([f"127.0.0.1:{port}"], transport="udp-multiplexed", timeout=2.0)
    start = time.perf_counter()
    reports = list(mailauth.scan(domains, resolver=resolver, concurrency=256, cache=cache))
    elapsed = time.perf_counter() - start
    queries = sum(r.queries for r in reports) / len(reports)
    return elapsed, {r.domain: mailauth_view(r) for r in reports}, queries


def run_checkdmarc(domains: list[str], port: int) -> tuple[float, dict[str, tuple[Any, ...]]]:
    import logging

    # checkdmarc ships no type information.
    import checkdmarc.dmarc  # type: ignore[import-untyped]
    import checkdmarc.smtp  # type: ignore[import-untyped]
    import checkdmarc.spf  # type: ignore[import-untyped]
    import dns.resolver

    # checkdmarc logs a warning per host whose DNSSEC it cannot check.
    logging.getLogger("checkdmarc").setLevel(logging.ERROR)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port
    resolver.timeout = 2.0
    resolver.lifetime = 4.0
    views = {}
    start = time.perf_counter()
    for domain in domains:
        spf = checkdmarc.spf.check_spf(domain, resolver=resolver)
        dmarc = checkdmarc.dmarc.check_dmarc(domain, resolver=resolver)
        mx = checkdmarc.smtp.check_mx(domain, resolver=resolver)
        views[domain] = checkdmarc_view(spf, dict(dmarc), dict(mx))
    return time.perf_counter() - start, views


def compare(quick: bool) -> dict[str, float]:
    """Runs the comparison; raises AssertionError when the answers differ.
    Returns the medians (domains per second) and the ratio."""
    n, runs = (200, 1) if quick else (2_000, 3)
    domains = posture_zone.domains(n)
    with posture_zone.served(n) as port:
        _, ours, queries = run_mailauth(domains, port)
        _, theirs = run_checkdmarc(domains, port)
        differ = [d for d in domains if ours[d] != theirs[d]]
        assert not differ, f"{len(differ)} domains differ, e.g. {differ[0]}: {ours[differ[0]]} != {theirs[differ[0]]}"
        rates: dict[str, list[float]] = {"mailauth": [], "mailauth, no cache": [], "checkdmarc": []}
        for _ in range(runs):
            rates["mailauth"].append(n / run_mailauth(domains, port)[0])
            rates["mailauth, no cache"].append(n / run_mailauth(domains, port, cache=False)[0])
            rates["checkdmarc"].append(n / run_checkdmarc(domains, port)[0])
    medians = {name: statistics.median(values) for name, values in rates.items()}
    print(f"{n} domains, same answers from both; medians of {runs} alternating run(s):")
    for name, rate in medians.items():
        print(f"  {name:<20} {rate:>10,.0f} domains/s")
    ratio = medians["mailauth"] / medians["checkdmarc"]
    print(f"  mailauth / checkdmarc: {ratio:.1f}x; mailauth asked {queries:.1f} questions per domain")
    return {**medians, "ratio": ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 domains, one run each")
    compare(parser.parse_args().quick)


if __name__ == "__main__":
    main()
