"""The clip area: a QGraphicsView over a scene laid out in frames (x) and pixels (y).

Only what the Change names is touched: a clip item is updated, added or removed by id; rows are
re-laid out only when tracks are added, removed or reordered. Zoom is the view's x scale. A clip's
peaks are computed when it arrives and its block images are kept (block_cache.py), so zoom and scroll
steps mostly copy pixels. Mouse: select (click, Ctrl+click, rubber band) and drag; arrow keys: nudge.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsLineItem, QGraphicsScene, QGraphicsView, QWidget

from sketchpad.core.metre import beat_frames
from sketchpad.sketch import Edit, Sketch
from sketchpad.ui.arrangement.timeline.block_cache import BlockImages
from sketchpad.ui.arrangement.timeline.clip_item import PALETTE, ClipItem
from sketchpad.ui.arrangement.timeline.drops import DropMixin
from sketchpad.ui.arrangement.timeline.geometry import (
    ROW_HEIGHT,
    TAIL_SECONDS,
    ZOOM_STEP,
    clamp_scale,
    grid_line,
    grid_step,
)
from sketchpad.ui.arrangement.timeline.gestures import ClipGesture
from sketchpad.ui.arrangement.timeline.rubber_band import RubberBand
from sketchpad.ui.common.peaks import PeakCache

CURSORS = {"move": Qt.CursorShape.OpenHandCursor, "trim_start": Qt.CursorShape.SizeHorCursor,
           "trim_end": Qt.CursorShape.SizeHorCursor, "fade_in": Qt.CursorShape.PointingHandCursor,
           "fade_out": Qt.CursorShape.PointingHandCursor}
NO_SNAP = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier  # held: the opposite of `snap`


class TimelineView(DropMixin, QGraphicsView):
    take_dropped = Signal(object, object, int)  # mime data, track id (None: below the tracks), frame
    files_dropped = Signal(list, object, int)  # local paths, track id or None, frame
    view_changed = Signal()  # zoom or scroll: the ruler repaints
    selection_changed = Signal()
    context_menu_requested = Signal(QPointF)
    rename_requested = Signal()  # a double-click on a clip
    dragged_below = Signal(str, int, object)  # clip id, start, the drag's gesture token: a new track for it

    def __init__(self, sketch: Sketch, push: Callable[[Edit], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sketch, self.push = sketch, push
        self.peaks = PeakCache()
        self.images = BlockImages()
        self._finish_drawing = QTimer(self)  # blocks left over by a paint's drawing budget: at once, next turn
        self._finish_drawing.setSingleShot(True)
        self._finish_drawing.setInterval(0)
        self._finish_drawing.timeout.connect(self._paint_unfinished)
        self._unfinished = QRegion()  # where blocks showed a stand-in: only there is painted again
        self.clip_items: dict[str, ClipItem] = {}
        self.gesture: ClipGesture | None = None
        self.band: RubberBand | None = None
        self.nudge: Callable[[int, Qt.KeyboardModifier], bool] | None = None  # arrow keys; True if it moved clips
        self.snap = True  # drags land on the grid (or other clips' edges); the timeline's Snap toggle sets it
        self.pixels_per_frame = ZOOM_STEP**20 / sketch.sample_rate  # ~87 px/s, a rung of the zoom ladder
        self.setScene(QGraphicsScene(self))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)  # clip items save their own
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.playhead = QGraphicsLineItem()
        pen = QPen(QColor("#d04a02"), 2)
        pen.setCosmetic(True)
        self.playhead.setPen(pen)
        self.playhead.setZValue(10)
        self.scene().addItem(self.playhead)
        self.horizontalScrollBar().valueChanged.connect(self.view_changed)
        self.scene().selectionChanged.connect(self.selection_changed)
        self.setTransform(QTransform.fromScale(self.pixels_per_frame, 1))
        self.sync_rows()

    # Following the model
    def sync_rows(self) -> None:
        """Tracks added, removed or reordered (or a new sketch): reconcile every item, reusing them."""
        seen = set()
        audible = self._audible()
        for row, track in enumerate(self.sketch.tracks):
            for clip in track.clips:
                seen.add(clip.id)
                self._place(clip.id, row, track.id in audible)
        for clip_id in [c for c in self.clip_items if c not in seen]:
            self.scene().removeItem(self.clip_items.pop(clip_id))
        self.peaks.forget({id(item.clip.audio) for item in self.clip_items.values()})
        self.update_extent()

    def update_clips(self, clip_ids: tuple[str, ...]) -> None:
        for clip_id in clip_ids:
            try:
                track, _ = self.sketch.find_clip(clip_id)
            except KeyError:
                item = self.clip_items.pop(clip_id, None)
                if item is not None:
                    self.scene().removeItem(item)
                continue
            self._place(clip_id, self.sketch.track_index(track.id), track.id in self._audible())
        self.update_extent()

    def update_tracks(self, track_ids: tuple[str, ...]) -> None:
        """Mute or solo changed: clips of every track may now sound or not."""
        audible = self._audible()
        for row, track in enumerate(self.sketch.tracks):
            for clip in track.clips:
                self._place(clip.id, row, track.id in audible)

    def _audible(self) -> set[str]:
        return {track.id for track in self.sketch.audible_tracks()}

    def _place(self, clip_id: str, row: int, audible: bool) -> None:
        track = self.sketch.tracks[row]
        clip = track.clips[track.clip_index(clip_id)]
        audible = audible and not clip.muted
        colour = PALETTE[row % len(PALETTE)]
        item = self.clip_items.get(clip_id)
        if item is None:
            # Peaks now, when the clip arrives, not on the first zoom step that shows it: a step that
            # brought a hundred clips into view for the first time took hundreds of milliseconds.
            self.peaks.pyramid(clip.audio)
            item = self.clip_items[clip_id] = ClipItem(clip, row, colour, self.peaks, self.images)
            item.muted = not audible
            self.scene().addItem(item)
        elif item.clip is not clip or item.row != row or item.muted == audible:
            item.set_clip(clip, row, colour, muted=not audible)

    def update_extent(self) -> None:
        rate = self.sketch.sample_rate
        width = max(self.sketch.length + TAIL_SECONDS * rate, self.viewport().width() / self.pixels_per_frame)
        height = max(len(self.sketch.tracks) + 1, 1) * ROW_HEIGHT
        self.scene().setSceneRect(QRectF(0, 0, width, height))
        self.playhead.setLine(0, 0, 0, height)

    # Coordinates, zoom, scroll
    def frame_at(self, viewport_x: float) -> float:
        return self.mapToScene(int(viewport_x), 0).x() + (viewport_x - int(viewport_x)) / self.pixels_per_frame

    def viewport_x(self, frame: float) -> float:
        return (frame - self.frame_at(0)) * self.pixels_per_frame

    def track_id_at(self, scene_y: float) -> str | None:
        row = int(scene_y // ROW_HEIGHT)
        return self.sketch.tracks[row].id if 0 <= row < len(self.sketch.tracks) else None

    def set_scale(self, pixels_per_frame: float, anchor_x: float | None = None) -> None:
        """Zoom so a frame is `pixels_per_frame` wide, keeping the frame under viewport x `anchor_x` still."""
        anchor_x = self.viewport().width() / 2 if anchor_x is None else anchor_x
        frame = self.frame_at(anchor_x)
        self.pixels_per_frame = clamp_scale(pixels_per_frame, self.sketch.sample_rate)
        self.setTransform(QTransform.fromScale(self.pixels_per_frame, 1))
        self.update_extent()
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + round(self.viewport_x(frame) - anchor_x))
        self.view_changed.emit()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Step to the nearest level of the ZOOM_STEP ladder: stepping in and out comes back to the very
        same scale, so cached peaks for it are reused."""
        level = round(math.log(self.pixels_per_frame * factor * self.sketch.sample_rate, ZOOM_STEP))
        self.set_scale(ZOOM_STEP**level / self.sketch.sample_rate, anchor_x)

    def zoom_to_fit(self) -> None:
        length = max(self.sketch.length, self.sketch.sample_rate)
        self.set_scale(self.viewport().width() * 0.95 / length, 0)
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())

    def scroll_by(self, pixels: int) -> None:
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + pixels)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        delta = event.angleDelta().y()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and delta:
            self.zoom(ZOOM_STEP if delta > 0 else 1 / ZOOM_STEP, event.position().x())
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier and delta:
            self.scroll_by(-delta)
        else:
            super().wheelEvent(event)
        event.accept()

    # Painting: blocks whose image at this zoom is not drawn yet share a budget per paint (block_cache.py)
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.images.begin_paint()
        try:
            super().paintEvent(event)
        finally:
            self.images.end_paint()
        if self.images.deferred:
            for rect in self.images.deferred:  # added to what earlier paints left, until it is painted
                self._unfinished += rect.toAlignedRect()
            self._finish_drawing.start()

    def _paint_unfinished(self) -> None:
        region, self._unfinished = self._unfinished, QRegion()
        self.viewport().update(region)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt override
        self._unfinished.translate(dx, dy)  # the stand-ins moved with the pixels Qt scrolled
        super().scrollContentsBy(dx, dy)

    @property
    def drawing_pending(self) -> bool:
        """Some block shows a stand-in until the next paint (which is already asked for)."""
        return bool(self.images.deferred) or self._finish_drawing.isActive()

    # Background: row stripes, the loop region, beat and bar (or second) lines
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt override
        painter.fillRect(rect, QColor("#f4f5f7"))
        first, last = max(int(rect.top() // ROW_HEIGHT), 0), int(rect.bottom() // ROW_HEIGHT)
        for row in range(first, min(last + 1, len(self.sketch.tracks))):
            if row % 2:
                painter.fillRect(QRectF(rect.left(), row * ROW_HEIGHT, rect.width(), ROW_HEIGHT), QColor("#eceef2"))
        if self.sketch.loop is not None:
            start, end = self.sketch.loop
            painter.fillRect(QRectF(start, rect.top(), end - start, rect.height()), QColor(47, 111, 179, 28))
        sketch = self.sketch
        step = grid_step(sketch.tempo, sketch.sample_rate, self.pixels_per_frame, sketch.metre)
        # With beats on the grid, every bar's first beat is a darker line.
        beats = sketch.tempo is not None and step == beat_frames(sketch.tempo, sketch.sample_rate)
        per_bar = sketch.metre[0] if beats else 0
        light = QPen(QColor("#dcdfe4" if per_bar else "#c9ced6" if sketch.tempo is not None else "#e0e3e8"), 1)
        dark = QPen(QColor("#b9bfc8"), 1)
        for pen in (light, dark):
            pen.setCosmetic(True)
        index = int(max(rect.left(), 0) // step)
        while (x := grid_line(index, step)) <= rect.right():
            painter.setPen(dark if per_bar and index % per_bar == 0 else light)
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
            index += 1

    # Mouse: select (a click, Ctrl+click, a rubber band), then move / trim / fade by dragging
    def clip_item_at(self, pos: QPointF) -> ClipItem | None:
        for item in self.items(pos.toPoint()):
            if isinstance(item, ClipItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.setFocus()
        item = self.clip_item_at(event.position())
        additive = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if item is None:
            if event.button() == Qt.MouseButton.LeftButton:
                adding = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier | NO_SNAP))
                keep = set(self.scene().selectedItems()) if adding else set()
                self.band = RubberBand(self, event.position().toPoint(), keep)
                additive = adding
            if not additive:
                self.scene().clearSelection()
        elif additive:
            item.setSelected(not item.isSelected())
        elif not item.isSelected():
            self.scene().clearSelection()
            item.setSelected(True)
        if event.button() == Qt.MouseButton.RightButton:
            self.context_menu_requested.emit(event.globalPosition())
        elif event.button() == Qt.MouseButton.LeftButton and item is not None and not additive:
            scene = self.mapToScene(event.position().toPoint())
            zone = item.zone_at(scene.x(), scene.y(), self.pixels_per_frame)
            track = self.sketch.find_clip(item.clip.id)[0]
            self.gesture = ClipGesture(zone, item.clip, track.id, self.frame_at(event.position().x()))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self.band is not None:
            self.band.move_to(event.position().toPoint(), ClipItem)
            return
        scene = self.mapToScene(event.position().toPoint())
        if self.gesture is None:
            item = self.clip_item_at(event.position())
            zone = item.zone_at(scene.x(), scene.y(), self.pixels_per_frame) if item else None
            self.viewport().setCursor(CURSORS.get(zone, Qt.CursorShape.ArrowCursor))
            return
        snap = self.snap != bool(event.modifiers() & NO_SNAP)
        track_id = self.track_id_at(scene.y())
        edit = self.gesture.edit_for(self.sketch, self.frame_at(event.position().x()), track_id,
                                     self.pixels_per_frame, snap)
        if edit is not None:
            # somewhere the clip cannot go (past the start of its audio): it stays put
            with contextlib.suppress(ValueError, KeyError):
                self.push(edit)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self.band is not None:
            self.band.move_to(event.position().toPoint(), ClipItem)
            self.band.finish()
            self.band = None
        elif self.gesture is not None:
            self.mouseMoveEvent(event)
            gesture, self.gesture = self.gesture, None
            below = self.mapToScene(event.position().toPoint()).y() >= len(self.sketch.tracks) * ROW_HEIGHT
            if gesture.zone == "move" and below:
                self.dragged_below.emit(gesture.clip.id, self.sketch.clip(gesture.clip.id).start, gesture.token)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        # not a drag start twice: a double-click on a clip selects it alone and renames it
        item = self.clip_item_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and item is not None:
            if not item.isSelected() or len(self.scene().selectedItems()) > 1:
                self.scene().clearSelection()
                item.setSelected(True)
            self.rename_requested.emit()
        event.accept()

    # Keys: the arrows nudge the selected clips (the timeline's other keys are its actions)
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.nudge is not None and self.nudge(event.key(), event.modifiers()):
            event.accept()
            return
        super().keyPressEvent(event)
