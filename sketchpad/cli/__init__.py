"""Command line entry point: `sketchpad` opens the window, subcommands work headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sketchpad import __version__
from sketchpad.app import ALLOW_DRIVER_FLAG, DRIVER_VARIABLE
from sketchpad.cli import analyze, generate, serve, sketch, stems
from sketchpad.cli.errors import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sketchpad",
        description="A desktop music sketchpad. With no command, opens the main window "
                    "(`sketchpad song.sketch` opens that sketch in it).",
    )
    parser.add_argument("--version", action="version", version=f"sketchpad {__version__}")
    parser.add_argument(ALLOW_DRIVER_FLAG, action="store_true",
                        help=f"let a packaged Sketchpad run the test driver file that {DRIVER_VARIABLE} names")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    generate.register(commands)
    sketch.register(commands)
    analyze.register(commands)
    stems.register(commands)
    serve.register(commands)
    return parser


def _sketch_to_open(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """`sketchpad PATH`: one argument that is neither an option nor a command is a sketch to open.

    argparse cannot mix an optional positional with subcommands (it would take `generate` for a path),
    so this is decided before parsing."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    if len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in commands:
        return argv[0]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from sketchpad.engine_link.client import HOST_FLAG

    if argv[:1] == [HOST_FLAG]:  # the engine process of a frozen bundle (elsewhere: python -m)
        from sketchpad.engine_host.host import main as engine_main

        return engine_main(argv[1:])
    parser = build_parser()
    allow_driver = ALLOW_DRIVER_FLAG in argv
    path = _sketch_to_open(parser, [item for item in argv if item != ALLOW_DRIVER_FLAG])
    args = parser.parse_args([ALLOW_DRIVER_FLAG] * allow_driver if path is not None else argv)
    if args.command is None:
        from sketchpad.app import run_app

        return run_app(sys.argv[:1], path=path, allow_driver=args.allow_driver)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("sketchpad: interrupted", file=sys.stderr)
        return 130
    except CliError as error:
        print(f"sketchpad: {error}", file=sys.stderr)
        return 2
