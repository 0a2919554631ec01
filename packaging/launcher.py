"""The frozen program's entry point: the same `main` that `uv run sketchpad` calls."""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    # A frozen program re-executes itself for multiprocessing children; this makes them behave.
    multiprocessing.freeze_support()
    from sketchpad.cli import main

    sys.exit(main())
