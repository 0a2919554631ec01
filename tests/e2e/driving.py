"""Inside the app's own process: what the end-to-end drivers use to operate the window.

The app loads a driver file only when SKETCHPAD_DRIVER names it (sketchpad/app.py) and calls its
`drive(window)` once the window is up. A driver does what a person does (clicks, keys, choices in
the file dialogs, which it answers like a person typing a path) and writes what it saw to the report
file named in SKETCHPAD_E2E; the test judges that report and the files on disk from outside.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QMessageBox, QWidget

Scenario = Callable[[Any, dict[str, Any]], None]


def params() -> dict[str, Any]:
    return json.loads(os.environ["SKETCHPAD_E2E"])


def pause(ms: int) -> None:
    """Let the event loop run for `ms` milliseconds (timers fire, the engine's messages land)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], object], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        pause(10)


def click(button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"{button.text()!r} cannot be clicked"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def type_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


@contextmanager
def file_dialogs_answer(path: str | Path) -> Iterator[list[str]]:
    """The next file dialogs are answered with `path`, as a person would type it; yields their titles."""
    asked: list[str] = []
    saved = {name: getattr(QFileDialog, name) for name in
             ("getExistingDirectory", "getOpenFileName", "getSaveFileName")}

    def answer(name: str) -> Callable[..., Any]:
        def dialog(_parent: object = None, caption: str = "", *_args: object, **_kwargs: object) -> Any:
            asked.append(caption)
            return str(path) if name == "getExistingDirectory" else (str(path), "")
        return dialog

    for name in saved:
        setattr(QFileDialog, name, staticmethod(answer(name)))
    try:
        yield asked
    finally:
        for name, original in saved.items():
            setattr(QFileDialog, name, original)


def export_with_dialog(window: Any, target: str) -> list[str]:
    """File > Export…: type the target, press Export, wait for it, close the dialog; the files written."""
    dialog = window.open_export()
    dialog.target.setText(target)
    exported: list = []
    dialog.exported.connect(exported.append)
    click(dialog.export_button)
    wait_until(lambda: exported, "the export", timeout=60)
    dialog.close()
    return [str(path) for path in exported[0]]


def answer_questions(button: QMessageBox.StandardButton) -> QTimer:
    """Press `button` in any question box that comes up (as a person would), until stopped."""
    timer = QTimer()

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible() and widget.button(button) is not None:
                widget.button(button).click()

    timer.timeout.connect(look)
    timer.start(50)
    return timer


class LatenessProbe:
    """A timer that records how late each of its ticks is: the event loop's stalls, seen from inside."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval_ms = interval_ms
        self.lateness_ms: list[float] = []
        self.stalls: list[tuple[float, float]] = []  # (seconds since start, lateness ms) of ticks over 30 ms late
        self._began = self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.lateness_ms.clear()
        self.stalls.clear()
        self._began = self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> dict[str, float]:
        self._timer.stop()
        values = sorted(self.lateness_ms) or [0.0]
        return {"ticks": len(self.lateness_ms), "max_gap_ms": values[-1],
                "p99_gap_ms": values[min(len(values) - 1, int(0.99 * len(values)))],
                "stalls": [[round(at, 3), round(late, 1)] for at, late in self.stalls[:20]]}

    def _tick(self) -> None:
        now = time.perf_counter()
        late = max(0.0, (now - self._last) * 1000 - self.interval_ms)
        self.lateness_ms.append(late)
        if late > 30:
            self.stalls.append((now - self._began, late))
        self._last = now


def after_modals(then: Callable[[], None]) -> None:
    """`then()` once no modal dialog is open: a scenario started from inside a dialog's answer would run in
    the dialog's own event loop, and the code that asked would wait for the scenario to end."""
    if QApplication.activeModalWidget() is not None:
        QTimer.singleShot(20, lambda: after_modals(then))
    else:
        QTimer.singleShot(0, then)


def run(window: Any, scenario: Scenario) -> None:
    """Run `scenario(window, report)` once the event loop runs; write the report; close the window."""

    def go() -> None:
        report: dict[str, Any] = {"gui_pid": os.getpid()}
        try:
            scenario(window, report)
            report["ok"] = True
        except BaseException:  # noqa: BLE001 - the test reads it from the report
            report["ok"] = False
            report["error"] = traceback.format_exc()
        report["torch_in_gui_process"] = sorted(name for name in ("torch", "audiocraft", "transformers")
                                                if name in sys.modules)
        target = Path(params()["report"])
        target.with_suffix(".partial").write_text(json.dumps(report, indent=1))
        os.replace(target.with_suffix(".partial"), target)
        window.e2e_answers = answer_questions(QMessageBox.StandardButton.Discard)  # kept alive with the window
        if params().get("close", True):
            window.close()

    QTimer.singleShot(0, go)
