"""The goniometer of the stereo view, apart because pyqtgraph is slow to import and the window shows first."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget


class Goniometer(pg.PlotWidget):
    """Mid up, side across (left to the left): a mono signal is a vertical line, wide stereo a cloud."""

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="#1d2127")
        self.setFixedSize(size, size)
        item = self.getPlotItem()
        item.hideAxis("left")
        item.hideAxis("bottom")
        item.setMouseEnabled(False, False)
        item.hideButtons()
        item.setMenuEnabled(False)
        item.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0)
        item.getViewBox().setAspectLocked(True)
        for angle in (0, 90, 45, 135):
            item.addItem(pg.InfiniteLine(angle=angle, pen=pg.mkPen("#3b424c")))
        self.dots = pg.ScatterPlotItem(size=2, pen=None, brush=pg.mkBrush("#7fd1a8"))
        item.addItem(self.dots)
