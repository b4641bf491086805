"""README stays true: its rule table is the catalog's, its commands exist.

Regenerate the table with: python tests/test_readme.py --update
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- rules-table-start -->", "<!-- rules-table-end -->"


def current_table() -> str:
    sys.path.insert(0, str(ROOT))
    from kvmwriter.commands.rules import rule_table_markdown

    return rule_table_markdown()


def readme_table(text: str) -> str:
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def test_readme_rule_table_matches_catalog():
    text = README.read_text(encoding="utf-8")
    assert readme_table(text) == current_table(), (
        "README's rule table is stale: run python tests/test_readme.py --update"
    )


def block_after(marker: str, text: str) -> str:
    lines = text.splitlines()
    index = lines.index(marker)
    assert lines[index + 1].startswith("```")
    return lines[index + 2]


def test_readme_names_run_and_test_commands():
    text = README.read_text(encoding="utf-8")
    assert "pip" in block_after("<!-- run-command -->", text)
    assert "pytest" in block_after("<!-- test-command -->", text)


def test_ci_runs_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci


def update() -> None:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(head + START + "\n" + current_table() + END + tail, encoding="utf-8")


if __name__ == "__main__":
    if "--update" in sys.argv:
        update()
