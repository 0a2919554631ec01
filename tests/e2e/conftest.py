"""End-to-end tests: the app started exactly as a person starts it, driven, and judged from outside
(see launching.py and driving.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.e2e.launching import AppRun, Launcher, engine_alive


@pytest.fixture
def launcher(tmp_path: Path, tiny_models) -> Any:
    """Start the app; afterwards nothing it started may still run."""
    launch = Launcher(tmp_path)
    yield launch
    for run in launch.runs:
        if run.process.poll() is None:
            run.kill_all()
            pytest.fail("the app was still running at the end of the test")
        for pid in run.engine_pids:
            if engine_alive(pid):
                psutil.Process(pid).kill()
                pytest.fail(f"the engine process {pid} outlived its window")


def assert_no_orphans(run: AppRun, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in run.engine_pids if engine_alive(pid)]
        if not alive:
            return
        time.sleep(0.1)
    pytest.fail(f"engine processes {alive} outlived the window")
