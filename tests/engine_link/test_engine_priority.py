"""The engine process runs below the window's priority; a refusal to lower it is never fatal."""

from __future__ import annotations

import os
import sys

import psutil
import pytest

from sketchpad.engine_host import priority
from tests.engine_link.conftest import Link


@pytest.mark.skipif(sys.platform == "win32", reason="nice values are POSIX; Windows has priority classes")
def test_the_engine_started_by_the_window_runs_ten_nice_steps_below_it(tiny_models):
    window_nice = os.nice(0)
    link = Link().start()
    try:
        engine = psutil.Process(link.process.pid)
        assert engine.ppid() == os.getpid()
        assert engine.nice() == min(19, window_nice + priority.NICE_STEP)
        assert os.nice(0) == window_nice  # the window keeps its own priority
    finally:
        link.stop()


def test_a_refused_priority_change_is_reported_and_the_engine_goes_on(monkeypatch, capsys):
    def refuse(*_args: object) -> None:
        raise PermissionError("not permitted")

    monkeypatch.setattr(priority.os, "nice", refuse)
    monkeypatch.setattr(priority.sys, "platform", "linux")
    assert priority.run_in_background() is False
    assert "normal priority" in capsys.readouterr().err
