"""kvmwriter grammar: show the grammar setup, or download LanguageTool when asked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kvmwriter.commands.common import fail, load_run_config

HELP = "show which LanguageTool grammar checking uses; --download fetches a local one"


def add_parser(sub) -> None:
    parser = sub.add_parser("grammar", help=HELP, description=HELP + ".")
    parser.add_argument(
        "--download",
        action="store_true",
        help="download language-tool-python's LanguageTool (about 250 MB, needs Java); asks first",
    )
    parser.add_argument("--yes", action="store_true", help="with --download: agree without asking")
    parser.add_argument("--config", metavar="FILE", help="config file to read [grammar] from")


def run(args: argparse.Namespace) -> int:
    from kvmwriter.lint.config import ConfigError
    from kvmwriter.lint.grammar import download_local, local_languagetool_dir, resolve_settings
    from kvmwriter.lint.profile import ProfileError, load_profile
    from kvmwriter.text.terminal import visible, visible_line

    if args.download:
        found = local_languagetool_dir()
        if found is not None:
            print(visible(f"LanguageTool is already downloaded: {found}"))
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                return fail(
                    "not downloading without agreement: run "
                    "'kvmwriter grammar --download' in a terminal, or add --yes"
                )
            answer = input(
                "Download LanguageTool (about 250 MB) into ~/.cache/language_tool_python? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                print("Not downloaded.")
                return 0
        try:
            path = download_local()
        except Exception as error:  # noqa: BLE001 - one line, never a traceback
            return fail(f"LanguageTool download failed: {' '.join(str(error).split())}")
        print(visible(f"LanguageTool downloaded: {path}"))
        return 0

    try:
        config = load_run_config(args, Path.cwd())
        profile = load_profile(config.profile)
        section = config.sections.get("grammar")
        settings = resolve_settings(section if isinstance(section, dict) else None, profile)
    except (ConfigError, ProfileError) as error:
        return fail(str(error))
    local = local_languagetool_dir()
    print(f"mode: {settings.mode}")
    if settings.server:
        print(visible_line(f"server: {settings.server}"))
    print(f"timeout: {settings.timeout:g} s")
    print(visible(f"local LanguageTool: {local if local else 'not downloaded'}"))
    if settings.hint:
        print(visible(settings.hint))
    return 0
