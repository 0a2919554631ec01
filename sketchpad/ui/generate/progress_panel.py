"""A progress bar that says what is happening, how long it has taken and about how long is left."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from sketchpad.core.clock import clock
from sketchpad.ui.common.fitting import ElidedLabel
from sketchpad.ui.common.jobs import Progress


class ProgressPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        row = QHBoxLayout()
        self.stage = ElidedLabel("Ready")  # a long stage name never widens the panel
        self.times = ElidedLabel("")
        self.times.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.stage, 1)  # the times keep their width; the stage shortens first
        row.addWidget(self.times)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        self._began = 0.0
        self._stage_began = 0.0
        self._stage_name = ""
        self._fraction = 0.0
        self.running = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)  # the clock moves even when a step takes long
        self._ticker.timeout.connect(self._show_times)
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)

    def begin(self, text: str) -> None:
        self._began = self._stage_began = time.monotonic()
        self._stage_name, self._fraction, self.running = "", 0.0, True
        self.stage.setText(text)
        self.bar.setRange(0, 0)  # busy until the first real report
        self._ticker.start()
        self._show_times()

    def update_progress(self, progress: Progress) -> None:
        base = progress.stage.split(":")[0]
        if base != self._stage_name:
            self._stage_name, self._stage_began = base, time.monotonic()
        self.stage.setText(progress.stage)
        if progress.total > 0:
            self._fraction = min(1.0, progress.done / progress.total)
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(self._fraction * 1000))
        else:
            self._fraction = 0.0
            self.bar.setRange(0, 0)
        self._show_times()

    def estimate_left(self) -> float | None:
        """Seconds left in this stage, from its pace so far; None until there is a pace."""
        if self._fraction <= 0.02:
            return None
        spent = time.monotonic() - self._stage_began
        return spent * (1 - self._fraction) / self._fraction

    def finish(self, text: str) -> None:
        self.running = False
        self._ticker.stop()
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.stage.setText(text)
        self.times.setText(f"took {clock(time.monotonic() - self._began)}" if self._began else "")

    def _show_times(self) -> None:
        if not self.running:
            return
        text = f"{clock(time.monotonic() - self._began)} elapsed"
        left = self.estimate_left()
        if left is not None:
            text += f", about {clock(left)} left"
        self.times.setText(text)
