"""The selected take's waveform with its tools: zoom, and turning a selection into a melody or a start.

The tools are a toolbar: when the panel is narrow the last ones fold into its » menu, and the line
about the take shortens with "…" (the whole of it in its tooltip), so the panel never widens the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolBar, QToolButton, QVBoxLayout, QWidget

from sketchpad.ui.common.fitting import ElidedLabel
from sketchpad.workflow.prompt_sections import format_time
from sketchpad.workflow.takes import Take

if TYPE_CHECKING:
    from sketchpad.ui.common.waveform import WaveformView

ZOOM_STEP = 1.5


def section_marks(params: dict) -> list[tuple[float, str]]:
    """Where a take's prompt changes (engine/sections.py), as "0:20 full band" marks; none without sections."""
    marks, previous = [], None
    for start, text in params.get("section_starts", ()):
        if text != previous:
            marks.append((float(start), f"{format_time(float(start))} {text}"))
        previous = text
    return marks


class WaveformPanel(QWidget):
    """pyqtgraph takes most of a second to import, so the view itself is built by `build_view()` once
    the window is on screen; until then a plain label holds its place."""

    use_as_melody = Signal(object, int, str)  # samples, rate, name
    continue_from = Signal(object, object)  # Take, continuation samples [channels, frames]
    listen_requested = Signal()  # play the take being generated, as far as it exists

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.take: Take | None = None
        self.view: WaveformView | None = None
        self.placeholder = QLabel("No take selected")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("background: #fbfbfc; color: #888;")
        self.title = QLabel("Waveform")
        self.title.setStyleSheet("font-weight: 600;")
        self.info = ElidedLabel("")
        self.info.setStyleSheet("color: #666;")
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # the tools come first
        self.toolbar = QToolBar("Waveform tools")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setStyleSheet("QToolBar { border: none; spacing: 2px; }")
        self._tool("Zoom in", "Zoom in (+, or the wheel)", lambda: self.view and self.view.zoom(ZOOM_STEP))
        self._tool("Zoom out", "Zoom out (-)", lambda: self.view and self.view.zoom(1 / ZOOM_STEP))
        self._tool("Fit", "Show the whole take (0)", lambda: self.view and self.view.zoom_to_fit())
        self.listen_action = self._tool("Listen", "Play the take being generated, as far as it exists (it goes on "
                                        "as more arrives)", self.listen_requested.emit)
        self.listen_action.setVisible(False)
        self.toolbar.addSeparator()
        self.melody_action = self._tool("Use as melody", "Use the selected part as the melody of the next generation",
                                        self._use_as_melody)
        self.continue_action = self._tool("Continue from here", "Generate a continuation of the selection (or of the "
                                          "take up to the playhead), for the duration set in the idea panel",
                                          self._continue)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.info, 1)
        header.addWidget(self.toolbar)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(header)
        self._layout.addWidget(self.placeholder, 1)
        self._update()

    def _tool(self, text: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = self.toolbar.addAction(text, slot)
        action.setToolTip(tip)
        return action

    @property
    def melody_button(self) -> QToolButton:
        return self.toolbar.widgetForAction(self.melody_action)

    @property
    def continue_button(self) -> QToolButton:
        return self.toolbar.widgetForAction(self.continue_action)

    def build_view(self) -> WaveformView:
        if self.view is None:
            from sketchpad.ui.common.waveform import WaveformView

            self.view = WaveformView()
            self.view.selection_changed.connect(self._selection_changed)
            self._layout.replaceWidget(self.placeholder, self.view)
            self.placeholder.deleteLater()
            if self.take is not None:
                self.show_take(self.take)
        return self.view

    def show_live(self, samples: np.ndarray | None, sample_rate: int, text: str) -> None:
        """The take being generated, as far as it exists (None: no take is being generated any more)."""
        self.listen_action.setVisible(samples is not None)
        if samples is None:
            if self.take is None:  # nothing took its place: no "Generating: …" left over from a take that ended
                if self.view is not None:
                    self.view.clear_audio()
                self._update()
            return
        self.take = None
        if self.view is not None:
            self.view.set_audio(samples, sample_rate)
        self._update()
        self.info.setText(text)

    def show_take(self, take: Take | None) -> None:
        self.take = take
        self.listen_action.setVisible(False)
        if self.view is None:
            return
        if take is None:
            self.view.clear_audio()
        else:
            self.view.set_audio(take.result.audio, take.result.sample_rate)
            self.view.set_marks(section_marks(take.result.params))
            self.view.set_playhead(0.0)
        self._update()

    def _span(self) -> tuple[float, float] | None:
        if self.view is None:
            return None
        selection = self.view.selection()
        if selection is not None and selection[1] - selection[0] > 0.05:
            return selection
        if self.view.playhead > 0.05:
            return 0.0, self.view.playhead
        return None

    def _part(self, span: tuple[float, float]) -> np.ndarray:
        assert self.take is not None
        rate = self.take.result.sample_rate
        first, last = int(span[0] * rate), int(span[1] * rate)
        return np.ascontiguousarray(self.take.result.audio[:, first:last])

    def _use_as_melody(self) -> None:
        span = self.view.selection() if self.view is not None else None
        if self.take is None or span is None:
            return
        name = f"{self.take.prompt[:30] or 'take'} {span[0]:.1f}-{span[1]:.1f} s"
        self.use_as_melody.emit(self._part(span), self.take.result.sample_rate, name)

    def _continue(self) -> None:
        span = self._span()
        if self.take is not None and span is not None:
            self.continue_from.emit(self.take, self._part(span))

    def _selection_changed(self, _selection: object) -> None:
        self._update()

    def _update(self) -> None:
        take = self.take
        selection = self.view.selection() if take is not None and self.view is not None else None
        self.melody_action.setEnabled(selection is not None and selection[1] - selection[0] > 0.05)
        self.continue_action.setEnabled(take is not None)
        if take is None:
            self.info.setText("Select a take to see it; drag to select, click to seek, wheel to zoom")
        elif selection is not None:
            self.info.setText(f"{take.seconds:.1f} s · selected {selection[0]:.2f}-{selection[1]:.2f} s")
        else:
            self.info.setText(f"{take.seconds:.1f} s · {'stereo' if take.channels == 2 else 'mono'}")
