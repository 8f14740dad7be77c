"""Posture scans past one machine: mailauth's scan under Dask.

Dask splits the domain list into partitions (blocks of the input files, read
by the workers themselves); each task scans one partition with
``mailauth.scan``, which runs many domains at once on the worker's own
threads, and writes its reports as JSON lines next to the others. Nothing is
gathered in the client but the file names, so the list may be as long as
the disks allow.

    python scan_with_dask.py 'domains-*.txt' out/ --scheduler tcp://10.0.0.1:8786 \\
        --dns 127.0.0.1:53

Each worker asks the resolver given by ``--dns``: put one recursive resolver
on every worker machine (unbound, Knot Resolver) and give its local address,
so that the load spreads with the machines and no worker waits on another's
resolver. The ``Resolver`` object travels to the workers as its
configuration and is built again in each of them.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

import dask.bag as db

import mailauth


def scan_partition(
    domains: Iterable[str], resolver: mailauth.Resolver, concurrency: int, dkim_selectors: list[str]
) -> list[str]:
    """One task: the partition's domains, scanned at once, as JSON lines."""
    names = (line.strip() for line in domains)
    wanted = (name for name in names if name and not name.startswith("#"))
    reports = mailauth.scan(wanted, resolver=resolver, concurrency=concurrency, dkim_selectors=dkim_selectors)
    return [report.to_json() for report in reports]


def scan_files(
    inputs: str | list[str],
    output: str,
    resolver: mailauth.Resolver,
    *,
    blocksize: str = "256KiB",
    concurrency: int = 256,
    dkim_selectors: list[str] | None = None,
) -> list[str]:
    """Scans the domains of ``inputs`` (files or globs, one domain per line)
    on the current Dask scheduler and writes one JSON-lines file per
    partition into the directory ``output``; returns their names."""
    lines = db.read_text(inputs, blocksize=blocksize)  # type: ignore[no-untyped-call]
    reports = lines.map_partitions(
        scan_partition, resolver=resolver, concurrency=concurrency, dkim_selectors=dkim_selectors or []
    )
    written: list[str] = reports.to_textfiles(f"{output.rstrip('/')}/*.jsonl")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", help="domain list files or a glob, one domain per line")
    parser.add_argument("output", help="directory for the JSON-lines files")
    parser.add_argument("--scheduler", help="a Dask scheduler address (default: a local cluster)")
    parser.add_argument("--dns", help="the resolver each worker asks, IP:PORT (default: the system's)")
    parser.add_argument("--concurrency", type=int, default=256, help="domains at once per task")
    parser.add_argument("--dkim-selector", action="append", default=[], help="DKIM selectors to check")
    args = parser.parse_args()

    from dask.distributed import Client, LocalCluster

    resolver = (
        mailauth.Resolver.nameservers([args.dns], transport="udp-multiplexed")
        if args.dns
        else mailauth.Resolver()
    )
    cluster = None if args.scheduler else LocalCluster(threads_per_worker=1, dashboard_address=None)  # type: ignore[no-untyped-call]
    with Client(args.scheduler or cluster):  # type: ignore[no-untyped-call]
        files = scan_files(
            args.inputs, args.output, resolver, concurrency=args.concurrency, dkim_selectors=args.dkim_selector
        )
    print(f"wrote {len(files)} files of reports to {args.output}")


if __name__ == "__main__":
    main()
