"""Fixtures: the repository's test zones, in memory and served by the real
DNS server (Knot, started by scripts/dns-test-server.sh)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import mailauth

REPO = Path(__file__).resolve().parents[2]
ZONES = REPO / "mailauth-core" / "tests" / "data" / "zones"
sys.path.insert(0, str(REPO / "benches" / "python"))
import knot  # noqa: E402


def zone_files() -> list[Path]:
    return sorted(ZONES.glob("*.zone"))


@pytest.fixture(scope="session")
def dns_server() -> Iterator[str]:
    """The address ("127.0.0.1:PORT") of a Knot server serving the test zones,
    with a zone that fails and one that never answers."""
    # As the Rust tests: names under slow.mailauth.test answer SERVFAIL,
    # names under silent.mailauth.test never answer.
    failing = ["--servfail", "slow.mailauth.test", "--silent", "silent.mailauth.test"]
    with knot.serve([*failing, *map(str, zone_files())]) as port:
        yield f"127.0.0.1:{port}"


@pytest.fixture(params=["udp", "tcp", "udp-multiplexed"])
def served(request: pytest.FixtureRequest, dns_server: str) -> mailauth.Resolver:
    """A resolver asking the real server, over each transport."""
    return mailauth.Resolver.nameservers(
        [dns_server], transport=request.param, timeout=2.0, attempts=2, cache=False
    )


@pytest.fixture
def memory() -> mailauth.Resolver:
    """An in-memory resolver over the same zone files."""
    return mailauth.Resolver.from_zone("\n".join(p.read_text() for p in zone_files()))
