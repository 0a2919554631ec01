"""Loaded by the bundled app (SKETCHPAD_DRIVER): generate one take with the model folder named in
SKETCHPAD_SMOKE_MODEL, write what happened to SKETCHPAD_SMOKE_REPORT, and quit.

Self-contained (PySide6 and the window only), because the bundle carries no test helpers.
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QTimer

TIMEOUT_S = 300


def drive(window) -> None:
    began = time.monotonic()
    report: dict = {}

    def finish(ok: bool, why: str = "") -> None:
        report.update(ok=ok, why=why, seconds=round(time.monotonic() - began, 1),
                      torch_in_gui_process="torch" in sys.modules, engine_pid=window.service.pid)
        with open(os.environ["SKETCHPAD_SMOKE_REPORT"], "w") as handle:
            json.dump(report, handle)
        window.document.undo_stack.setClean()
        window.close()

    def poll() -> None:
        if window.takes.current is not None:
            take = window.takes.current
            report["take_seconds"] = take.seconds
            finish(True)
        elif "Failed" in window.idea.progress.stage.text():
            finish(False, window.banner.text)
        elif time.monotonic() - began > TIMEOUT_S:
            finish(False, f"no take within {TIMEOUT_S} s")
        else:
            QTimer.singleShot(100, poll)

    window.idea.models.select(os.environ["SKETCHPAD_SMOKE_MODEL"])
    window.idea.prompt.setPlainText("smoke test, bright ukulele")
    window.idea.duration.setValue(1.0)
    window.idea.generate_button.click()
    QTimer.singleShot(100, poll)
