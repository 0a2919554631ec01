"""The engine's thread count follows the cores that are free: all of them on an idle machine."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from sketchpad.engine import threads


@pytest.mark.parametrize(("cores", "busy", "expected"), [
    (1, 0.0, 1),  # one core: one thread, however busy
    (2, 0.0, 2),  # every core: the window outranks the engine when it needs one
    (2, 0.2, 2),  # a little background work (the window's own) does not cost a core
    (2, 1.0, 1),  # another program keeps a core: the engine's threads would wait for it
    (8, 0.0, 8),
    (8, 2.9, 5),  # three cores taken by others
    (8, 9.0, 1),  # all taken: still one
])
def test_every_free_core(cores, busy, expected, monkeypatch):
    monkeypatch.delenv(threads.THREADS_ENV, raising=False)
    assert threads.choose_threads(cores, busy) == expected


def test_a_fixed_count_from_the_environment_wins(monkeypatch):
    monkeypatch.setenv(threads.THREADS_ENV, "3")
    assert threads.choose_threads(8, 6.0) == 3


def test_a_busy_process_beside_the_engine_is_seen():
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        assert threads.busy_elsewhere(0.5) > 0.4
    finally:
        spinner.kill()
        spinner.wait()


def test_the_budget_applies_on_the_cpu_and_is_restored(monkeypatch):
    before = torch.get_num_threads()
    with threads.thread_budget("cpu", 1) as chosen:
        assert chosen == 1 and torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with threads.thread_budget("cuda", 1):
        assert torch.get_num_threads() == before  # the GPU's threads are not the engine's to trim
