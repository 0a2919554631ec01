"""The timeline driven with the mouse and keys: move (also to another track), trim, fades, split,
duplicate, delete; each drag one undo step; undo back to the start and redo to the end."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.arrangement.timeline.geometry import ROW_HEIGHT
from tests.sketch.conftest import RATE, state
from tests.ui.timeline_sketches import shown_timeline, two_track_sketch

LEFT = Qt.MouseButton.LeftButton
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
BODY_Y = 40  # inside a row, below the name strip where fade handles sit


@pytest.fixture
def timeline(qtbot) -> Timeline:
    with shown_timeline(qtbot, two_track_sketch(), 1000, 360) as widget:
        yield widget


def point(timeline: Timeline, frame: float, row: int, y: int = BODY_Y) -> QPoint:
    view = timeline.view
    return QPoint(round(view.viewport_x(frame)), row * ROW_HEIGHT + y - view.verticalScrollBar().value())


def drag(qtbot, timeline: Timeline, start: QPoint, end: QPoint, steps: int = 8, modifier=NONE) -> None:
    viewport = timeline.view.viewport()
    qtbot.mousePress(viewport, LEFT, NONE, start)
    for step in range(1, steps + 1):
        qtbot.mouseMove(viewport, start + (end - start) * (step / steps))
    qtbot.mouseRelease(viewport, LEFT, modifier, end)


def clip_named(timeline: Timeline, name: str):
    return next(clip for _, clip in timeline.sketch.iter_clips() if clip.name == name)


def frames_per_pixel(timeline: Timeline) -> float:
    return 1 / timeline.view.pixels_per_frame


def test_opens_with_a_header_per_track_and_an_item_per_clip(timeline):
    sketch = timeline.sketch
    assert list(timeline.headers.headers) == [t.id for t in sketch.tracks]
    assert set(timeline.view.clip_items) == {clip.id for _, clip in sketch.iter_clips()}
    a2 = clip_named(timeline, "a2")
    item = timeline.view.clip_items[a2.id]
    assert item.pos().x() == a2.start and item.boundingRect().width() == a2.length
    assert timeline.headers.headers[sketch.tracks[1].id].name.text() == "B"


def test_dragging_a_clip_to_another_time_and_track_is_one_undo_step(qtbot, timeline):
    sketch, stack = timeline.sketch, timeline.document.undo_stack
    before = state(sketch)
    a1 = clip_named(timeline, "a1")
    items_before = dict(timeline.view.clip_items)
    press = point(timeline, RATE * 0.5, 0)
    drag(qtbot, timeline, press, point(timeline, RATE * 4.0, 1), steps=12, modifier=SHIFT)
    moved = sketch.clip(a1.id)
    assert sketch.find_clip(a1.id)[0].name == "B"
    assert abs(moved.start - 3.5 * RATE) <= 2 * frames_per_pixel(timeline)
    assert stack.count() == 1 and stack.undoText() == "Move clip"
    assert timeline.view.clip_items[a1.id] is items_before[a1.id]  # updated, not rebuilt
    assert timeline.view.clip_items[a1.id].row == 1
    stack.undo()
    assert state(sketch) == before
    assert timeline.view.clip_items[a1.id].row == 0 and timeline.view.clip_items[a1.id].pos().x() == 0
    stack.redo()
    assert sketch.clip(a1.id) == moved and sketch.find_clip(a1.id)[0].name == "B"


def test_trimming_either_edge_keeps_the_audio_in_place(qtbot, timeline):
    sketch = timeline.sketch
    a2 = clip_named(timeline, "a2")
    nudge = QPoint(2, 0)  # just inside the edge
    drag(qtbot, timeline, point(timeline, a2.start, 0) + nudge, point(timeline, a2.start + RATE // 4, 0) + nudge,
         modifier=SHIFT)
    head = sketch.clip(a2.id)
    assert abs(head.trim_in - RATE // 4) <= 2 * frames_per_pixel(timeline)
    assert head.start == a2.start + head.trim_in and head.end == a2.end
    drag(qtbot, timeline, point(timeline, a2.end, 0) - nudge, point(timeline, a2.end - RATE // 2, 0) - nudge,
         modifier=SHIFT)
    tail = sketch.clip(a2.id)
    assert abs(tail.trim_out - RATE // 2) <= 2 * frames_per_pixel(timeline)
    assert tail.start == head.start and tail.end == a2.end - tail.trim_out
    assert [timeline.document.undo_stack.text(i) for i in range(2)] == ["Trim clip", "Trim clip"]


def test_fade_handles_set_the_fades(qtbot, timeline):
    sketch = timeline.sketch
    a2 = clip_named(timeline, "a2")
    handle_y = 6  # the strip along the top where the fade handles sit
    drag(qtbot, timeline, point(timeline, a2.start, 0, handle_y) + QPoint(2, 0),
         point(timeline, a2.start + RATE // 5, 0, handle_y))
    assert abs(sketch.clip(a2.id).fade_in - RATE // 5) <= 3 * frames_per_pixel(timeline)
    drag(qtbot, timeline, point(timeline, a2.end, 0, y=6) - QPoint(2, 0), point(timeline, a2.end - RATE // 10, 0, y=6))
    faded = sketch.clip(a2.id)
    assert abs(faded.fade_out - RATE // 10) <= 3 * frames_per_pixel(timeline)
    assert faded.start == a2.start and faded.length == a2.length  # fades never move or trim
    assert timeline.document.undo_stack.count() == 2 and timeline.document.undo_stack.undoText() == "Clip fades"


def test_split_duplicate_delete_by_keys_then_undo_to_start_and_redo_to_end(qtbot, timeline):
    sketch, stack = timeline.sketch, timeline.document.undo_stack
    start_state = state(sketch)
    a2 = clip_named(timeline, "a2")
    drag(qtbot, timeline, point(timeline, a2.start + RATE // 2, 0), point(timeline, a2.start + RATE, 1), modifier=SHIFT)
    timeline.set_playhead(sketch.clip(a2.id).start + RATE // 3)
    timeline.select_clips([a2.id])
    timeline.view.setFocus()
    qtbot.keyClick(timeline.view, Qt.Key.Key_S)
    track_b = sketch.tracks[1]
    assert len(track_b.clips) == 3 and sketch.clip(a2.id).end == timeline.playhead
    right = track_b.clips[track_b.clip_index(a2.id) + 1]
    assert right.start == timeline.playhead and right.trim_in == RATE // 3
    timeline.select_clips([right.id])
    qtbot.keyClick(timeline.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    copy = track_b.clips[-1]
    assert copy.start == right.end and copy.media is right.media and len(track_b.clips) == 4
    timeline.select_clips([clip_named(timeline, "b1").id])
    qtbot.keyClick(timeline.view, Qt.Key.Key_Delete)
    assert "b1" not in {clip.name for _, clip in sketch.iter_clips()}
    assert set(timeline.view.clip_items) == {clip.id for _, clip in sketch.iter_clips()}
    names = [stack.text(i) for i in range(stack.count())]
    assert names == ["Move clip", "Split clip", "Duplicate clip", "Delete clip"]
    end_state = state(sketch)
    while stack.canUndo():
        stack.undo()
    assert state(sketch) == start_state
    assert set(timeline.view.clip_items) == {clip.id for _, clip in sketch.iter_clips()}
    while stack.canRedo():
        stack.redo()
    assert state(sketch) == end_state
    assert {cid: item.clip for cid, item in timeline.view.clip_items.items()} == {
        clip.id: clip for _, clip in sketch.iter_clips()}


def test_split_with_nothing_selected_cuts_every_clip_under_the_playhead(qtbot, timeline):
    timeline.set_playhead(RATE * 3 // 4)  # inside a1 (0..1 s) and b1 (0.5..2 s)
    timeline.split_at_playhead()
    assert [len(t.clips) for t in timeline.sketch.tracks] == [3, 2]
    assert timeline.document.undo_stack.undoText() == "Split clips"


def test_zoom_keys_ctrl_wheel_and_fit(qtbot, timeline):
    view = timeline.view
    scale = view.pixels_per_frame
    timeline.view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.pixels_per_frame == pytest.approx(scale * 1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.pixels_per_frame == pytest.approx(scale / 1.25)
    frame_under = view.frame_at(300)
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication
    event = QWheelEvent(QPointF(300, 50), QPointF(view.viewport().mapToGlobal(QPoint(300, 50))), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.pixels_per_frame == pytest.approx(scale)
    assert abs(view.frame_at(300) - frame_under) <= 2 / view.pixels_per_frame  # zoomed about the pointer
    timeline.zoom_to_fit()
    assert 0 < view.viewport_x(timeline.sketch.length) <= view.viewport().width()
    assert view.viewport_x(timeline.sketch.length) > 0.8 * view.viewport().width()


def test_playhead_moves_and_the_view_follows_it(timeline):
    timeline.set_playhead(RATE)
    assert timeline.view.playhead.pos().x() == RATE
    far = RATE * 25  # past the right edge at 100 px/s
    timeline.set_playhead(far)
    assert 0 <= timeline.view.viewport_x(far) <= timeline.view.viewport().width()


def test_a_clip_dragged_below_the_last_track_lands_on_a_new_track_in_one_undo_step(qtbot, timeline):
    sketch, stack = timeline.sketch, timeline.document.undo_stack
    before = state(sketch)
    a1 = clip_named(timeline, "a1")
    drag(qtbot, timeline, point(timeline, RATE * 0.5, 0), point(timeline, RATE * 2.5, 2), steps=12, modifier=SHIFT)
    assert [track.name for track in sketch.tracks] == ["A", "B", "Track 3"]
    assert sketch.find_clip(a1.id)[0] is sketch.tracks[2]
    assert abs(sketch.clip(a1.id).start - 2.0 * RATE) <= 2 * frames_per_pixel(timeline)
    assert timeline.view.clip_items[a1.id].row == 2
    assert stack.count() == 1 and stack.undoText() == "Move clip to a new track"
    stack.undo()
    assert state(sketch) == before and len(sketch.tracks) == 2
    stack.redo()
    assert sketch.find_clip(a1.id)[0].name == "Track 3"
