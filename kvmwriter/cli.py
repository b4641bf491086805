"""Command line entry point: argument parsing and dispatch only.

Each command lives in ``kvmwriter/commands/<name>.py`` with ``add_parser()``
and ``run()``.  Command modules import only the standard library at the top
so that ``kvmwriter check`` starts fast (and never imports Textual).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from kvmwriter import __version__
from kvmwriter.errors import EXIT_OK, EXIT_USAGE, UserError
from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, NoReturn

#: Subcommands in the order ``--help`` lists them.
COMMANDS = (
    "commit",
    "edit",
    "cover",
    "check",
    "review",
    "topic",
    "fixes",
    "hook",
    "demo",
    "rules",
    "explain",
    "grammar",
)

#: What runs for a bare ``kvmwriter``; later replaced by the drafting TUI.
DEFAULT_COMMAND: str | None = "commit"


def terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing shutil.

    argparse sizes a help formatter with shutil's answer at every
    ``add_argument``, so importing shutil (and bz2, lzma, fnmatch with it)
    costs each ``check`` 2 ms though help is rarely printed.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    stdout = sys.__stdout__
    if columns <= 0 and stdout is not None:
        try:
            columns = os.get_terminal_size(stdout.fileno()).columns
        except (ValueError, OSError):  # closed, detached or not a terminal
            columns = 0
    return columns or 80


class _HelpFormatter(argparse.HelpFormatter):
    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        # argparse's own default: the terminal's width less two columns.
        width = terminal_columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # one line, exit 2, like every usage error
        self.exit(EXIT_USAGE, f"kvmwriter: {message} (see '{self.prog} --help')\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line parser; with ``only``, just that subcommand's.

    Each subcommand's parser needs its module imported, and ``check`` in a
    commit-msg hook must not pay for the other eleven: a known command
    builds only its own, while ``--help``, a typo or no command build all
    of them so the listing and the error name every choice.
    """
    parser = _Parser(
        prog="kvmwriter",
        description="Write and review KVM x86 commit messages and cover letters.",
    )
    parser.add_argument("--version", action="version", version=f"kvmwriter {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in (only,) if only else COMMANDS:
        module = importlib.import_module(f"kvmwriter.commands.{name}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv and DEFAULT_COMMAND:
        argv = [DEFAULT_COMMAND]
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    module = importlib.import_module(f"kvmwriter.commands.{args.command}")
    try:
        return module.run(args)
    except UserError as error:
        # The one place a user-facing error becomes one line and exit 2.
        print(f"kvmwriter: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kvmwriter: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> NoReturn:
    """Run the command line as a program: :func:`main`, then exit with its status."""
    code = main()
    # The process ends here and the OS takes its memory back: spare the
    # interpreter's last collection a walk over every object still alive
    # (15 to 20 ms after a review of a long range).
    import gc

    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
