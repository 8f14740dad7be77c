"""A synthetic domain set for posture scans, and the real DNS server (Knot,
started by ``scripts/dns-test-server.sh``) serving it.

``zone_text(n)`` writes one root zone with ``n`` domains ``d<i>.posture.test``
whose records vary with ``i`` (deterministically): SPF records including one
of ten shared providers, some ``+all`` and some missing; DMARC ``reject``,
``none`` or missing; MX to an own host with a PTR that confirms it, to a
shared provider host, or a null MX; MTA-STS and TLS-RPT on every third. The
Dask test, the checkdmarc comparison and the scan benchmark all scan it.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import knot  # noqa: E402

PROVIDERS = 10


def domains(n: int) -> list[str]:
    return [f"d{i}.posture.test" for i in range(n)]


def zone_text(n: int) -> str:
    lines = [
        "$TTL 300",
        "$ORIGIN .",
        "@ IN SOA ns.posture.test. hostmaster.posture.test. 1 3600 600 86400 300",
        "@ IN NS ns.posture.test.",
        "ns.posture.test. A 127.0.0.1",
    ]
    for j in range(PROVIDERS):
        lines.append(f'_spf.provider{j}.test. TXT "v=spf1 ip4:198.51.{j}.0/24 ip6:2001:db8:{j}::/48 -all"')
        lines.append(f"mx.provider{j}.test. A 198.51.{j}.25")
        lines.append(f"25.{j}.51.198.in-addr.arpa. PTR mx.provider{j}.test.")
    for i, domain in enumerate(domains(n)):
        if i % 11 != 0:
            spf = "v=spf1 +all" if i % 7 == 0 else f"v=spf1 mx include:_spf.provider{i % PROVIDERS}.test -all"
            lines.append(f'{domain}. TXT "{spf}"')
        if i % 13 != 0:
            policy = "none" if i % 5 == 0 else "reject"
            lines.append(f'_dmarc.{domain}. TXT "v=DMARC1; p={policy}; rua=mailto:dmarc@{domain}"')
        if i % 17 == 0:
            lines.append(f"{domain}. MX 0 .")
        elif i % 19 == 0:
            lines.append(f"{domain}. MX 10 mx.provider{i % PROVIDERS}.test.")
        else:
            a, b = divmod(i, 250)
            lines.append(f"{domain}. MX 10 mx.{domain}.")
            lines.append(f"mx.{domain}. A 10.{a // 250}.{a % 250}.{b + 1}")
            lines.append(f"{b + 1}.{a % 250}.{a // 250}.10.in-addr.arpa. PTR mx.{domain}.")
        if i % 3 == 0:
            lines.append(f'_mta-sts.{domain}. TXT "v=STSv1; id=2026120{i % 10}"')
            lines.append(f'_smtp._tls.{domain}. TXT "v=TLSRPTv1; rua=mailto:tls@{domain}"')
    return "\n".join(lines) + "\n"


@contextmanager
def served(n: int) -> Iterator[int]:
    """Knot serving ``zone_text(n)`` on 127.0.0.1; yields its port."""
    with tempfile.TemporaryDirectory() as tmp:
        zone = Path(tmp) / "posture.zone"
        zone.write_text(zone_text(n))
        with knot.serve([f".={zone}"]) as port:
            yield port
