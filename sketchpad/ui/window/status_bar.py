"""The status bar: compute device, loaded model, and the engine's memory as the engine reports it."""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar, QWidget

from sketchpad.core import model_ref
from sketchpad.engine_link.messages import ModelFacts
from sketchpad.ui.common.engine_service import EngineMemory, EngineService
from sketchpad.ui.common.fitting import ElidedLabel


def _bytes(count: int) -> str:
    return f"{count / 2**30:.2f} GB" if count >= 2**30 else f"{count / 2**20:.0f} MB"


class SketchStatusBar(QStatusBar):
    def __init__(self, service: EngineService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._restarting = False
        # Elided: a long device name or model folder never widens the window.
        self.device = ElidedLabel("Engine: starting...")
        self.model = ElidedLabel("Model: none loaded")
        self.memory = ElidedLabel("")
        self.memory.setToolTip("Memory the engine process holds (models, text encoder, torch)")
        for label in (self.device, self.model, self.memory):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)
        service.ready.connect(self._ready)
        service.failed.connect(self._failed)
        service.stopped.connect(self._stopped)
        service.model_loaded.connect(self._model_loaded)
        service.memory_changed.connect(self._show_memory)
        if service.is_ready:  # an engine shared with an earlier window (tests) is ready already
            self._ready(service.device_text)

    def restarting(self) -> None:
        """Restart Engine was chosen: said at once, and again when the new engine is ready."""
        self._restarting = True
        self.device.setText("Engine: restarting...")
        self.model.setText("Model: none loaded")
        self.showMessage("Restarting the engine…")

    def _ready(self, device: str) -> None:
        where = "This computer" if not self.service.options.server else self.service.options.server
        self.device.setText(f"Generating on: {where} ({device})")
        self.device.setToolTip(f"Generation runs on {self.service.where}, on {device}")
        if self._restarting:
            self._restarting = False
            self.showMessage(f"The engine was restarted and is ready ({device}).", 10_000)

    def _failed(self, _message: str) -> None:
        self.device.setText("Engine: not running")

    def _model_loaded(self, facts: ModelFacts) -> None:
        self.model.setText(f"Model: {model_ref.short_name(facts.key)}")

    def _stopped(self, _message: str) -> None:
        self.device.setText("Engine: stopped (starts with the next request)")
        self.model.setText("Model: none loaded")
        self.memory.setText("")

    def model_unloaded(self) -> None:
        self.model.setText("Model: none loaded")

    def _show_memory(self, memory: EngineMemory) -> None:
        text = f"Engine memory: {_bytes(memory.rss)}"
        if memory.device_bytes is not None:
            text += f", GPU: {_bytes(memory.device_bytes)}"
        self.memory.setText(text)
