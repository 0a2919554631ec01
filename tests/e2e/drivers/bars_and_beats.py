"""A tempo named in the prompt reaches the sketch; typed tempo, metre and master gain in the transport;
the metronome switched on with its key; saved; the next start remembers the metronome. With `shot`,
the window is saved as a picture at the end (under Xvfb, for a person to look at)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from tests.e2e.driving import file_dialogs_answer, params, pause, run, type_text, wait_until  # noqa: E402


def _type_value(field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)


def _shown(window) -> dict:
    sketch, transport = window.document.sketch, window.transport
    return {"tempo": sketch.tempo, "metre": list(sketch.metre), "master_db": sketch.master_gain_db,
            "tempo_field": transport.tempo_field.text(), "time": transport.time.text(),
            "metronome_on": transport.metronome_action.isChecked(),
            "player_clicks": window.arrangement_playback.metronome}


def first(window, report: dict) -> None:
    p = params()
    wait_until(lambda: window.waveform.view is not None, "the waveform view", timeout=30)
    window.activateWindow()  # keys go to the focused window (under Xvfb no window manager activates it)
    wait_until(window.isActiveWindow, "the window to be active", timeout=10)
    picker = window.idea.models
    with file_dialogs_answer(p["model"]):
        picker.setCurrentIndex(picker.count() - 1)  # "Open model folder..."
        picker.activated.emit(picker.count() - 1)
    report["metronome_enabled_without_tempo"] = window.transport.metronome_action.isEnabled()
    type_text(window.idea.prompt, "slow blues shuffle in 6/8, 80 bpm")
    window.idea.duration.setValue(1.0)
    QTest.keyClick(window.idea.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_until(lambda: window.takes.current is not None, "the take", timeout=300)
    report["after_prompt"] = _shown(window)
    _type_value(window.transport.tempo_field, "96")
    _type_value(window.transport.beats_field, "3")
    _type_value(window.transport.master_field, "-6")
    window.timeline.view.setFocus()
    QTest.keyClick(window.timeline.view, Qt.Key.Key_C)  # the metronome's key
    report["typed"] = _shown(window)
    report["steps"] = [window.document.undo_stack.text(i) for i in range(window.document.undo_stack.count())]
    with file_dialogs_answer(p["sketch"]):
        window.files.save_as()
    wait_until(lambda: window.files.path is not None and not window.document.is_dirty, "the save", timeout=60)
    if p.get("shot"):
        window.resize(1280, 720)
        pause(300)
        window.grab().save(p["shot"])


def second(window, report: dict) -> None:
    wait_until(lambda: window.files.path is not None, "the sketch to open", timeout=60)
    report["reopened"] = _shown(window)


def drive(window) -> None:
    run(window, first if params()["phase"] == "first" else second)
