"""The type stubs carry the native module's docstrings, so that editors show
the same help as ``help(mailauth)``; stubtest checks the signatures, this
test the words."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import mailauth._mailauth as native

STUB = Path(native.__file__).with_name("_mailauth.pyi")


def documented() -> list[tuple[str, ast.FunctionDef, Any]]:
    """Every function, method and property of the stub (dunders aside, whose
    docs are Python's) with the runtime object it describes."""
    items = []
    for node in ast.parse(STUB.read_text()).body:
        if isinstance(node, ast.FunctionDef):
            items.append((node.name, node, getattr(native, node.name)))
        elif isinstance(node, ast.ClassDef):
            cls = getattr(native, node.name)
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("__"):
                    items.append((f"{node.name}.{item.name}", item, getattr(cls, item.name)))
    return items


def test_the_stub_is_the_installed_one() -> None:
    assert STUB.is_file(), STUB


def test_every_stub_item_has_the_runtime_docstring() -> None:
    items = documented()
    assert len(items) > 200, "the stub lost its items"
    wrong = []
    for name, node, runtime in items:
        expected = inspect.cleandoc(runtime.__doc__ or "")
        if not expected:
            wrong.append(f"{name}: no docstring at runtime")
        elif ast.get_docstring(node) != expected:
            wrong.append(f"{name}: the stub's docstring differs from the runtime's")
    assert not wrong, "\n".join(wrong)
