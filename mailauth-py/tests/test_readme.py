"""Every ```python block of the READMEs (the repository's, and the package's
own, which is the wheel's long description) runs, from the repository root."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = [ROOT / "README.md", ROOT / "mailauth-py" / "README.md"]
BLOCKS = [
    (readme, code)
    for readme in READMES
    for code in re.findall(r"^```python\n(.*?)^```$", readme.read_text(), flags=re.S | re.M)
]


def test_readmes_have_python_examples() -> None:
    for readme in READMES:
        assert any(r == readme for r, _ in BLOCKS), f"{readme} shows no Python example"


@pytest.mark.parametrize(
    ("readme", "code"), BLOCKS, ids=[f"{r.parent.name}-block{i}" for i, (r, _) in enumerate(BLOCKS)]
)
def test_readme_block(readme: Path, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(code, str(readme), "exec"), {"__name__": "readme"})
