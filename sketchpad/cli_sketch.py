"""`sketchpad render` and `sketchpad info`: headless commands on sketch files."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Placeholder until the sketch document lands: adds no commands."""
