"""Widgets that keep the window as narrow as the screen: a label that elides, a scroll area that only
scrolls down, text that may wrap anywhere, and fields that take the mouse wheel only when focused.

A QLabel without word wrap asks for the width of its whole text, so one long message (a path, an error
from the engine) used to make the window wider than the screen; these ask for little and show the rest
in a tooltip or on more lines. A row of panels folds into a column (the transport and the decoder
switch share one line at 1280 px; at 1024 px each needs the whole width)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QComboBox,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

ZERO_WIDTH_SPACE = "\u200b"


class ElidedLabel(QLabel):
    """One line that fits whatever width it is given: the end becomes "…" and the tooltip shows it all.

    It asks for its whole text (sizeHint) but makes do with three dots (minimumSizeHint)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._own_tooltip = ""
        self._refresh_tooltip()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self._refresh_tooltip()

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt override
        """A tooltip of its own, shown whole; the full text joins it when the label is elided."""
        self._own_tooltip = text
        self._refresh_tooltip()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.fontMetrics().horizontalAdvance("…") * 3, super().minimumSizeHint().height())

    @property
    def elided(self) -> bool:
        return self.shown_text() != self.text()

    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._refresh_tooltip()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), self.palette(),
                                  self.isEnabled(), self.shown_text(), self.foregroundRole())

    def _refresh_tooltip(self) -> None:
        parts = [part for part in (self.text() if self.elided else "", self._own_tooltip) if part]
        super().setToolTip("\n".join(parts))


def wrap_anywhere(text: str) -> str:
    """`text` with break opportunities after path separators, so a long path wraps instead of widening."""
    return text.replace("/", "/" + ZERO_WIDTH_SPACE).replace("\\", "\\" + ZERO_WIDTH_SPACE)


def wrapping_label(label: QLabel) -> QLabel:
    """A word-wrapped label that never asks for more width than it gets (its height follows its width)."""
    label.setWordWrap(True)
    policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    label.setSizePolicy(policy)
    label.setMinimumWidth(1)
    return label


class VerticalScrollArea(QScrollArea):
    """Scrolls its widget down, never sideways: as wide as the widget needs, as short as one likes."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(widget)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # The size hints below follow the widget's: when its layout changes (a row shown or hidden), the
        # layout holding this area must ask again, or it keeps the width of widgets no longer shown.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return False

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        inner = self.widget().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), min(inner.height(), 80))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        inner = self.widget().sizeHint()
        return QSize(max(inner.width(), self.minimumSizeHint().width()), inner.height())


class _WheelWhenFocused(QObject):
    """Wheel events over an unfocused field scroll the page around it instead of changing the value."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        area = _scroll_area_around(watched)
        if area is not None:
            # Handed over explicitly: Qt passes an ignored wheel to the parents only when it came from the
            # system, and a wheel meant for the page should move the page however it came.
            QApplication.sendEvent(area.verticalScrollBar(), event)
            return True
        event.ignore()
        return True  # not for this field: Qt offers the wheel to the parents


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def wheel_only_when_focused(root: QWidget) -> QObject:
    """Every spin box and combo box under `root` (and `root` itself) changes with the wheel only once it
    has focus (clicked or tabbed into); the wheel alone no longer gives them focus."""
    guard = _WheelWhenFocused(root)
    fields = [root] if isinstance(root, (QAbstractSpinBox, QComboBox)) else []
    fields += root.findChildren(QAbstractSpinBox) + root.findChildren(QComboBox)
    for field in fields:
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        field.installEventFilter(guard)
    return guard


class FoldingRow(QWidget):
    def __init__(self, *widgets: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widgets = widgets
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.separators: list[QFrame] = []
        for index, widget in enumerate(widgets):
            if index:
                separator = QFrame()
                separator.setFrameShape(QFrame.Shape.VLine)
                self.separators.append(separator)
                self.box.addWidget(separator)
            self.box.addWidget(widget, 1)

    @property
    def folded(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.TopToBottom

    def side_by_side_width(self) -> int:
        parts = [*self.widgets, *self.separators]
        return sum(part.minimumSizeHint().width() for part in parts) + self.box.spacing() * (len(parts) - 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = max(widget.minimumSizeHint().width() for widget in self.widgets)
        return QSize(width, self.box.minimumSize().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        fold = event.size().width() < self.side_by_side_width()
        if fold != self.folded:
            self.box.setDirection(QBoxLayout.Direction.TopToBottom if fold else QBoxLayout.Direction.LeftToRight)
            for separator in self.separators:
                separator.setVisible(not fold)
            self.updateGeometry()
        super().resizeEvent(event)
