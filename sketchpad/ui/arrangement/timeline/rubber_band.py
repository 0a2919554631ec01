"""Rubber-band selection: a drag from empty space selects every clip the rectangle touches.

With Ctrl or Shift held the clips selected before the drag stay selected. The band shows only once the
pointer has moved a few pixels, so a plain click on empty space still just clears the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QGraphicsView, QRubberBand

DRAG_PIXELS = 4


class RubberBand:
    def __init__(self, view: QGraphicsView, origin: QPoint, keep: set) -> None:
        self.view, self.origin, self.keep = view, origin, keep  # keep: the items selected before, if adding
        self.band = QRubberBand(QRubberBand.Shape.Rectangle, view.viewport())
        self.band.setGeometry(QRect(origin, QSize()))

    def move_to(self, point: QPoint, item_type: type) -> None:
        rect = QRect(self.origin, point).normalized()
        if not self.band.isVisible() and (point - self.origin).manhattanLength() < DRAG_PIXELS:
            return
        self.band.setGeometry(rect)
        self.band.show()
        area = self.view.mapToScene(rect).boundingRect()
        touched = {item for item in self.view.scene().items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
                   if isinstance(item, item_type)}
        for item in self.view.scene().items():
            if isinstance(item, item_type):
                wanted = item in touched or item in self.keep
                if item.isSelected() != wanted:
                    item.setSelected(wanted)

    def finish(self) -> None:
        self.band.hide()
        self.band.deleteLater()
