"""Snapping on and off, the ruler (seek, loop drag), track headers, and drops onto the timeline."""

from __future__ import annotations

import warnings

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from sketchpad.sketch import SetTempo
from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.arrangement.timeline.geometry import ROW_HEIGHT
from sketchpad.ui.takes.panel import TAKE_MIME
from tests.sketch.conftest import RATE, state
from tests.ui.test_timeline import LEFT, NONE, SHIFT, clip_named, drag, frames_per_pixel, point
from tests.ui.timeline_sketches import document_with, two_track_sketch

BAR = 2 * RATE  # 4 beats at 120 BPM
BEAT = RATE // 2


def make(qtbot, tempo: float | None = None) -> Timeline:
    widget = Timeline(document_with(two_track_sketch(tempo)))
    qtbot.addWidget(widget)
    widget.resize(1000, 360)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_with_a_tempo_moves_land_on_the_grid_unless_shift_is_held(qtbot):
    timeline = make(qtbot, tempo=120.0)
    a2 = clip_named(timeline, "a2")  # starts on bar 2 (2 s)
    grab = point(timeline, a2.start + RATE // 2, 0)
    drag(qtbot, timeline, grab, grab + QPoint(round(1.3 * RATE * timeline.view.pixels_per_frame), 0))
    assert timeline.sketch.clip(a2.id).start == 7 * BEAT  # 3.3 s went to the nearest beat (43 px apart), 3.5 s
    timeline.document.undo_stack.undo()
    drag(qtbot, timeline, grab, grab + QPoint(round(1.3 * RATE * timeline.view.pixels_per_frame), 0), modifier=SHIFT)
    start = timeline.sketch.clip(a2.id).start
    assert abs(start - 3.3 * RATE) <= 2 * frames_per_pixel(timeline) and start % BEAT != 0
    timeline.document.undo_stack.undo()
    timeline.view.zoom(1 / 4)  # beats 11 px apart: the grid is bars
    grab = point(timeline, a2.start + RATE // 2, 0)
    drag(qtbot, timeline, grab, grab + QPoint(round(1.3 * RATE * timeline.view.pixels_per_frame), 0))
    assert timeline.sketch.clip(a2.id).start == 2 * BAR  # 3.3 s went to the nearest bar, 4 s


def test_trims_snap_to_bars_too(qtbot):
    timeline = make(qtbot, tempo=240.0)  # a bar is 1 s
    b1 = clip_named(timeline, "b1")  # 0.5 .. 2.0 s
    drag(qtbot, timeline, point(timeline, b1.start, 1) + QPoint(2, 0), point(timeline, b1.start + RATE * 0.4, 1))
    assert timeline.sketch.clip(b1.id).start == RATE and timeline.sketch.clip(b1.id).end == b1.end


def test_without_a_tempo_edges_stick_to_other_clips_unless_shift_is_held(qtbot):
    timeline = make(qtbot)
    a1, a2 = clip_named(timeline, "a1"), clip_named(timeline, "a2")  # a1 ends at 1 s, a2 starts at 2 s
    grab = point(timeline, a2.start + RATE // 2, 0)
    near = grab - QPoint(round((a2.start - a1.end) * timeline.view.pixels_per_frame) - 4, 0)  # 4 px short
    drag(qtbot, timeline, grab, near)
    assert timeline.sketch.clip(a2.id).start == a1.end
    timeline.document.undo_stack.undo()
    drag(qtbot, timeline, grab, near, modifier=SHIFT)
    fpp = frames_per_pixel(timeline)
    assert timeline.sketch.clip(a2.id).start - a1.end == pytest.approx(4 * fpp, abs=fpp)
    far = grab - QPoint(round(0.5 * RATE * timeline.view.pixels_per_frame), 0)  # 50 px from any edge
    timeline.document.undo_stack.undo()
    drag(qtbot, timeline, grab, far)
    assert abs(timeline.sketch.clip(a2.id).start - 1.5 * RATE) <= 2 * frames_per_pixel(timeline)


def test_ruler_click_seeks_and_drag_sets_a_loop_through_the_undo_stack(qtbot):
    timeline = make(qtbot, tempo=120.0)
    ruler = timeline.ruler
    x = round(timeline.view.viewport_x(RATE * 1.5))
    with qtbot.waitSignal(timeline.seek_requested) as seek:
        qtbot.mouseClick(ruler, LEFT, NONE, QPoint(x, 10))
    assert abs(seek.args[0] - 1.5 * RATE) <= frames_per_pixel(timeline)
    qtbot.mousePress(ruler, LEFT, NONE, QPoint(round(timeline.view.viewport_x(RATE * 0.3)), 20))
    qtbot.mouseMove(ruler, QPoint(round(timeline.view.viewport_x(RATE * 2.0)), 20))
    assert ruler.dragging is not None and timeline.sketch.loop is None  # drawn, not yet pushed
    qtbot.mouseRelease(ruler, LEFT, NONE, QPoint(round(timeline.view.viewport_x(RATE * 3.7)), 20))
    assert timeline.sketch.loop == (BEAT, 7 * BEAT)  # on the grid: beats at this zoom
    assert timeline.document.undo_stack.undoText() == "Loop region"
    qtbot.mousePress(ruler, LEFT, NONE, QPoint(round(timeline.view.viewport_x(RATE * 0.3)), 20))
    qtbot.mouseRelease(ruler, LEFT, SHIFT, QPoint(round(timeline.view.viewport_x(RATE * 3.7)), 20))
    loop = timeline.sketch.loop
    fpp = frames_per_pixel(timeline)
    assert abs(loop[0] - 0.3 * RATE) <= fpp and abs(loop[1] - 3.7 * RATE) <= fpp
    timeline.document.undo_stack.undo()
    timeline.document.undo_stack.undo()
    assert timeline.sketch.loop is None


def test_track_headers_edit_the_track_and_a_slider_drag_is_one_step(qtbot):
    timeline = make(qtbot)
    sketch, stack = timeline.sketch, timeline.document.undo_stack
    track = sketch.tracks[0]
    header = timeline.headers.headers[track.id]
    qtbot.mouseClick(header.mute, LEFT)
    qtbot.mouseClick(header.solo, LEFT)
    assert track.mute and track.solo
    header.name.clear()
    qtbot.keyClicks(header.name, "Drums")
    qtbot.keyClick(header.name, Qt.Key.Key_Return)
    assert track.name == "Drums"
    header.pan.sliderPressed.emit()
    for value in (-20, -60, -100):
        header.pan.setValue(value)
    header.pan.sliderReleased.emit()
    header.gain.setValue(-6)
    assert track.pan == -1.0 and track.gain_db == -6.0
    assert [stack.text(i) for i in range(stack.count())] == [
        "Mute track", "Solo track", "Rename track", "Track pan", "Track gain"]
    stack.undo()
    stack.undo()
    assert track.pan == 0.0 and header.pan.value() == 0  # the header follows undo
    stack.undo()
    assert header.name.text() == "A"


def test_add_reorder_and_delete_tracks_keep_headers_and_rows_in_step(qtbot):
    timeline = make(qtbot)
    sketch = timeline.sketch
    start = state(sketch)
    new_id = timeline.add_track()
    assert [t.name for t in sketch.tracks] == ["A", "B", "Track 3"]
    assert timeline.headers.headers[new_id].pos().y() == 2 * ROW_HEIGHT
    first = sketch.tracks[0].id
    menu = timeline.headers.headers[first].menu()
    next(a for a in menu.actions() if a.text() == "Move down").trigger()
    assert [t.name for t in sketch.tracks] == ["B", "A", "Track 3"]
    a1 = clip_named(timeline, "a1")
    assert timeline.view.clip_items[a1.id].row == 1 and timeline.headers.headers[first].pos().y() == ROW_HEIGHT
    menu = timeline.headers.headers[first].menu()
    next(a for a in menu.actions() if a.text() == "Delete track").trigger()
    assert a1.id not in timeline.view.clip_items and first not in timeline.headers.headers
    while timeline.document.undo_stack.canUndo():
        timeline.document.undo_stack.undo()
    assert state(sketch) == start and timeline.view.clip_items[a1.id].row == 0


def test_tempo_change_and_mute_update_without_rebuilding(qtbot):
    timeline = make(qtbot)
    items = dict(timeline.view.clip_items)
    timeline.push(SetTempo(90.0))
    timeline.headers.headers[timeline.sketch.tracks[1].id].mute.click()
    assert timeline.view.clip_items == items
    b1 = clip_named(timeline, "b1")
    assert items[b1.id].muted and not items[clip_named(timeline, "a1").id].muted


def drop(timeline: Timeline, data: QMimeData, frame: float, row: int) -> None:
    """What a real drag does: enter (which must be accepted), then drop."""
    pos = point(timeline, frame, row)
    buttons, keys = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide flags the only constructor Qt 6 has
        enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, data, buttons, keys)
    QApplication.sendEvent(timeline.view.viewport(), enter)
    assert enter.isAccepted()
    dropped = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, data, buttons, keys)
    QApplication.sendEvent(timeline.view.viewport(), dropped)


def test_takes_and_audio_files_dropped_report_where_they_landed(qtbot, tmp_path):
    timeline = make(qtbot)
    take = QMimeData()
    take.setData(TAKE_MIME, QByteArray(b"3,4"))
    with qtbot.waitSignal(timeline.take_dropped) as got:
        drop(timeline, take, RATE * 2.5, 1)
    mime, track_id, frame = got.args
    assert bytes(mime.data(TAKE_MIME)) == b"3,4" and track_id == timeline.sketch.tracks[1].id
    assert abs(frame - 2.5 * RATE) <= frames_per_pixel(timeline)
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(tmp_path / "hum.wav")), QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    with qtbot.waitSignal(timeline.files_dropped) as got:
        drop(timeline, files, RATE, 3)  # below the last track: the window makes a new one
    assert got.args[0] == [str(tmp_path / "hum.wav")] and got.args[1] is None
    assert timeline.document.undo_stack.count() == 0  # the widget itself changes nothing
    other = QMimeData()
    other.setText("just words")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, other, Qt.MouseButton.NoButton, NONE)
    QApplication.sendEvent(timeline.view.viewport(), enter)
    assert not enter.isAccepted()
