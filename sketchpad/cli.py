"""Command line entry point: `sketchpad` opens the window, subcommands work headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sketchpad import __version__, cli_engine, cli_sketch


class CliError(Exception):
    """Bad input on the command line: printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sketchpad",
        description="A desktop music sketchpad. With no command, opens the main window.",
    )
    parser.add_argument("--version", action="version", version=f"sketchpad {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli_engine.register(commands)
    cli_sketch.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from sketchpad.app import run_app

        return run_app(sys.argv[:1])
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("sketchpad: interrupted", file=sys.stderr)
        return 130
    except CliError as error:
        print(f"sketchpad: {error}", file=sys.stderr)
        return 2
