"""A horizontal peak/RMS meter in dBFS, fed from the recorder's level feed by a GUI timer."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0  # the bottom of every meter's scale; quieter reads as empty (core/decibels.py has silence)


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.peak_db = FLOOR_DB
        self.rms_db = FLOOR_DB
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Input level")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(120, 10)

    def set_level(self, peak_db: float, rms_db: float) -> None:
        self.peak_db, self.rms_db = max(FLOOR_DB, peak_db), max(FLOOR_DB, rms_db)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        rect = QRectF(self.rect())
        painter.fillRect(rect, QColor("#e4e6ea"))
        rms = (self.rms_db - FLOOR_DB) / -FLOOR_DB
        peak = (self.peak_db - FLOOR_DB) / -FLOOR_DB
        colour = QColor("#d9534f") if self.peak_db > -1.0 else QColor("#3c9d5d")
        painter.fillRect(QRectF(0, 0, rect.width() * rms, rect.height()), colour)
        painter.fillRect(QRectF(rect.width() * peak - 2, 0, 2, rect.height()), colour.darker(130))
        painter.end()
