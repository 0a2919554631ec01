"""The idea panel: prompt, model, duration, variations, advanced settings, melody, Generate and Cancel.

When the sketch has a tempo the duration can be asked for in whole bars: the seconds field then shows
what those bars last (tempo and metre) and the request asks for exactly that.

The settings scroll; Generate, Cancel, the estimate and the progress are pinned below them, so they
are on screen at any window height (a person pressing Generate always sees what it does)."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sketchpad.core.metre import DEFAULT_METRE
from sketchpad.engine.request import GenerationRequest
from sketchpad.ui.common.fitting import ElidedLabel, VerticalScrollArea, wheel_only_when_focused
from sketchpad.ui.generate.melody_slot import MelodySlot
from sketchpad.ui.generate.model_picker import ModelPicker
from sketchpad.ui.generate.progress_panel import ProgressPanel
from sketchpad.workflow.prompt_sections import split_sections
from sketchpad.workflow.tempo import bars_to_seconds, whole_bars

SEED_MAX = 2**31 - 1


def _spin(low: float, high: float, value: float, step: float, decimals: int = 2) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setValue(value)
    return spin


class IdeaPanel(QWidget):
    generate_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, takes_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("Describe the music: \"warm lo-fi piano with soft drums, 80 bpm\"")
        self.prompt.setFixedHeight(78)
        self.history = QComboBox()
        self.history.setPlaceholderText("Recent prompts")
        # As wide as the panel, not as the longest prompt ever typed (the popup shows them whole).
        self.history.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.history.setMinimumContentsLength(12)
        self.history.textActivated.connect(self.prompt.setPlainText)
        self.models = ModelPicker()
        self.duration = _spin(1.0, 300.0, 10.0, 1.0, 1)
        self.duration.setSuffix(" s")
        self.tempo: float | None = None  # the sketch's, for durations in bars
        self.metre = DEFAULT_METRE
        self.in_bars = QCheckBox("in bars")
        self.in_bars.setToolTip("Ask for a whole number of bars at the sketch's tempo and metre")
        self.bars = QSpinBox()
        self.bars.setRange(1, 64)
        self.bars.setValue(4)
        self.bars.setSuffix(" bars")
        self.bars.setToolTip("How many bars to generate")
        self.loop = QCheckBox("loop")
        self.loop.setToolTip("Exactly these bars, seamless when repeated: the take's end leads back into its start")
        self.variations = QSpinBox()
        self.variations.setRange(1, 8)
        self.variations.setToolTip("How many takes one request makes; they appear together")

        self.top_k = QSpinBox()
        self.top_k.setRange(0, 4096)
        self.top_k.setValue(250)
        self.top_p = _spin(0.0, 1.0, 0.0, 0.05)
        self.temperature = _spin(0.05, 5.0, 1.0, 0.05)
        self.guidance = _spin(0.0, 20.0, 3.0, 0.5, 1)
        self.seed = QSpinBox()
        self.seed.setRange(0, SEED_MAX)
        self.seed.setValue(random.randrange(SEED_MAX))
        self.seed_lock = QCheckBox("Lock")
        self.seed_lock.setToolTip("Locked: every generation uses this seed. Unlocked: a new seed each time.")
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.seed_lock)
        self.advanced = QGroupBox()
        advanced_form = QFormLayout(self.advanced)
        advanced_form.addRow("Top-k", self.top_k)
        advanced_form.addRow("Top-p", self.top_p)
        advanced_form.addRow("Temperature", self.temperature)
        advanced_form.addRow("Guidance", self.guidance)
        advanced_form.addRow("Seed", seed_row)
        self.advanced.hide()
        self.advanced_toggle = QToolButton(text="Advanced", checkable=True)
        self.advanced_toggle.setArrowType(self.advanced_toggle.arrowType().RightArrow)
        self.advanced_toggle.setToolButtonStyle(self.advanced_toggle.toolButtonStyle().ToolButtonTextBesideIcon)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.toggled.connect(self._toggle_advanced)

        self.melody = MelodySlot(takes_folder)
        self.melody_box = QGroupBox("Melody")
        QVBoxLayout(self.melody_box).addWidget(self.melody)

        self.generate_button = QPushButton("Generate")
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip("Generate (Ctrl+Return)")
        self.generate_button.setMinimumHeight(34)
        self.generate_button.clicked.connect(self.generate_requested)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Cancel (Esc)")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.progress = ProgressPanel()

        self.estimate = ElidedLabel("")
        self.estimate.setStyleSheet("color: #666;")
        self.estimate.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Model", self.models)
        duration_row = QHBoxLayout()
        duration_row.addWidget(self.duration, 1)
        duration_row.addWidget(self.bars, 1)
        duration_row.addWidget(self.in_bars)
        duration_row.addWidget(self.loop)
        form.addRow("Duration", duration_row)
        form.addRow("Variations", self.variations)
        settings = QWidget()
        column = QVBoxLayout(settings)
        column.setContentsMargins(0, 0, 4, 0)
        title = QLabel("Idea")
        title.setStyleSheet("font-weight: 600; font-size: 14px;")
        for widget in (title, self.prompt, self.history):
            column.addWidget(widget)
        column.addLayout(form)
        # The melody before the advanced settings: its Record and Import stay in view at 1280×720.
        for widget in (self.melody_box, self.advanced_toggle, self.advanced):
            column.addWidget(widget)
        column.addStretch(1)
        self.scroll = VerticalScrollArea(settings)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button, 1)
        buttons.addWidget(self.cancel_button)
        self.footer = QWidget()
        pinned = QVBoxLayout(self.footer)
        pinned.setContentsMargins(0, 4, 4, 0)
        pinned.setSpacing(4)
        pinned.addWidget(self.estimate)
        pinned.addLayout(buttons)
        pinned.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.footer)
        self._wheel_guard = wheel_only_when_focused(settings)  # the wheel scrolls the panel, not a value
        # A melody arriving (File > Import Melody…, a drop, a recording) is shown, wherever the panel was scrolled.
        self.melody.changed.connect(self.show_melody)
        self.melody.reading.connect(self.show_melody)
        self.duration.valueChanged.connect(self._cap_melody)
        self.models.model_changed.connect(self._cap_melody)  # also when a loaded model's facts arrive
        self._cap_melody()
        self.in_bars.toggled.connect(self._bars_toggled)
        self.loop.toggled.connect(lambda on: on and self.in_bars.setChecked(True))  # a loop is whole bars
        self.bars.valueChanged.connect(lambda _bars: self._show_bars())
        self.set_timebase(None, DEFAULT_METRE)

    def show_melody(self) -> None:
        """Scroll the settings so the melody slot is in view (its top first, where it is taller)."""
        self.scroll.ensureWidgetVisible(self.melody_box, 0, 0)

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        arrow = self.advanced_toggle.arrowType()
        self.advanced_toggle.setArrowType(arrow.DownArrow if shown else arrow.RightArrow)

    def _cap_melody(self, *_changed: object) -> None:
        """What the engine will take of a melody: the duration asked for, at most the model's window."""
        duration = float(self.duration.value())
        window = self.models.window_seconds()
        self.melody.set_use_seconds(duration if window is None else min(duration, window))

    # Durations in bars
    def set_timebase(self, tempo: float | None, metre: tuple[int, int]) -> None:
        """The sketch's tempo and metre: with a tempo, the duration may be given in bars."""
        self.tempo, self.metre = tempo, metre
        for widget in (self.in_bars, self.bars, self.loop):
            widget.setVisible(tempo is not None)
        if tempo is not None:
            self.bars.setMaximum(max(1, int(self.duration.maximum() // bars_to_seconds(1, tempo, metre))))
        self._show_bars()

    @property
    def counting_bars(self) -> bool:
        return self.tempo is not None and self.in_bars.isChecked()

    def requested_seconds(self) -> float:
        """What a request asks for: the bars' exact length when counting bars (the seconds field rounds
        it to a tenth), else the seconds field."""
        if self.counting_bars:
            return bars_to_seconds(self.bars.value(), self.tempo, self.metre)
        return float(self.duration.value())

    @property
    def looping(self) -> bool:
        return self.counting_bars and self.loop.isChecked()

    def _bars_toggled(self, on: bool) -> None:
        if not on:
            self.loop.setChecked(False)
        if on and self.tempo is not None:
            self.bars.setValue(whole_bars(self.duration.value(), self.tempo, self.metre))
        self._show_bars()

    def _show_bars(self) -> None:
        counting = self.counting_bars
        self.bars.setEnabled(counting)
        self.duration.setEnabled(not counting)
        if counting:
            self.duration.setValue(self.requested_seconds())

    def set_history(self, prompts: list[str]) -> None:
        self.history.clear()
        self.history.addItems(prompts)
        self.history.setCurrentIndex(-1)

    @property
    def prompt_text(self) -> str:
        return self.prompt.toPlainText().strip()

    def next_seed(self) -> int:
        """The seed for the next request: the locked one, or a fresh one shown so it can be locked."""
        if not self.seed_lock.isChecked():
            self.seed.setValue(random.randrange(SEED_MAX))
        return self.seed.value()

    def build_request(self, *, model: str | None = None, duration: float | None = None,
                      continuation=None) -> GenerationRequest:
        prompt, sections = split_sections(self.prompt_text)  # lines such as "0:20 full band" are sections
        return GenerationRequest(
            model=model or self.models.model,
            prompts=(prompt,) * self.variations.value(), sections=sections,
            duration=float(duration if duration is not None else self.requested_seconds()),
            top_k=self.top_k.value(), top_p=self.top_p.value(), temperature=self.temperature.value(),
            cfg_coef=self.guidance.value(), seed=self.next_seed(), continuation=continuation,
            loop=self.looping and continuation is None)

    def set_busy(self, busy: bool) -> None:
        self.generate_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
