"""Open a model folder, type an idea, Generate, put the take on the timeline, switch it to MultiBand
Diffusion, export the mix, save the sketch, quit."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from tests.e2e.driving import (  # noqa: E402
    LatenessProbe,
    click,
    export_with_dialog,
    file_dialogs_answer,
    params,
    pause,
    run,
    type_text,
    wait_until,
)


def scenario(window, report: dict) -> None:
    p = params()
    wait_until(lambda: window.service.state in ("starting", "ready"), "the engine to start")
    report["engine_pid"] = window.service.process.pid
    wait_until(lambda: window.waveform.view is not None, "the waveform view", timeout=30)
    pause(300)  # the views' first paint (a one-off of start-up, measured by bench/startup.py)
    probe = LatenessProbe()
    probe.start()  # from here on: the engine's start, model load and generation happen beside the GUI
    picker = window.idea.models
    with file_dialogs_answer(p["model"]) as asked:
        picker.setCurrentIndex(picker.count() - 1)  # "Open model folder..."
        picker.activated.emit(picker.count() - 1)
    report["dialogs"] = asked
    report["model"] = picker.model
    type_text(window.idea.prompt, "earthy tones, ukulele, gentle grooves")
    window.idea.duration.setValue(p["duration"])
    QTest.keyClick(window.idea.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    began = time.perf_counter()
    wait_until(lambda: window.service.is_ready, "the engine", timeout=p.get("generate_timeout", 300))
    report["engine_ready_at"] = time.perf_counter() - began
    wait_until(lambda: window.takes.current is not None, "the take", timeout=p.get("generate_timeout", 300))
    report["take_at"] = time.perf_counter() - began
    report["ui"] = probe.stop()
    report["engine_ready"] = window.service.is_ready
    report["status"] = [window.statusBar().device.text(), window.statusBar().model.text(),
                        window.statusBar().memory.text()]
    take = window.takes.current
    report["take"] = {"seconds": take.seconds, "prompt": take.prompt, "seed": take.seed}
    click(window.takes.add_button)
    wait_until(lambda: any(window.document.sketch.iter_clips()), "the clip on the timeline", timeout=10)
    clip = next(clip for _track, clip in window.document.sketch.iter_clips())
    window.timeline.select_clips([clip.id])
    click(window.decoder_switch.buttons["mbd"])
    wait_until(lambda: window.document.sketch.clip(clip.id).decoder == "mbd", "the MultiBand Diffusion audio")
    report["decoder"] = window.document.sketch.clip(clip.id).decoder
    report["exported"] = export_with_dialog(window, p["export"])
    with file_dialogs_answer(p["sketch"]):
        window.files.save_as()
    wait_until(lambda: window.files.path is not None and not window.document.is_dirty, "the save", timeout=60)
    report["saved"] = str(window.files.path)
    report["title"] = window.windowTitle()


def drive(window) -> None:
    run(window, scenario)

