"""Verifications per second of mailauth's Python binding and of dkimpy on
the same signed messages, in one process.

The messages are the DKIM benchmark's shapes (benches/benches/dkim.rs):
2 KB, 20 KB and 1 MB, signed by mailauth with an RSA-2048 key
(mailauth-core/tests/data/dkim/rsa2048.pk8.b64) and an Ed25519 key,
relaxed/relaxed and simple/simple. dkimpy gets the key records through its
`dnsfunc` hook, mailauth from an in-memory zone with the same records. Both
must verify every message before anything is timed. Run by
scripts/bench-python-dkim.sh.
"""

from __future__ import annotations

import base64
import sys
import time
from collections.abc import Callable
from pathlib import Path

import dkim  # dkimpy

import mailauth

ROOT = Path(__file__).resolve().parents[2]
RSA_KEY = base64.b64decode((ROOT / "mailauth-core" / "tests" / "data" / "dkim" / "rsa2048.pk8.b64").read_text())
HEADER = (
    b"From: Joe <joe@example.com>\r\nTo: Suzie <suzie@example.net>\r\n"
    b"Subject: The quarterly report\r\nDate: Tue, 1 Dec 2026 08:00:00 +0000\r\n"
    b"Message-ID: <20261201080000.1234@example.com>\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
)
LINE = b"Lorem ipsum dolor sit amet,  consectetur adipiscing elit, sed do eiusmod \r\n"


def message(size: int) -> bytes:
    body = bytearray(HEADER)
    while len(body) < size:
        body += LINE
    return bytes(body)


def rate(run: Callable[[], object], count: int, seconds: float) -> float:
    rounds = 0
    start = time.perf_counter()
    while True:
        run()
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return rounds * count / elapsed


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    ed_key = mailauth.DkimSigner.generate_ed25519()
    signers = {}
    for canon in ("relaxed", "simple"):
        c = f"{canon}/{canon}"
        signers[f"rsa2048 {canon}"] = mailauth.DkimSigner.rsa(RSA_KEY, "example.com", "rsa", canonicalization=c)
        signers[f"ed25519 {canon}"] = mailauth.DkimSigner.ed25519(ed_key, "example.com", "ed", canonicalization=c)
    records = {f"{s.key_record_name}.": s.key_record.encode() for s in signers.values()}
    zone = mailauth.Resolver.from_zone(
        "".join(
            f'{name} TXT ( {" ".join(chr(34) + text[i:i + 200].decode() + chr(34) for i in range(0, len(text), 200))} )\n'
            for name, text in records.items()
        )
    )

    def dnsfunc(name: bytes, timeout: int = 5) -> bytes:
        return records.get(name.decode(), b"")

    print(f"dkimpy {getattr(dkim, '__version__', '?')}, mailauth {mailauth.__version__}")
    failures = 0
    for size_name, size in [("2k", 2_000), ("20k", 20_000), ("1m", 1_000_000)]:
        for alg, signer in signers.items():
            body = message(size)
            signed = signer.sign(body).encode() + body
            mine = mailauth.dkim_verify_sync(signed, resolver=zone)
            theirs = dkim.verify(signed, dnsfunc=dnsfunc)
            if mine.result != "pass" or not theirs:
                print(f"{alg} {size_name}: mailauth {mine.result}, dkimpy {theirs}: the implementations disagree")
                failures += 1
                continue
            per = max(seconds / (20 if size >= 1_000_000 else 1), 0.5)
            dkimpy_rate = rate(lambda: dkim.verify(signed, dnsfunc=dnsfunc), 1, per)
            mailauth_rate = rate(lambda: mailauth.dkim_verify_sync(signed, resolver=zone), 1, per)
            print(
                f"{alg:16} {size_name:>3}: dkimpy {dkimpy_rate:10,.0f}/s   mailauth {mailauth_rate:10,.0f}/s"
                f"   {mailauth_rate / dkimpy_rate:6.1f}x"
            )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
