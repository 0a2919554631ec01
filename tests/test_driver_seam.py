"""SKETCHPAD_DRIVER (the seam the end-to-end tests drive the app through) is said in the log when used and
refused by a packaged (frozen) Sketchpad unless its command line asks for it too."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from sketchpad.app import DRIVER_VARIABLE, driver_to_run


def test_a_driver_file_is_announced_in_the_log(caplog):
    with caplog.at_level(logging.WARNING, logger="sketchpad.app"):
        assert driver_to_run({DRIVER_VARIABLE: "/tmp/drive.py"}, frozen=False, allowed=False) == "/tmp/drive.py"
    assert "/tmp/drive.py" in caplog.text and DRIVER_VARIABLE in caplog.text
    caplog.clear()
    assert driver_to_run({}, frozen=True, allowed=False) is None and caplog.text == ""


def test_a_frozen_bundle_runs_a_driver_only_when_its_command_line_asks():
    with pytest.raises(SystemExit, match="--allow-driver"):
        driver_to_run({DRIVER_VARIABLE: "/tmp/drive.py"}, frozen=True, allowed=False)
    assert driver_to_run({DRIVER_VARIABLE: "/tmp/drive.py"}, frozen=True, allowed=True) == "/tmp/drive.py"


def _as_frozen(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """`sketchpad *args` in a fresh process that believes it is a frozen bundle, with a driver that writes
    a file before it quits the app (so the test knows whether it ran)."""
    ran = tmp_path / "driver-ran"
    driver = tmp_path / "drive.py"
    driver.write_text(f"from pathlib import Path\nfrom PySide6.QtWidgets import QApplication\n\n"
                      f"def drive(window):\n    Path({str(ran)!r}).write_text('yes')\n"
                      f"    window.close()\n    QApplication.quit()\n")
    code = f"import sys; sys.frozen = True; from sketchpad.cli import main; sys.exit(main({list(args)!r}))"
    env = {**os.environ, DRIVER_VARIABLE: str(driver), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def test_the_frozen_entry_refuses_the_variable_alone_and_runs_it_with_the_flag(tmp_path):
    refused = _as_frozen(tmp_path)
    assert refused.returncode != 0 and not (tmp_path / "driver-ran").exists()
    assert refused.stderr.strip().splitlines()[-1].startswith("sketchpad: SKETCHPAD_DRIVER names a Python file")
    allowed = _as_frozen(tmp_path, "--allow-driver")
    assert (tmp_path / "driver-ran").read_text() == "yes", allowed.stderr[-2000:]
    assert "running the driver file" in allowed.stderr
