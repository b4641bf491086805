"""kvmwriter explain RULE: print a rule's documentation."""

from __future__ import annotations

import argparse
import difflib
import sys

from kvmwriter.commands.common import fail

HELP = "show a rule's rationale and examples"


def add_parser(sub) -> None:
    parser = sub.add_parser("explain", help=HELP, description=HELP + ".")
    parser.add_argument("rule", metavar="RULE")


def run(args: argparse.Namespace) -> int:
    from kvmwriter.lint.rules import catalog

    rules = catalog()
    rule = rules.get(args.rule)
    if rule is None:
        close = difflib.get_close_matches(args.rule, list(rules), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; see 'kvmwriter rules'"
        return fail(f"unknown rule {args.rule!r}{hint}")
    sys.stdout.write(rule.doc)
    return 0
