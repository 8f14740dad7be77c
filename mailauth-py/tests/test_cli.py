"""The ``mailauth`` command as ``pip install mailauth`` installs it: the
console script next to this interpreter, and ``python -m mailauth``; against
the bundled demo zone, a zone file, and the real DNS server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("mailauth")
DEMO = REPO / "mailauth-doctor" / "data" / "demo.zone"


def mailauth(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_the_console_script_is_installed() -> None:
    assert SCRIPT.is_file(), SCRIPT
    help = mailauth("doctor", "--help")
    assert help.returncode == 0, help.stderr
    assert "Examples:" in help.stdout and "--demo <CASE>" in help.stdout
    version = mailauth("--version")
    assert version.stdout.strip().startswith("mailauth 0.")
    for command in ("domain", "spf", "dmarc", "dnsbl", "iprev"):
        assert mailauth(command, "--help").returncode == 0, command


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mailauth", "doctor", "--demo", "good"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "DNS answers from the bundled demo zone (fictional data, offline)" in out.stdout


def test_usage_errors_exit_64() -> None:
    out = mailauth("doctor", "--ip", "192.0.2.1")
    assert out.returncode == 64 and "--mail-from" in out.stderr


def test_the_demo_is_labelled_in_json() -> None:
    out = mailauth("doctor", "--demo", "bare-helo", "--json")
    assert out.returncode == 2
    report = json.loads(out.stdout)
    assert report["resolver"] == "the bundled demo zone (fictional data, offline)"
    assert report["worst"] == "fail"


def test_a_zone_file() -> None:
    out = mailauth("spf", "--zone", str(DEMO), "--ip", "198.51.100.25", "--mail-from", "<me@relayed.example>", "--helo", "smtp.isp.example")
    assert out.returncode == 0, out.stdout
    # A long checkout path may wrap the line.
    assert f"DNS answers from the zone file {DEMO}" in " ".join(out.stdout.split())


def test_against_the_real_dns_server(dns_server: str) -> None:
    iprev = mailauth("iprev", "--dns", dns_server, "192.0.2.25", "--json")
    assert iprev.returncode == 0, iprev.stdout + iprev.stderr
    body = json.loads(iprev.stdout)
    assert body["resolver"] == f"nameservers {dns_server} (UDP, TCP fallback)"
    assert body["iprev"]["result"] == "pass" and body["iprev"]["confirmed"] == ["mail.mailauth.test"]
    missing = mailauth("iprev", "--dns", dns_server, "192.0.2.7")
    assert missing.returncode == 2 and "cannot find your reverse hostname" in missing.stdout
