"""Two sessions around a crash. "edit": open a saved sketch from the command line, rename a track in its
header, let the autosave run, and wait (the test kills the app from outside). "recover": a plain start;
the list of sketches with unsaved work shows the song, Recover opens it as it was, Save keeps it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.e2e.driving import after_modals, params, run, type_text, wait_until  # noqa: E402


def edit(window, report: dict) -> None:
    wait_until(lambda: window.files.path is not None, "the sketch to open", timeout=60)
    track = window.document.sketch.tracks[0]
    name = window.timeline.headers.headers[track.id].name
    name.setFocus()
    name.selectAll()
    type_text(name, "Cello line")
    name.editingFinished.emit()
    wait_until(lambda: window.document.sketch.tracks[0].name == "Cello line", "the rename")
    written: list[str] = []
    window.autosave.autosaved.connect(written.append)
    window.autosave.timer.timeout.emit()  # the autosave's minute, passed
    wait_until(lambda: written, "the autosave")
    report["autosave"] = written[0]
    report["title"] = window.windowTitle()


OFFERED: list[list[str]] = []


def answer_the_list(window, then) -> None:
    """Press Recover in the start-up list once it shows (a modal dialog: the scenario runs after it, not
    inside its event loop, where waiting for the opened sketch would wait for ever)."""
    from sketchpad.ui.files.recovery_dialog import RecoveryDialog

    give_up = time.monotonic() + 60

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, RecoveryDialog) and dialog.isVisible():
            OFFERED.append([dialog.list.item(row).text() for row in range(dialog.list.count())])
            dialog.recover_button.click()
            after_modals(then)
        elif time.monotonic() > give_up:
            then()  # the scenario reports what is missing
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(0, look)


def recover(window, report: dict) -> None:
    report["offered"] = OFFERED
    wait_until(lambda: window.files.path is not None, "the recovered sketch", timeout=60)
    report["title"] = window.windowTitle()
    report["tracks"] = [track.name for track in window.document.sketch.tracks]
    saved: list[str] = []
    window.files.saved.connect(saved.append)
    window.files.save()
    wait_until(lambda: saved, "the save")
    report["saved_title"] = window.windowTitle()


def drive(window) -> None:
    if params()["phase"] == "edit":
        run(window, edit)
    else:
        answer_the_list(window, lambda: run(window, recover))
