"""The package's folders are layers: each imports only the layers above it.

The order is README's "Architecture" table: errors and records, text,
git, lint, compose and review, tui, commands, cli.  An import that points down the
list (git importing lint, lint importing the apps) is the first step of a
cycle, and makes the cheap paths (the commit-msg hook's ``check``) load
what they never use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kvmwriter"

#: Each layer and the layers it may import (besides itself).
ALLOWED = {
    "errors": set(),
    "records": set(),
    "text": {"errors", "records"},
    "git": {"errors", "records", "text"},
    "lint": {"errors", "records", "text", "git"},
    "compose": {"errors", "records", "text", "git", "lint"},
    "review": {"errors", "records", "text", "git", "lint"},
    "tui": {"errors", "records", "text", "git", "lint", "compose", "review"},
    "commands": {"errors", "records", "text", "git", "lint", "compose", "review", "tui"},
    "cli": {"errors", "records", "commands"},
}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("cli", "__main__", "__init__"):
        return "cli"
    return parts[1]


def imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for every kvmwriter import in ``path``, however nested."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] == "kvmwriter"]
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_module_imports_only_layers_above_it(path):
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    own = layer_of(".".join(relative.parts))
    assert own in ALLOWED, f"{relative}: not in a known layer; add the folder to ALLOWED"
    wrong = [
        f"line {line}: {name}"
        for line, name in imports(path)
        if layer_of(name) not in ALLOWED[own] | {own}
    ]
    assert not wrong, f"{relative} ({own}) imports a layer below it: {wrong}"


def test_the_layer_test_sees_a_downward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from kvmwriter.tui.plain import plain\n")
    assert imports(bad) == [(2, "kvmwriter.tui.plain")]
    assert layer_of("kvmwriter.tui.plain") not in ALLOWED["lint"]
