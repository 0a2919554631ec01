"""Editing a DAW user expects, on the timeline widget: select all, rubber band, copy/cut/paste, nudge by
arrow keys (a burst is one undo step), and renaming and clip gain in the clip bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from sketchpad.sketch import Sketch, Track
from sketchpad.ui.arrangement.timeline import Timeline, nudge
from sketchpad.ui.arrangement.timeline.geometry import grid_step
from tests.sketch.conftest import RATE, state
from tests.ui.test_timeline import LEFT, NONE, clip_named, drag, point
from tests.ui.timeline_sketches import document_with, two_track_sketch

CTRL = Qt.KeyboardModifier.ControlModifier


def make(qtbot, tempo: float | None = None) -> Timeline:
    widget = Timeline(document_with(two_track_sketch(tempo)))
    qtbot.addWidget(widget)
    widget.resize(1000, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()  # keys then go through Qt's shortcut map, as in the window
    qtbot.waitUntil(widget.isActiveWindow)
    widget.view.setFocus()
    return widget


def names(timeline: Timeline, clip_ids: list[str]) -> set[str]:
    return {timeline.sketch.clip(clip_id).name for clip_id in clip_ids}


def steps(timeline: Timeline) -> list[str]:
    stack = timeline.document.undo_stack
    return [stack.text(i) for i in range(stack.index())]


def test_ctrl_a_selects_every_clip_and_the_clip_bar_counts_them(qtbot):
    timeline = make(qtbot)
    qtbot.keyClick(timeline.view, Qt.Key.Key_A, CTRL)
    assert names(timeline, timeline.selected_clip_ids()) == {"a1", "a2", "b1"}
    assert not timeline.clip_bar.name.isEnabled() and timeline.clip_bar.name.placeholderText() == "3 clips"
    assert timeline.document.undo_stack.count() == 0  # selecting is not an edit


def test_a_drag_from_empty_space_selects_every_clip_it_touches(qtbot):
    timeline = make(qtbot)
    a1 = clip_named(timeline, "a1")
    # From the gap between a1 and a2 on track A (1.2 s) to 2.5 s on track B: touches a2 and b1's tail.
    drag(qtbot, timeline, point(timeline, 1.2 * RATE, 0, y=10), point(timeline, 2.5 * RATE, 1))
    assert names(timeline, timeline.selected_clip_ids()) == {"a2", "b1"}
    assert timeline.view.band is None and timeline.document.undo_stack.count() == 0
    qtbot.mouseClick(timeline.view.viewport(), LEFT, NONE, point(timeline, 1.5 * RATE, 0))
    assert timeline.selected_clip_ids() == []  # a click on empty space clears it
    timeline.select_clips([a1.id])
    viewport = timeline.view.viewport()
    start, end = point(timeline, 2.2 * RATE, 1), point(timeline, 2.6 * RATE, 0, y=10)
    qtbot.mousePress(viewport, LEFT, CTRL, start)  # Ctrl keeps what was selected
    for step in range(1, 5):
        qtbot.mouseMove(viewport, start + (end - start) * (step / 4))
    qtbot.mouseRelease(viewport, LEFT, CTRL, end)
    assert names(timeline, timeline.selected_clip_ids()) == {"a1", "a2"}


def test_copy_then_paste_lands_at_the_playhead_keeping_distances_in_one_step(qtbot):
    timeline = make(qtbot)
    sketch = timeline.sketch
    a1, b1 = clip_named(timeline, "a1"), clip_named(timeline, "b1")
    timeline.select_clips([a1.id, b1.id])
    qtbot.keyClick(timeline.view, Qt.Key.Key_C, CTRL)
    timeline.set_playhead(4 * RATE)
    timeline.select_clips([])
    before = state(sketch)
    qtbot.keyClick(timeline.view, Qt.Key.Key_V, CTRL)  # nothing selected: from the first track
    pasted = timeline.selected_clip_ids()
    assert len(pasted) == 2 and steps(timeline) == ["Paste clips"]
    by_name = {sketch.clip(clip_id).name: sketch.clip(clip_id) for clip_id in pasted}
    assert by_name["a1"].start == 4 * RATE and sketch.find_clip(by_name["a1"].id)[0].name == "A"
    assert by_name["b1"].start == 4 * RATE + RATE // 2 and sketch.find_clip(by_name["b1"].id)[0].name == "B"
    assert by_name["a1"].media is a1.media and by_name["a1"].id != a1.id
    timeline.document.undo_stack.undo()
    assert state(sketch) == before
    timeline.select_clips([b1.id])  # on track B: the copy's second track does not exist yet, so it is made
    timeline.paste()
    assert [track.name for track in sketch.tracks] == ["A", "B", "Track 3"]
    assert [clip.name for clip in sketch.tracks[2].clips] == ["b1"]
    assert steps(timeline) == ["Paste clips"]
    timeline.document.undo_stack.undo()
    assert state(sketch) == before


def test_the_clipboard_is_a_snapshot_and_cut_is_one_step(qtbot):
    timeline = make(qtbot)
    sketch = timeline.sketch
    a2 = clip_named(timeline, "a2")
    timeline.select_clips([a2.id])
    qtbot.keyClick(timeline.view, Qt.Key.Key_X, CTRL)
    assert "a2" not in {clip.name for _, clip in sketch.iter_clips()} and steps(timeline) == ["Cut clip"]
    timeline.set_playhead(6 * RATE)
    qtbot.keyClick(timeline.view, Qt.Key.Key_V, CTRL)
    qtbot.keyClick(timeline.view, Qt.Key.Key_V, CTRL)
    copies = [clip for clip in sketch.tracks[0].clips if clip.name == "a2"]
    assert [clip.start for clip in copies] == [6 * RATE, 6 * RATE] and len({c.id for c in copies}) == 2
    assert steps(timeline) == ["Cut clip", "Paste clip", "Paste clip"]


def test_arrow_keys_nudge_by_the_grid_and_one_burst_is_one_undo_step(qtbot):
    timeline = make(qtbot, tempo=120.0)  # the grid is a beat at this zoom: 0.5 s
    sketch, view = timeline.sketch, timeline.view
    a2 = clip_named(timeline, "a2")
    step = grid_step(120.0, RATE, view.pixels_per_frame, sketch.metre)
    assert step == RATE // 2
    timeline.select_clips([a2.id])
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert sketch.clip(a2.id).start == a2.start + 2 * step
    assert steps(timeline) == ["Nudge clip"]
    qtbot.keyClick(view, Qt.Key.Key_Down)  # to track B, still the same burst
    assert sketch.find_clip(a2.id)[0].name == "B" and steps(timeline) == ["Nudge clip"]
    moved = state(sketch)
    timeline.document.undo_stack.undo()
    assert sketch.clip(a2.id) is a2 and sketch.find_clip(a2.id)[0].name == "A"
    timeline.document.undo_stack.redo()
    assert state(sketch) == moved
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)  # Shift: one pixel, a new step
    assert sketch.clip(a2.id).start == a2.start + 2 * step - round(1 / view.pixels_per_frame)
    assert steps(timeline) == ["Nudge clip", "Nudge clip"]


def test_a_pause_or_another_edit_ends_a_nudge_burst_and_clips_keep_their_distances(qtbot, monkeypatch):
    timeline = make(qtbot)  # no tempo: the grid is round seconds about 80 pixels apart
    sketch, view = timeline.sketch, timeline.view
    a1, a2 = clip_named(timeline, "a1"), clip_named(timeline, "a2")
    step = grid_step(None, RATE, view.pixels_per_frame)
    timeline.select_clips([a1.id, a2.id])
    qtbot.keyClick(view, Qt.Key.Key_Right)
    timeline.add_track()
    timeline.select_clips([a1.id, a2.id])
    qtbot.keyClick(view, Qt.Key.Key_Right)
    monkeypatch.setattr(nudge, "BURST_SECONDS", -1.0)  # every press after a long pause
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert steps(timeline) == ["Nudge clips", "Add track", "Nudge clips", "Nudge clips"]
    assert sketch.clip(a1.id).start == 3 * step and sketch.clip(a2.id).start == a2.start + 3 * step
    for _ in range(10):  # held at the start of the timeline: a1 stops at 0 and a2 keeps its distance
        qtbot.keyClick(view, Qt.Key.Key_Left)
    assert sketch.clip(a1.id).start == 0 and sketch.clip(a2.id).start == a2.start


def test_arrows_scroll_when_no_clip_is_selected(qtbot):
    timeline = make(qtbot)
    timeline.view.zoom(4.0)
    before = state(timeline.sketch)
    bar = timeline.view.horizontalScrollBar()
    qtbot.keyClick(timeline.view, Qt.Key.Key_Right)
    assert bar.value() > 0 and state(timeline.sketch) == before


def test_double_click_renames_a_clip_in_the_clip_bar_and_enter_gives_the_keys_back(qtbot):
    timeline = make(qtbot)
    sketch, bar = timeline.sketch, timeline.clip_bar
    a2 = clip_named(timeline, "a2")
    qtbot.mouseDClick(timeline.view.viewport(), LEFT, NONE, point(timeline, 2.5 * RATE, 0))
    assert timeline.selected_clip_ids() == [a2.id]
    assert bar.name.hasFocus() and bar.name.selectedText() == "a2"
    qtbot.keyClicks(bar.name, "Intro")
    assert sketch.clip(a2.id).name == "a2"  # not before it is confirmed
    qtbot.keyClick(bar.name, Qt.Key.Key_Return)
    assert sketch.clip(a2.id).name == "Intro" and steps(timeline) == ["Rename clip"]
    assert timeline.view.hasFocus()
    qtbot.keyClick(timeline.view, Qt.Key.Key_F2)
    qtbot.keyClicks(bar.name, "Outro")
    qtbot.keyClick(bar.name, Qt.Key.Key_Escape)
    assert sketch.clip(a2.id).name == "Intro" and bar.name.text() == "Intro" and timeline.view.hasFocus()
    timeline.document.undo_stack.undo()
    assert bar.name.text() == "a2"  # the bar follows undo


def test_the_gain_field_sets_every_selected_clip_and_one_visit_is_one_step(qtbot):
    timeline = make(qtbot)
    sketch, gain = timeline.sketch, timeline.clip_bar.gain
    a1, a2, b1 = (clip_named(timeline, name) for name in ("a1", "a2", "b1"))
    assert not gain.isEnabled()
    timeline.select_clips([a1.id, a2.id])
    gain.setFocus()
    gain.lineEdit().selectAll()
    qtbot.keyClicks(gain, "-6")
    assert sketch.clip(a1.id).gain_db == 0.0  # typing is not yet a value
    qtbot.keyClick(gain, Qt.Key.Key_Return)
    assert sketch.clip(a1.id).gain_db == sketch.clip(a2.id).gain_db == -6.0 and sketch.clip(b1.id).gain_db == 0.0
    assert timeline.view.hasFocus()
    gain.setFocus()
    for _ in range(3):
        qtbot.keyClick(gain, Qt.Key.Key_Up)
    assert sketch.clip(a1.id).gain_db == sketch.clip(a2.id).gain_db == -4.5
    timeline.view.setFocus()  # leaving the field ends the visit
    assert steps(timeline) == ["Clip gain", "Clip gain"]
    timeline.document.undo_stack.undo()
    assert sketch.clip(a2.id).gain_db == -6.0 and gain.value() == -6.0
    timeline.select_clips([b1.id])
    assert gain.value() == 0.0


def test_the_clip_menu_offers_rename_and_the_clipboard_as_the_selection_allows(qtbot):
    timeline = make(qtbot)
    texts = {action.text(): action for action in timeline.clip_menu().actions() if action.text()}
    assert {"Rename clip", "Cut", "Copy", "Paste at playhead", "Select all clips"} <= set(texts)
    assert not texts["Copy"].isEnabled() and not texts["Paste at playhead"].isEnabled()
    timeline.select_clips([clip_named(timeline, "b1").id])
    assert texts["Copy"].isEnabled() and texts["Rename clip"].isEnabled()
    texts["Copy"].trigger()
    assert texts["Paste at playhead"].isEnabled()


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_and_backspace_delete_the_selected_clips(qtbot, key):
    timeline = make(qtbot)
    timeline.select_clips([clip_named(timeline, "a1").id])
    qtbot.keyClick(timeline.view, key)
    assert {clip.name for _, clip in timeline.sketch.iter_clips()} == {"a2", "b1"}
    assert steps(timeline) == ["Delete clip"]


def test_the_clipboard_outlives_the_sketch_and_a_paste_that_cannot_fit_changes_nothing(qtbot):
    timeline = make(qtbot)
    a1 = clip_named(timeline, "a1")
    timeline.select_clips([a1.id])
    timeline.copy_selected()
    other = two_track_sketch()
    timeline.document.replace(other)
    timeline.reload()
    timeline.paste()  # another sketch at the same rate: the copy lands
    assert [clip.name for clip in other.tracks[0].clips] == ["a1", "a2", "a1"]
    foreign = Sketch(sample_rate=48000, tracks=[Track(name="T")])
    timeline.document.replace(foreign)
    timeline.reload()
    before = state(foreign)
    with qtbot.waitSignal(timeline.problem) as problem:
        timeline.paste()
    assert "32000 Hz" in problem.args[0] and state(foreign) == before
    assert timeline.document.undo_stack.count() == 0
