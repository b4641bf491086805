"""kvmwriter rules: list the catalog."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "list every rule with its severity and summary"


def add_parser(sub) -> None:
    parser = sub.add_parser("rules", help=HELP, description=HELP + ".")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")


def rule_table_markdown() -> str:
    """README's rule table, generated from the catalog."""
    from kvmwriter.lint.rules import catalog

    rows = ["| rule | severity | group | what it checks |", "| --- | --- | --- | --- |"]
    for rule in catalog().values():
        opt = " (opt-in)" if rule.opt_in else ""
        summary = rule.summary.replace("|", "\\|")
        rows.append(f"| `{rule.name}` | {rule.severity.label}{opt} | {rule.group} | {summary} |")
    return "\n".join(rows) + "\n"


def run(args: argparse.Namespace) -> int:
    from kvmwriter.lint.rules import catalog

    rules = catalog().values()
    if args.format == "markdown":
        sys.stdout.write(rule_table_markdown())
    elif args.format == "json":
        data = [
            {
                "name": r.name,
                "severity": r.severity.label,
                "group": r.group,
                "summary": r.summary,
                "opt_in": r.opt_in,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            sys.stdout.write(f"{r.name:<{width}}  {r.severity.label:<7}  {r.summary}\n")
    return 0
