"""Evaluations per second of mailauth's Python binding and of pyspf on the
shared SPF corpus (../shared/bench/spf-corpus.json), in one process.

pyspf answers from the corpus through its DNSLookup hook (as its own test
driver does); mailauth from an in-memory zone built from the same data.
Both must return every query's `expect` value before anything is timed.
Run by scripts/bench-python-spf.sh.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import spf  # pyspf

import mailauth

ROOT = Path(__file__).resolve().parents[2]
CORPUS = json.loads((ROOT.parent / "shared" / "bench" / "spf-corpus.json").read_text())
QUERIES = [q for s in CORPUS["scenarios"] for q in s["queries"]]


def reverse_name(ip: str) -> str:
    import ipaddress

    return ipaddress.ip_address(ip).reverse_pointer


def pyspf_lookup(name: str, qtype: str, *args: object, **kwargs: object) -> list[tuple[tuple[str, str], object]]:
    name = name.rstrip(".").lower()
    records = CORPUS["records"].get(name)
    ptr_names = {reverse_name(ip): names for ip, names in CORPUS["ptr"].items()}
    if qtype == "PTR":
        return [((name, "PTR"), target) for target in ptr_names.get(name, [])]
    if records is None:
        return []
    if qtype in records.get("SERVFAIL", []):
        raise spf.TempError("DNS SERVFAIL " + name)
    if qtype == "TXT":
        return [((name, "TXT"), [value.encode()]) for value in records.get("TXT", [])]
    if qtype == "MX":
        return [((name, "MX"), (pref, exchange)) for pref, exchange in records.get("MX", [])]
    if qtype in ("A", "AAAA"):
        return [((name, qtype), value) for value in records.get(qtype, [])]
    return []


def zone_text() -> str:
    lines = []
    for name, records in CORPUS["records"].items():
        for value in records.get("TXT", []):
            data = value.encode()
            chunks = [data[i : i + 255] for i in range(0, len(data), 255)] or [b""]
            quoted = " ".join('"' + c.decode().replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)
            lines.append(f"{name}. TXT {quoted}")
        lines += [f"{name}. A {v}" for v in records.get("A", [])]
        lines += [f"{name}. AAAA {v}" for v in records.get("AAAA", [])]
        lines += [f"{name}. MX {p} {x.rstrip('.')}." for p, x in records.get("MX", [])]
    for ip, names in CORPUS["ptr"].items():
        lines += [f"{reverse_name(ip)}. PTR {n}." for n in names]
    return "\n".join(lines) + "\n"


def servfaults() -> list[tuple[str, str | None, str]]:
    return [(name, t, "servfail") for name, r in CORPUS["records"].items() for t in r.get("SERVFAIL", [])]


def rate(run, seconds: float) -> float:
    rounds = 0
    start = time.perf_counter()
    while True:
        run()
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return rounds * len(QUERIES) / elapsed


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    spf.DNSLookup = pyspf_lookup
    zone = mailauth.Resolver.from_zone(zone_text(), faults=servfaults())
    warm = mailauth.SpfVerifier()
    cold = mailauth.SpfVerifier(record_cache_size=0)

    wrong = []
    for q in QUERIES:
        mine = str(warm.check_mail_from_sync(q["ip"], q["sender"], q["helo"], resolver=zone).result)
        theirs = spf.check2(i=q["ip"], s=q["sender"], h=q["helo"])[0]
        if mine != q["expect"] or theirs != q["expect"]:
            wrong.append(f"{q['ip']} {q['sender']}: mailauth {mine}, pyspf {theirs}, expected {q['expect']}")
    if wrong:
        print("answers differ from the corpus:\n" + "\n".join(wrong))
        return 1

    def run_pyspf() -> None:
        for q in QUERIES:
            spf.check2(i=q["ip"], s=q["sender"], h=q["helo"])

    def run_with(verifier: mailauth.SpfVerifier):
        def run() -> None:
            for q in QUERIES:
                verifier.check_mail_from_sync(q["ip"], q["sender"], q["helo"], resolver=zone)

        return run

    pyspf_rate = rate(run_pyspf, seconds)
    warm_rate = rate(run_with(warm), seconds)
    cold_rate = rate(run_with(cold), seconds)
    print(f"all {len(QUERIES)} queries agree with the corpus for both implementations")
    print(f"pyspf {spf.__version__}:            {pyspf_rate:12,.0f} evaluations/s")
    print(f"mailauth (record cache warm): {warm_rate:12,.0f} evaluations/s  ({warm_rate / pyspf_rate:.1f}x pyspf)")
    print(f"mailauth (record cache off):  {cold_rate:12,.0f} evaluations/s  ({cold_rate / pyspf_rate:.1f}x pyspf)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
