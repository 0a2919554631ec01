"""Build the PyInstaller bundle and run it alone: generate, export, show the window (opt-in, slow)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.bundle
@pytest.mark.timeout(7200)
def test_bundle_generates_exports_and_shows_the_window(packaging_scripts: Path) -> None:
    import smoke_test
    from packaging_tools import BUNDLE, PROGRAM_NAME

    # SKETCHPAD_BUNDLE_REUSE=1 smoke-tests an existing dist/sketchpad instead of building again.
    if os.environ.get("SKETCHPAD_BUNDLE_REUSE") != "1" or not (BUNDLE / PROGRAM_NAME).exists():
        subprocess.run([sys.executable, str(packaging_scripts / "build.py")], check=True)
    metrics = smoke_test.smoke(BUNDLE)
    print(metrics)
    assert metrics["window_seconds"] > 0
