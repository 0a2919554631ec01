"""The timeline's keys in the real window: they work wherever the keys are in the timeline (clip area, a
track header's slider, after a click on the ruler), redo answers Ctrl+Y as well as Ctrl+Shift+Z, and a
text field keeps every key it types with."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.sketch.conftest import RATE
from tests.ui.test_timeline import LEFT, NONE
from tests.ui.timeline_sketches import two_track_sketch

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def open_sketch(qtbot, window):
    window.document.replace(two_track_sketch())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(window.timeline.view.isVisible)  # the timeline's new parts show on the next turn
    return window.timeline


def counts(timeline) -> list[int]:
    return [len(track.clips) for track in timeline.sketch.tracks]


def press(qtbot, window, key, modifier=NONE) -> None:
    """A key as a person presses it: to whichever widget has the keys."""
    qtbot.keyClick(window.focusWidget(), key, modifier)


def test_timeline_keys_work_from_the_clip_area_a_header_and_the_ruler(qtbot, window):
    timeline = open_sketch(qtbot, window)
    sketch = timeline.sketch
    a1 = sketch.tracks[0].clips[0]
    header = timeline.headers.headers[sketch.tracks[0].id]
    places = {
        "clip area": timeline.focus_clips,
        "a header's gain slider": header.gain.setFocus,
        "the ruler": lambda: qtbot.mouseClick(timeline.ruler, LEFT, NONE, QPoint(5, 30)),
    }
    for place, focus in places.items():
        timeline.set_playhead(RATE // 4)  # inside a1 only
        focus()
        timeline.select_clips([a1.id])
        press(qtbot, window, Qt.Key.Key_S)
        assert counts(timeline) == [3, 1], place
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
        press(qtbot, window, Qt.Key.Key_Y, CTRL)  # redo, the Windows way
        assert counts(timeline) == [3, 1], place
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
        press(qtbot, window, Qt.Key.Key_Z, CTRL_SHIFT)  # redo, the other way
        assert counts(timeline) == [3, 1], place
        press(qtbot, window, Qt.Key.Key_A, CTRL)
        assert len(timeline.selected_clip_ids()) == 4, place
        press(qtbot, window, Qt.Key.Key_D, CTRL)
        assert counts(timeline) == [6, 2], place
        press(qtbot, window, Qt.Key.Key_Delete)
        assert counts(timeline) == [3, 1], place  # the duplicates were selected
        timeline.select_clips([sketch.tracks[0].clips[-1].id])
        press(qtbot, window, Qt.Key.Key_Backspace)
        assert counts(timeline) == [2, 1], place
        press(qtbot, window, Qt.Key.Key_T, CTRL)
        assert len(sketch.tracks) == 3, place
        while window.document.undo_stack.canUndo():
            window.document.undo_stack.undo()
        assert counts(timeline) == [2, 1] and len(sketch.tracks) == 2


def test_text_fields_keep_the_keys_they_type_with(qtbot, window):
    timeline = open_sketch(qtbot, window)
    sketch = timeline.sketch
    timeline.set_playhead(RATE // 4)
    timeline.select_clips([sketch.tracks[0].clips[0].id])
    for field in (timeline.headers.headers[sketch.tracks[1].id].name, timeline.clip_bar.name):
        field.setFocus()
        field.selectAll()
        qtbot.keyClicks(field, "Sss")
        for key, modifier in ((Qt.Key.Key_Backspace, NONE), (Qt.Key.Key_Delete, NONE), (Qt.Key.Key_A, CTRL),
                              (Qt.Key.Key_C, CTRL), (Qt.Key.Key_V, CTRL)):
            qtbot.keyClick(field, key, modifier)
        assert counts(timeline) == [2, 1] and timeline.selected_clip_ids() == [sketch.tracks[0].clips[0].id]
        qtbot.keyClick(field, Qt.Key.Key_Escape)  # puts the name back
        assert window.document.undo_stack.count() == 0
    assert timeline.view.hasFocus() and sketch.tracks[1].name == "B"
