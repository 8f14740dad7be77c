"""Posture scans from Python (issue 15): the scan through the real DNS
server, both ways of iterating, lazy input, hostile input, and the Dask
recipe (``mailauth-py/examples/scan_with_dask.py``) on a LocalCluster of two
worker processes over 20,000 synthetic domains, with the same reports as one
process."""

from __future__ import annotations

import asyncio
import pickle
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mailauth

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benches" / "python"))
sys.path.insert(0, str(REPO / "mailauth-py" / "examples"))
import posture_zone  # noqa: E402

SCAN_ZONE = (REPO / "mailauth-doctor" / "tests" / "scan.zone").read_text()


def comparable(line: str) -> dict[str, Any]:
    """A report's JSON without its timing, which no two runs share."""
    report: dict[str, Any] = json.loads(line)
    del report["elapsed_ms"]
    return report


@pytest.fixture(scope="module")
def posture() -> Iterator[mailauth.Resolver]:
    with posture_zone.served(20_000) as port:
        yield mailauth.Resolver.nameservers([f"127.0.0.1:{port}"], transport="udp-multiplexed", timeout=2.0)


def test_for_and_async_for_give_the_same_reports() -> None:
    zone = mailauth.Resolver.from_zone(SCAN_ZONE)
    names = ["good.scan.test", "plusall.scan.test", "mx-null.scan.test", "not a domain"]
    blocking = {r.domain: r for r in mailauth.scan(names, resolver=zone, dkim_selectors=["s1"])}

    async def collect() -> dict[str, mailauth.DomainScan]:
        return {r.domain: r async for r in mailauth.scan(names, resolver=zone, dkim_selectors=["s1"])}

    awaited = asyncio.run(collect())
    assert set(blocking) == set(names) == set(awaited)
    for name in names:
        assert comparable(blocking[name].to_json()) == comparable(awaited[name].to_json())
    good = blocking["good.scan.test"]
    assert good.defects == [] and good.worst is None
    assert good.spf is not None and good.spf["record"] == "v=spf1 mx -all"
    assert good.mx is not None and good.mx["hosts"][0]["addresses"][0]["iprev"] == "pass"
    assert good.dkim is not None and good.dkim[0]["bits"] == 256
    assert blocking["plusall.scan.test"].defects[0] == "spf.plus-all"
    assert blocking["plusall.scan.test"].worst == "error"
    assert blocking["not a domain"].defects == ["domain.invalid"]
    assert "dkim.no-key" in blocking["mx-null.scan.test"].defects


def test_the_domain_list_is_read_as_the_scan_goes() -> None:
    zone = mailauth.Resolver.from_zone(SCAN_ZONE)
    pulled = 0

    def endless() -> Iterator[str]:
        nonlocal pulled
        while True:
            pulled += 1
            yield f"d{pulled}.scan.test"

    stream = mailauth.scan(endless(), resolver=zone, concurrency=8)
    first = [next(stream) for _ in range(50)]
    assert len(first) == 50
    # The feeder reads ahead by a bounded amount, not the whole list.
    assert pulled < 2_000
    del stream


def test_bad_items_and_arguments_raise() -> None:
    zone = mailauth.Resolver.from_zone(SCAN_ZONE)
    with pytest.raises(TypeError, match="item 1 is int"):
        list(mailauth.scan(["good.scan.test", 7], resolver=zone))  # type: ignore[list-item]
    with pytest.raises(TypeError, match="not bytes"):
        mailauth.scan(b"good.scan.test", resolver=zone)  # type: ignore[arg-type]

    def failing() -> Iterator[str]:
        yield "good.scan.test"
        raise ValueError("the list broke")

    with pytest.raises(ValueError, match="the list broke"):
        list(mailauth.scan(failing(), resolver=zone))
    with pytest.raises(mailauth.InvalidInputError, match="concurrency"):
        mailauth.scan([], concurrency=0, resolver=zone)
    assert list(mailauth.scan([], resolver=zone)) == []
    (one,) = mailauth.scan("good.scan.test", resolver=zone)
    assert one.domain == "good.scan.test"


def test_the_cache_coalesces_across_domains(posture: mailauth.Resolver) -> None:
    stream = mailauth.scan(posture_zone.domains(2_000), resolver=posture)
    reports = list(stream)
    assert len(reports) == 2_000
    stats = stream.cache_stats
    assert stats is not None
    # The ten providers' SPF records are asked once each, not per domain.
    assert stats["hits"] + stats["coalesced"] > 2_000
    uncached = mailauth.scan(posture_zone.domains(100), resolver=posture, cache=False)
    assert len(list(uncached)) == 100 and uncached.cache_stats is None


def test_the_dask_recipe_gives_the_single_process_reports(posture: mailauth.Resolver, tmp_path: Path) -> None:
    from dask import distributed

    # The recipe's directory is on sys.path, which Dask's worker processes
    # inherit (multiprocessing's spawn), so its functions travel by name.
    import scan_with_dask as recipe
    domains = posture_zone.domains(20_000)
    listing = tmp_path / "domains.txt"
    listing.write_text("# the synthetic set\n" + "\n".join(domains) + "\n")

    single = sorted((comparable(r.to_json()) for r in mailauth.scan(domains, resolver=posture)), key=lambda r: r["domain"])

    with distributed.LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster, distributed.Client(cluster):  # type: ignore[no-untyped-call]
        files = recipe.scan_files(str(listing), str(tmp_path / "out"), posture, blocksize="64KiB")
    assert len(files) > 2, "several partitions, so both workers had work"
    lines = [line for name in files for line in Path(name).read_text().splitlines()]
    merged = sorted((comparable(line) for line in lines), key=lambda r: r["domain"])
    assert len(merged) == 20_000
    assert merged == single
    assert not any(r["defects"] and any(d.endswith("dns-error") for d in r["defects"]) for r in merged)


def test_the_checkdmarc_comparison_in_its_quick_form() -> None:
    """``benches/python/scan_vs_checkdmarc.py --quick``: both tools give the
    same SPF record, DMARC policy and MX hosts for 200 synthetic domains
    (``compare`` raises otherwise). The rates it prints are figures, not
    assertions: timing belongs to the benchmark, not to a test."""
    import scan_vs_checkdmarc

    figures = scan_vs_checkdmarc.compare(quick=True)
    assert figures["mailauth"] > 0 and figures["checkdmarc"] > 0


def test_a_cached_resolver_serves_every_check_and_travels() -> None:
    zone = mailauth.Resolver.from_zone(SCAN_ZONE, latency=0.02)
    cached = zone.cached(max_entries=1_000)
    assert zone.cache_stats is None and cached.cache_stats == {
        "hits": 0, "misses": 0, "coalesced": 0, "evictions": 0, "entries": 0
    }

    async def many() -> list[mailauth.Answer]:
        return list(await asyncio.gather(*(cached.txt("good.scan.test") for _ in range(500))))

    answers = asyncio.run(many())
    texts = {r.text for a in answers for r in a.records if isinstance(r, mailauth.TxtRecord)}
    assert texts == {"v=spf1 mx -all"} and len(answers) == 500
    assert zone.query_count == 1, "500 concurrent questions, one query"
    stats = cached.cache_stats
    assert stats is not None and stats["misses"] == 1 and stats["coalesced"] + stats["hits"] == 499
    verdict = mailauth.SpfVerifier().check_sync("192.0.2.1", "a@good.scan.test", "mx1.good.scan.test", resolver=cached)
    assert verdict.result == "pass"
    assert repr(cached) == "Resolver(in-memory zone, through a cache)"
    copied = pickle.loads(pickle.dumps(cached))
    assert copied.to_dict() == {"kind": "cached", "inner": zone.to_dict(), "max_entries": 1_000}
    assert copied.cache_stats is not None and copied.cache_stats["entries"] == 0
