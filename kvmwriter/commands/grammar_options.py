"""``--grammar`` and ``--grammar-server`` for ``kvmwriter check`` (stdlib imports only).

``check.py`` calls :func:`add_grammar_options` when building its parser,
:func:`grammar_opt_in` when building the linter and :func:`grammar_context`
for the check context's extras.  Status lines ("grammar: server not
answering") go to stderr once each; they never change the exit status.
"""

from __future__ import annotations

import argparse

from kvmwriter.commands.common import say
from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


def add_grammar_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("grammar (LanguageTool)")
    group.add_argument(
        "--grammar",
        action="store_true",
        help="also run the grammar rule, with the LanguageTool named by [grammar] in the "
        "config (default: a downloaded local LanguageTool, else off)",
    )
    group.add_argument(
        "--grammar-server",
        metavar="URL",
        help="check grammar with the LanguageTool server at URL for this run "
        "(implies --grammar; the public API only when its URL is given)",
    )


def grammar_opt_in(args: argparse.Namespace) -> list[str]:
    """Rule names to opt in: ``grammar`` when asked for on the command line."""
    if getattr(args, "grammar", False) or getattr(args, "grammar_server", None):
        return ["grammar"]
    return []


def grammar_context(args: argparse.Namespace, config: Any, linter: Any) -> dict[str, Any]:
    """Extras for the check context: a grammar checker when the rule runs.

    Raises :class:`kvmwriter.lint.config.ConfigError` for a bad ``[grammar]``
    section.  Prints the one-line hint when grammar is off or cannot run.
    """
    if not any(rule.name == "grammar" for rule in linter.rules):
        if grammar_opt_in(args):
            # --select narrows the run: grammar asked for but not selected.
            say("grammar: not run (add 'grammar' to --select, or drop --ignore for it)")
        return {}
    from kvmwriter.lint.grammar import GrammarChecker, resolve_settings

    section = config.sections.get("grammar") if config is not None else None
    if section is not None and not isinstance(section, dict):
        from kvmwriter.lint.config import ConfigError

        raise ConfigError("[grammar] must be a table")
    settings = resolve_settings(
        section, linter.profile, server=getattr(args, "grammar_server", None)
    )
    shown: set[str] = set()

    def show(status: str) -> None:
        if status not in shown:
            shown.add(status)
            say(status)

    checker = GrammarChecker(settings, on_status=show)
    if not checker.available:
        show(settings.hint or "grammar: off")
    return {"grammar": checker}
