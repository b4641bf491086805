"""Options and helpers several commands share (light imports only)."""

from __future__ import annotations

import argparse
import os
import sys

from kvmwriter.errors import EXIT_USAGE
from kvmwriter.lint.report import FORMATS


def add_lint_options(parser: argparse.ArgumentParser) -> None:
    """--format, --fail-on, --select, --ignore, --config, --profile."""
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="exit 1 when a finding is at or above this severity (default: error)",
    )
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULE",
        help="run only these rules or groups (repeatable, comma-separated)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULE",
        help="skip these rules or groups (repeatable, comma-separated)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="config file (default: .kvmwriter.toml at the repository "
        "root, then ~/.config/kvmwriter/config.toml)",
    )
    parser.add_argument(
        "--profile", metavar="NAME|FILE", help="rule profile (default: from config, else kvm-x86)"
    )


def split_names(values: list[str]) -> list[str]:
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Print ``message`` (often git's or a server's words) as one safe line."""
    say(message)
    return code


def say(message: str, *, file=None) -> None:
    """Print ``kvmwriter: message`` on stderr (or ``file``), its control
    characters escaped: the message may quote a file name, a branch, a
    subject or a server's error text."""
    from kvmwriter.text.terminal import visible

    print(f"kvmwriter: {visible(message)}", file=file or sys.stderr)


def load_run_config(args: argparse.Namespace, start: str | os.PathLike[str] | None):
    """Config from --config or discovery, with --profile applied."""
    from kvmwriter.lint.config import find_config_file, load_config

    given = getattr(args, "config", None)
    path = given if given else find_config_file(start)
    if given and path is not None and not os.path.isfile(path):
        from kvmwriter.lint.config import CONFIG_NAME, ConfigError

        if os.path.isdir(path):
            example = os.path.join(path, CONFIG_NAME)
            raise ConfigError(
                f"{path}: is a directory; give the config file itself (e.g. {example})"
            )
        raise ConfigError(f"{path}: no such config file")
    # A file named with --config is the user's choice: trust it like their own.
    config = load_config(path, trusted=True if getattr(args, "config", None) else None)
    for notice in config.notices:
        print(f"kvmwriter: {notice}", file=sys.stderr)
    if getattr(args, "profile", None):
        config.profile = args.profile
        config.profile_forced = True
    return config
