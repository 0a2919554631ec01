"""For bench/ui_responsiveness.py: once the window has settled, open a model folder and generate;
a timer on the GUI thread records its own lateness from Generate (engine start, model load,
generation) until the take is in the list, and another over the window's first seconds."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401

from tests.e2e.driving import (  # noqa: E402
    LatenessProbe,
    click,
    file_dialogs_answer,
    params,
    pause,
    run,
    wait_until,
)


def scenario(window, report: dict, startup: LatenessProbe, began: float) -> None:
    p = params()
    wait_until(lambda: window.waveform.view is not None, "the waveform view", timeout=30)
    pause(500)
    report["startup"] = {**startup.stop(), "seconds": time.perf_counter() - began}
    picker = window.idea.models
    with file_dialogs_answer(p["model"]):
        picker.setCurrentIndex(picker.count() - 1)
        picker.activated.emit(picker.count() - 1)
    window.idea.prompt.setPlainText("warm lofi piano")
    window.idea.duration.setValue(p["duration"])
    report["engine_ready_before"] = window.service.is_ready
    probe = LatenessProbe()
    probe.start()
    began = time.perf_counter()
    click(window.idea.generate_button)
    wait_until(lambda: window.takes.current is not None, "the take", timeout=600)
    report["seconds"] = time.perf_counter() - began
    report["ui"] = probe.stop()
    report["device"] = window.service.device_text


def drive(window) -> None:
    # Started before the window's first event: the views built after the first paint (pyqtgraph's
    # import) and the engine's start come after this, in the same event loop.
    startup = LatenessProbe()
    startup.start()
    began = time.perf_counter()
    run(window, lambda window, report: scenario(window, report, startup, began))
