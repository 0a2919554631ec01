"""A waveform view: channels stacked, zoom and scroll, a playhead, click to seek, a selection.

Long audio stays fast because each redraw hands pyqtgraph only the visible slice of a peak pyramid
(see peaks.py), a few thousand points whatever the length. Mouse: click seeks, drag selects (the
selection's edges can then be dragged), wheel zooms around the pointer, Shift+wheel scrolls.
Keys: + and - zoom, Left and Right scroll, Home and End jump, 0 fits the whole take.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from sketchpad.ui.common import peaks
from sketchpad.ui.common.peaks import Pyramid

WAVE_PEN = pg.mkPen("#2f6fb3", width=1)
PLAYHEAD_PEN = pg.mkPen("#d04a02", width=2)
MARK_PEN = pg.mkPen("#7a57b8", width=1, style=Qt.PenStyle.DashLine)
SELECTION_BRUSH = pg.mkBrush(47, 111, 179, 50)
MIN_SPAN_S = 0.005
ZOOM_STEP = 1.5


class _WaveBox(pg.ViewBox):
    """A ViewBox whose mouse gestures mean audio editing, not panning a plot."""

    def __init__(self, view: WaveformView) -> None:
        super().__init__(enableMenu=False)
        self.view = view
        self.setMouseEnabled(x=True, y=False)
        self._anchor: float | None = None

    def mouseClickEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.view.seek_requested.emit(max(0.0, self.mapSceneToView(event.scenePos()).x()))

    def mouseDragEvent(self, event, axis=None) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton or not self.view.selectable:
            event.ignore()
            return
        event.accept()
        x = self.mapSceneToView(event.scenePos()).x()
        if event.isStart():
            self._anchor = self.mapSceneToView(event.buttonDownScenePos()).x()
        if self._anchor is None:
            return
        self.view.set_selection(self._anchor, x, final=event.isFinish())
        if event.isFinish():
            self._anchor = None

    def wheelEvent(self, event, axis=None) -> None:  # noqa: N802 - Qt override
        delta = event.delta() if hasattr(event, "delta") else event.angleDelta().y()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.view.scroll(-0.1 if delta > 0 else 0.1)
        else:
            center = self.mapSceneToView(event.scenePos()).x()
            self.view.zoom(ZOOM_STEP if delta > 0 else 1 / ZOOM_STEP, center)
        event.accept()


class WaveformView(pg.GraphicsLayoutWidget):
    seek_requested = Signal(float)  # seconds
    selection_changed = Signal(object)  # (start_s, end_s) or None, when a gesture ends

    def __init__(self, parent: QWidget | None = None, *, selectable: bool = True, compact: bool = False) -> None:
        super().__init__(parent)
        self.selectable = selectable
        self.compact = compact
        self.setBackground("#fbfbfc")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.ci.layout.setSpacing(2)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.pyramids: list[Pyramid] = []
        self.plots: list[pg.PlotItem] = []
        self._curves: list[pg.PlotDataItem] = []
        self._playheads: list[pg.InfiniteLine] = []
        self._regions: list[pg.LinearRegionItem] = []
        self._marks: list[pg.InfiniteLine] = []
        self.marks: list[tuple[float, str]] = []  # (seconds, label): where a take's prompt changes
        self._syncing = False
        self.duration = 0.0
        self.sample_rate = 1
        self.playhead = 0.0
        self._placeholder = pg.LabelItem("No take selected", color="#888")
        self.addItem(self._placeholder)

    # Content
    def set_audio(self, samples: np.ndarray, sample_rate: int) -> None:
        """Show float32 [channels, samples]; stereo is drawn as left above right."""
        data = np.atleast_2d(np.asarray(samples, dtype=np.float32))[:2]
        self.sample_rate = int(sample_rate)
        self.duration = data.shape[1] / sample_rate
        self.set_playhead(0.0)
        if len(self.plots) == data.shape[0]:  # same layout: keep the plots, swap the data (much cheaper)
            self.pyramids = [Pyramid(channel) for channel in data]
            for plot, region in zip(self.plots, self._regions, strict=True):
                plot.vb.setLimits(xMin=0, xMax=max(self.duration, MIN_SPAN_S))
                region.setBounds((0, self.duration))
                region.hide()
            self.zoom_to_fit()
            return
        self.clear_audio()
        self.removeItem(self._placeholder)
        self.duration = data.shape[1] / sample_rate
        names = ["L", "R"] if data.shape[0] == 2 else [""]
        for index, channel in enumerate(data):
            self.pyramids.append(Pyramid(channel))
            self._add_plot(names[index], last=index == data.shape[0] - 1)
        self.zoom_to_fit()

    def set_marks(self, marks: list[tuple[float, str]]) -> None:
        """Labelled lines across the take (its prompt sections), on the top plot."""
        for line in self._marks:
            if self.plots:
                self.plots[0].removeItem(line)
        self._marks, self.marks = [], list(marks)
        if not self.plots:
            return
        for seconds, label in marks:
            line = pg.InfiniteLine(seconds, angle=90, pen=MARK_PEN, movable=False, label=label,
                                   labelOpts={"position": 0.92, "color": "#5a3e8c", "anchors": [(0, 0), (0, 0)]})
            line.setToolTip(label)
            self.plots[0].addItem(line)
            self._marks.append(line)

    def clear_audio(self) -> None:
        self._marks, self.marks = [], []
        for plot in self.plots:
            self.removeItem(plot)
        self.pyramids, self.plots, self._curves, self._playheads, self._regions = [], [], [], [], []
        self.duration = 0.0
        if self._placeholder.scene() is None:
            self.addItem(self._placeholder)

    def _add_plot(self, name: str, *, last: bool) -> None:
        box = _WaveBox(self)
        plot = pg.PlotItem(viewBox=box)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.showAxis("bottom", last and not self.compact)
        plot.getAxis("left").setWidth(24 if not self.compact else 0)
        plot.showAxis("left", not self.compact)
        plot.getAxis("left").setTicks([[(-1, ""), (0, name), (1, "")]])
        box.setYRange(-1.05, 1.05, padding=0)
        box.setLimits(xMin=0, xMax=max(self.duration, MIN_SPAN_S), minXRange=MIN_SPAN_S)
        if self.plots:
            plot.setXLink(self.plots[0])
        curve = pg.PlotDataItem(pen=WAVE_PEN)
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")  # a safety net; the pyramid already did the work
        plot.addItem(curve)
        playhead = pg.InfiniteLine(self.playhead, angle=90, pen=PLAYHEAD_PEN, movable=False)
        playhead.setVisible(not self.compact)
        plot.addItem(playhead)
        region = pg.LinearRegionItem(brush=SELECTION_BRUSH, bounds=(0, self.duration))
        region.setZValue(-10)
        region.hide()
        region.sigRegionChanged.connect(self._region_moved)
        region.sigRegionChangeFinished.connect(self._region_finished)
        plot.addItem(region)
        self.addItem(plot, row=len(self.plots), col=0)
        box.sigXRangeChanged.connect(self._redraw)
        self.plots.append(plot)
        self._curves.append(curve)
        self._playheads.append(playhead)
        self._regions.append(region)

    def _redraw(self, *_args: object) -> None:
        if not self.plots:
            return
        start, end = self.visible_range()
        pixels = max(int(self.plots[0].vb.width()), 100)
        for pyramid, curve in zip(self.pyramids, self._curves, strict=True):
            points = peaks.curve(pyramid, self.sample_rate, start, end, pixels)
            curve.setData(points.x, points.y)

    # View
    def visible_range(self) -> tuple[float, float]:
        if not self.plots:
            return 0.0, 0.0
        (start, end), _ = self.plots[0].vb.viewRange()
        return float(start), float(end)

    def set_visible_range(self, start: float, end: float) -> None:
        if not self.plots:
            return
        span = max(end - start, MIN_SPAN_S)
        start = min(max(0.0, start), max(0.0, self.duration - span))
        self.plots[0].vb.setXRange(start, min(start + span, self.duration), padding=0)

    def zoom(self, factor: float, center: float | None = None) -> None:
        start, end = self.visible_range()
        mid = (start + end) / 2 if center is None else center
        span = min(max((end - start) / factor, MIN_SPAN_S), self.duration)
        ratio = (mid - start) / max(end - start, 1e-9)
        self.set_visible_range(mid - span * ratio, mid - span * ratio + span)

    def scroll(self, pages: float) -> None:
        start, end = self.visible_range()
        shift = (end - start) * pages
        self.set_visible_range(start + shift, end + shift)

    def zoom_to_fit(self) -> None:
        if self.plots:
            self.plots[0].vb.setXRange(0, max(self.duration, MIN_SPAN_S), padding=0)
            self._redraw()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        actions = {
            Qt.Key.Key_Plus: lambda: self.zoom(ZOOM_STEP, self.playhead if self._playhead_visible() else None),
            Qt.Key.Key_Equal: lambda: self.zoom(ZOOM_STEP),
            Qt.Key.Key_Minus: lambda: self.zoom(1 / ZOOM_STEP),
            Qt.Key.Key_Left: lambda: self.scroll(-0.25),
            Qt.Key.Key_Right: lambda: self.scroll(0.25),
            Qt.Key.Key_Home: lambda: self.scroll(-self.duration),
            Qt.Key.Key_End: lambda: self.scroll(self.duration),
            Qt.Key.Key_0: self.zoom_to_fit,
        }
        if key in actions and self.plots:
            actions[key]()
            event.accept()
        else:
            super().keyPressEvent(event)

    def _playhead_visible(self) -> bool:
        start, end = self.visible_range()
        return start <= self.playhead <= end

    # Playhead and selection
    def set_playhead(self, seconds: float) -> None:
        self.playhead = seconds
        for line in self._playheads:
            line.setValue(seconds)

    def selection(self) -> tuple[float, float] | None:
        if not self._regions or not self._regions[0].isVisible():
            return None
        start, end = self._regions[0].getRegion()
        return float(start), float(end)

    def set_selection(self, start: float, end: float, *, final: bool = True) -> None:
        start, end = (max(0.0, min(value, self.duration)) for value in sorted((start, end)))
        self._syncing = True
        for region in self._regions:
            region.setRegion((start, end))
            region.show()
        self._syncing = False
        if final:
            self.selection_changed.emit(self.selection())

    def _region_moved(self, moved: pg.LinearRegionItem) -> None:
        if self._syncing:
            return
        self._syncing = True
        for region in self._regions:
            if region is not moved:
                region.setRegion(moved.getRegion())
        self._syncing = False

    def _region_finished(self, _region: pg.LinearRegionItem) -> None:
        if not self._syncing:
            self.selection_changed.emit(self.selection())
