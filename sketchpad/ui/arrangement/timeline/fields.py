"""The fields of the timeline's headers and clip bar: names, gain in dB, pan as L/C/R.

A value field sends a typed value when it is confirmed (Enter, or leaving it) and an arrow or wheel
step at once, and takes the wheel only once it has focus, so scrolling past never changes a mix.
Escape puts the shown value back; Enter and Escape hand the keys back to the clip area (`leave`), so
S splits again instead of typing. Pan reads "L30", "R 100", "-30" or "C".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent, QValidator, QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from sketchpad.core.decibels import MAX_GAIN_DB, SILENCE_DB

PAN_TEXT = re.compile(r"^\s*(?:(?P<side>[LlRr])\s*(?P<amount>\d{0,3})|(?P<number>[-+]?\d{0,3})|(?P<centre>[Cc]))\s*$")


class Gestures:
    """Undo steps of a control: one per drag of a slider, one per visit to a value field (its typed
    value and arrow steps until Enter or leaving); a click or a key outside those is a step of its own.
    The tokens go into the edits' `gesture`, which the document merges by."""

    def __init__(self) -> None:
        self._drag: object | None = None
        self._visit: object | None = None

    def begin_drag(self) -> None:
        self._drag = object()

    def end_drag(self) -> None:
        self._drag = None

    def drag(self) -> object:
        return self._drag if self._drag is not None else object()

    def visit(self) -> object:
        if self._visit is None:
            self._visit = object()
        return self._visit

    def end_visit(self) -> None:
        self._visit = None


def takes_escape(event: QEvent) -> bool:
    """Escape typed in a field is the field's (put the value back), not the window's Cancel."""
    if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape):
        event.accept()
        return True
    return False


class NameField(QLineEdit):
    """Escape puts back the name it showed and leaves the field."""

    def __init__(self, leave: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leave = leave
        self.shown = ""

    def show_name(self, name: str) -> None:
        self.shown = name
        if not self.hasFocus():
            self.setText(name)

    def event(self, event: QEvent) -> bool:
        return takes_escape(event) or super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.setText(self.shown)
            self.leave()
            return
        super().keyPressEvent(event)


def pan_text(value: int) -> str:
    """-100..100 as the header shows it: L40, C, R40."""
    return "C" if value == 0 else f"{'L' if value < 0 else 'R'}{abs(value)}"


def pan_value(text: str) -> int | None:
    """What a person typed for pan, as -100..100 (None: not a pan, or not yet)."""
    found = PAN_TEXT.match(text)
    if found is None:
        return None
    if found["centre"]:
        return 0
    digits = found["amount"] if found["side"] else found["number"]
    if not digits or digits in "+-":
        return None
    value = int(digits)
    if found["side"] and found["side"].upper() == "L":
        value = -value
    return value if -100 <= value <= 100 else None


def _compact(box: QAbstractSpinBox, width: int, tip: str) -> None:
    box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    box.setKeyboardTracking(False)
    box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setFixedWidth(width)
    box.setToolTip(tip)
    font = QFont(box.font())
    font.setPointSizeF(max(font.pointSizeF() - 1, 7))
    box.setFont(font)


class _Field:
    """What the value fields share: the wheel only with focus; Escape puts the value back and Enter
    confirms, both handing the keys back to the clip area."""

    leave: Callable[[], None]

    def event(self, event: QEvent) -> bool:
        return takes_escape(event) or super().event(event)  # type: ignore[misc]

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if self.hasFocus():  # type: ignore[attr-defined]
            super().wheelEvent(event)  # type: ignore[misc]
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.show_value(self.shown)  # type: ignore[attr-defined]
            self.leave()
            return
        super().keyPressEvent(event)  # type: ignore[misc]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.leave()

    def show_value(self, value: float) -> None:
        """Show the model's value without sending it back as an edit."""
        self.shown = value
        self.blockSignals(True)  # type: ignore[attr-defined]
        self.setValue(value)  # type: ignore[attr-defined]
        self.blockSignals(False)  # type: ignore[attr-defined]


class GainField(_Field, QDoubleSpinBox):
    """dB, one decimal: with arrow buttons and a unit (the clip bar), or compact beside a slider."""

    def __init__(self, leave: Callable[[], None], *, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leave, self.shown = leave, 0.0
        self.setRange(SILENCE_DB, MAX_GAIN_DB)
        self.setDecimals(1)
        self.setSingleStep(0.5)
        if compact:
            _compact(self, 44, "Track gain in dB: type a value, or double-click the slider for 0 dB")
        else:
            self.setSuffix(" dB")
            self.setKeyboardTracking(False)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setAlignment(Qt.AlignmentFlag.AlignRight)


class PanField(_Field, QSpinBox):
    def __init__(self, leave: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leave, self.shown = leave, 0
        self.setRange(-100, 100)
        self.setSingleStep(5)
        _compact(self, 36, "Pan: L100 to R100 (or -100 to 100), C for centre; double-click the slider to centre")

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt override
        return pan_text(value)

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt override
        value = pan_value(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int) -> object:
        if pan_value(text) is not None:
            return QValidator.State.Acceptable, text, pos
        if re.fullmatch(r"\s*[LlRr+-]?\s*\d{0,3}\s*", text):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos


class ResetOnDoubleClick(QObject):
    """Double-click on a slider calls `reset` (0 dB, centre) instead of nudging the slider."""

    def __init__(self, reset: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reset = reset

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.MouseButtonDblClick:
            self.reset()
            return True
        return False
