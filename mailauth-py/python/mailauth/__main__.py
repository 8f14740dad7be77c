"""The ``mailauth`` command (also ``python -m mailauth``): the doctor and
one subcommand per check, on the system's resolver unless told otherwise.
See ``mailauth --help``."""

from __future__ import annotations

import sys

from mailauth._mailauth import _cli


def main() -> int:
    """Runs the command on ``sys.argv`` and returns its exit code."""
    sys.stdout.flush()
    return _cli(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
