"""Packaging tests. The bundle test builds and runs a multi-GB PyInstaller bundle (tens of minutes), so it
runs only when asked: `uv run pytest tests/packaging --run-bundle`, or SKETCHPAD_RUN_BUNDLE=1."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


def pytest_addoption(parser: pytest.Parser) -> None:
    # Only seen when tests/packaging is on the command line (pytest reads options from initial conftests);
    # the environment variable works from anywhere.
    parser.addoption("--run-bundle", action="store_true", help="build and smoke-test the PyInstaller bundle")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "bundle: builds and runs the packaged app (slow; opt in with --run-bundle)")


def bundle_requested(config: pytest.Config) -> bool:
    return bool(config.getoption("--run-bundle", default=False)) or os.environ.get("SKETCHPAD_RUN_BUNDLE") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if bundle_requested(config):
        return
    skip = pytest.mark.skip(reason="bundle test: opt in with --run-bundle or SKETCHPAD_RUN_BUNDLE=1")
    for item in items:
        if "bundle" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def packaging_scripts() -> Path:
    """packaging/ on sys.path, so its scripts import as modules (the folder is not a package on purpose:
    a package named `packaging` would shadow the PyPI one)."""
    if str(PACKAGING) not in sys.path:
        sys.path.insert(0, str(PACKAGING))
    return PACKAGING
