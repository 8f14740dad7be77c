"""Verifications per second of mailauth's Python binding and of dkimpy on
the same signed messages, in one process.

The messages are the DKIM benchmark's shapes (benches/benches/dkim.rs):
2 KB, 20 KB and 1 MB, signed by mailauth with an RSA-2048 key
(mailauth-core/tests/data/dkim/rsa2048.pk8.b64) and an Ed25519 key,
relaxed/relaxed and simple/simple. dkimpy gets the key records through its
`dnsfunc` hook, mailauth from an in-memory zone with the same records. Both
must verify every message before anything is timed. Run by
scripts/bench-python-dkim.sh.

The last column, "bound", is dkimpy's time over the time of the two steps
no verifier can skip, done with the libraries dkimpy itself calls: SHA-256
of the message (hashlib, OpenSSL) and the signature operation (dkimpy's
RSA, Python's `pow`; PyNaCl's Ed25519, libsodium). For Ed25519, whose
libsodium signature check is as fast as ring's, it is the most any
verifier could beat dkimpy by, were everything else free; dkimpy's RSA is
slower than ring's, so for RSA it is no such bound.
"""

from __future__ import annotations

import base64
import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

import dkim  # dkimpy
import nacl.exceptions
import nacl.signing
from dkim.crypto import RSASSA_PKCS1_v1_5_verify, parse_public_key

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


def tag(field: bytes, name: bytes) -> bytes:
    """The value of tag `name` in a tag list, whitespace removed."""
    for spec in field.split(b";"):
        key, _, value = spec.partition(b"=")
        if key.strip() == name:
            return b"".join(value.split())
    raise KeyError(name)


def unavoidable(signed: bytes, record: bytes) -> Callable[[], object]:
    """The message's SHA-256 and the signature operation, as dkimpy's
    libraries do them (the signature checked over a stand-in hash: the work
    is the same whether it matches or not)."""
    field = signed.split(b"\r\n\r\n", 1)[0].split(b"DKIM-Signature:", 1)[1]
    signature = base64.b64decode(tag(field, b"b"))
    key = base64.b64decode(tag(record, b"p"))
    header_input = signed[:500]
    if b"ed25519" in record:
        verify_key = nacl.signing.VerifyKey(key)

        def ed25519() -> object:
            hashlib.sha256(signed).digest()
            try:
                return verify_key.verify(hashlib.sha256(header_input).digest(), signature)
            except nacl.exceptions.BadSignatureError:
                return None

        return ed25519
    public_key = parse_public_key(key)

    def rsa() -> object:
        hashlib.sha256(signed).digest()
        return RSASSA_PKCS1_v1_5_verify(hashlib.sha256(header_input), signature, public_key)

    return rsa


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
            floor_rate = rate(unavoidable(signed, records[f"{signer.key_record_name}."]), 1, per)
            print(
                f"{alg:16} {size_name:>3}: dkimpy {dkimpy_rate:10,.0f}/s   mailauth {mailauth_rate:10,.0f}/s"
                f"   {mailauth_rate / dkimpy_rate:6.1f}x   bound {floor_rate / dkimpy_rate:6.1f}x"
            )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
