"""The window's view of its engine process: unload, crash and restart, a new device choice, quitting."""

from __future__ import annotations

import os
import signal

import psutil
import pytest

from sketchpad.engine_link.client import EngineOptions
from sketchpad.ui.common.engine_service import EngineMemory, EngineService
from tests.ui.conftest import ENGINE_START_TIMEOUT_S, GENERATE_TIMEOUT_MS, generate


def test_unload_gives_memory_back_and_the_picker_and_status_bar_say_so(qtbot, window):
    generate(qtbot, window, duration=1.0)
    picker = window.idea.models
    assert picker.model in picker.loaded and "loaded" in picker.currentText()
    with qtbot.waitSignal(window.service.memory_changed, timeout=GENERATE_TIMEOUT_MS) as blocker:
        window.actions["unload"].trigger()
    assert isinstance(blocker.args[0], EngineMemory) and blocker.args[0].rss > 0
    qtbot.waitUntil(lambda: window.statusBar().model.text() == "Model: none loaded", timeout=10_000)
    assert picker.loaded == set() and "loaded" not in picker.currentText()
    assert window.statusBar().memory.text().startswith("Engine memory:")
    assert len(generate(qtbot, window, duration=1.0)) == 1  # and it loads again when asked


@pytest.fixture
def own_service(qapp, tiny_models):
    service = EngineService(EngineOptions(device="cpu", offline=True))
    yield service
    service.shutdown()


def _ready(qtbot, service: EngineService) -> None:
    qtbot.waitUntil(lambda: service.is_ready, timeout=ENGINE_START_TIMEOUT_S * 1000)


def test_a_crash_fails_the_running_job_clearly_and_the_next_request_starts_a_new_engine(qtbot, own_service,
                                                                                          tiny_models):
    from sketchpad.engine.request import GenerationRequest

    own_service.start()
    _ready(qtbot, own_service)
    first_pid = own_service.pid
    job = own_service.generate(GenerationRequest(model=str(tiny_models.mono), prompts=("x",), duration=120.0))
    with qtbot.waitSignal(job.progress, timeout=GENERATE_TIMEOUT_MS):
        pass
    failures, stops = [], []
    job.error.connect(lambda message, _details: failures.append(message))
    own_service.stopped.connect(stops.append)
    os.kill(first_pid, signal.SIGSEGV)
    qtbot.waitUntil(lambda: bool(failures and stops), timeout=10_000)
    assert failures == stops and "stopped unexpectedly" in stops[0] and "segmentation fault" in stops[0]
    assert own_service.state == "stopped" and own_service.pid is None
    again = own_service.generate(GenerationRequest(model=str(tiny_models.mono), prompts=("x",), duration=0.5))
    with qtbot.waitSignal(again.result, timeout=ENGINE_START_TIMEOUT_S * 1000) as done:
        pass
    assert done.args[0].results and own_service.pid not in (None, first_pid)


def test_a_new_device_or_offline_choice_starts_a_new_engine_once_the_running_job_ends(qtbot, own_service,
                                                                                      tiny_models):
    from sketchpad.engine.request import GenerationRequest

    own_service.start()
    _ready(qtbot, own_service)
    first = psutil.Process(own_service.pid)
    job = own_service.generate(GenerationRequest(model=str(tiny_models.mono), prompts=("x",), duration=3.0))
    own_service.configure(EngineOptions(device="cpu", offline=False))
    assert own_service.pid == first.pid  # not in the middle of the job
    with qtbot.waitSignal(job.result, timeout=GENERATE_TIMEOUT_MS):
        pass
    qtbot.waitUntil(lambda: own_service.is_ready and own_service.pid not in (None, first.pid),
                    timeout=ENGINE_START_TIMEOUT_S * 1000)
    assert "--offline" not in " ".join(psutil.Process(own_service.pid).cmdline())
    second = psutil.Process(own_service.pid)
    own_service.configure(EngineOptions(device="cpu", offline=False, precision="exact"))  # idle: at once
    qtbot.waitUntil(lambda: own_service.is_ready and own_service.pid not in (None, second.pid),
                    timeout=ENGINE_START_TIMEOUT_S * 1000)
    assert "--precision exact" in " ".join(psutil.Process(own_service.pid).cmdline())
    first.wait(timeout=10)  # the old engine has ended
    own_service.shutdown()
    assert own_service.pid is None and own_service.state == "stopped"
