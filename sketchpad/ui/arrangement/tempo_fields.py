"""The transport's tempo and beats-per-bar fields.

Like the timeline's value fields (timeline/fields.py) they send a typed value when it is confirmed
(Enter, or leaving the field) and an arrow step at once, take the wheel only with focus, and put the
shown value back on Escape. The tempo field has a "no tempo" state at its bottom: the sketch then has
no grid, no bars and no metronome.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QWidget

from sketchpad.ui.arrangement.timeline.fields import _Field
from sketchpad.workflow.tempo import BEAT_UNITS, MAX_TEMPO, MIN_TEMPO

__all__ = ["BEAT_UNITS", "BeatsField", "TempoField"]

NO_TEMPO = MIN_TEMPO - 1.0  # the field's bottom step, shown as "no tempo"


def _setup(box: QAbstractSpinBox, tip: str) -> None:
    box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)  # the transport is narrow at 1024 px
    box.setKeyboardTracking(False)  # typing "1", "12", "120" sends 120 once, on Enter
    box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setToolTip(tip)


class TempoField(_Field, QDoubleSpinBox):
    def __init__(self, leave: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leave, self.shown = leave, NO_TEMPO
        self.setRange(NO_TEMPO, MAX_TEMPO)
        self.setDecimals(2)
        self.setSingleStep(1.0)
        self.setSuffix(" bpm")
        self.setSpecialValueText("no tempo")
        _setup(self, f"Tempo in beats per minute ({MIN_TEMPO:g}–{MAX_TEMPO:g}); "
                     "step below the lowest for no tempo")
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("000.25 bpm") + 12)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        return f"{value:.2f}".rstrip("0").rstrip(".")  # 80, 92.5: no trailing zeros

    def tempo(self) -> float | None:
        value = self.value()
        return None if value < MIN_TEMPO else float(value)

    def show_tempo(self, tempo: float | None) -> None:
        self.show_value(NO_TEMPO if tempo is None else tempo)


class BeatsField(_Field, QSpinBox):
    """Beats per bar, 1 to 32."""

    def __init__(self, leave: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leave, self.shown = leave, 4
        self.setRange(1, 32)
        _setup(self, "Beats per bar")
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("32") + 14)
