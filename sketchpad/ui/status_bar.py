"""The status bar: compute device, loaded model and memory in use, refreshed on a slow timer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from sketchpad.ui.engine_service import EngineService, ModelFacts

REFRESH_MS = 2000


def _bytes(count: int) -> str:
    return f"{count / 2**30:.2f} GB" if count >= 2**30 else f"{count / 2**20:.0f} MB"


class SketchStatusBar(QStatusBar):
    def __init__(self, service: EngineService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.device = QLabel("Engine: starting...")
        self.model = QLabel("Model: none loaded")
        self.memory = QLabel("")
        for label in (self.device, self.model, self.memory):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)
        service.ready.connect(lambda text: self.device.setText(f"Device: {text}"))
        service.failed.connect(lambda _message: self.device.setText("Engine: not running"))
        service.model_loaded.connect(self._model_loaded)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_memory)
        service.ready.connect(lambda _text: (self._timer.start(), self.refresh_memory()))

    def _model_loaded(self, facts: ModelFacts) -> None:
        name = Path(facts.key).name if "/" in facts.key else facts.key
        self.model.setText(f"Model: {name}")
        self.refresh_memory()

    def refresh_memory(self) -> None:
        used = self.service.memory_in_use()
        if used is not None:
            self.memory.setText(f"GPU memory: {_bytes(used)}")
            return
        resident = _resident_bytes()  # on the CPU torch keeps no count; the process size says as much
        self.memory.setText(f"Memory: {_bytes(resident)}" if resident else "Memory: n/a")


def _resident_bytes() -> int | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    import os

    return pages * os.sysconf("SC_PAGE_SIZE")
