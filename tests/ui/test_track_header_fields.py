"""Track headers: value fields beside the gain and pan sliders (shown and typed), double-click to reset,
the wheel only with focus, and the keys handed back to the clip area."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from sketchpad.sketch import SetTrackGain, SetTrackPan
from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.arrangement.timeline.fields import pan_text, pan_value
from sketchpad.ui.arrangement.timeline.track_header import TrackHeader
from tests.ui.test_timeline import LEFT, NONE
from tests.ui.timeline_sketches import document_with, two_track_sketch


@pytest.fixture
def timeline(qtbot) -> Timeline:
    widget = Timeline(document_with(two_track_sketch()))
    qtbot.addWidget(widget)
    widget.resize(1000, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    yield widget
    widget.detach()


def first_header(timeline: Timeline) -> TrackHeader:
    return timeline.headers.headers[timeline.sketch.tracks[0].id]


def steps(timeline: Timeline) -> list[str]:
    stack = timeline.document.undo_stack
    return [stack.text(i) for i in range(stack.index())]


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_the_fields_show_the_values_of_the_track_as_it_changes(timeline):
    header, track = first_header(timeline), timeline.sketch.tracks[0]
    assert header.gain_field.text() == "0.0" and header.pan_field.text() == "C"
    timeline.push(SetTrackGain(track.id, -7.5))
    timeline.push(SetTrackPan(track.id, -0.4))
    assert header.gain_field.text() == "-7.5" and header.pan_field.text() == "L40"
    timeline.document.undo_stack.undo()
    timeline.document.undo_stack.undo()
    assert header.gain_field.text() == "0.0" and header.pan_field.text() == "C"


def test_typed_gain_and_pan_are_sent_when_confirmed_and_enter_gives_the_keys_back(qtbot, timeline):
    header, track = first_header(timeline), timeline.sketch.tracks[0]
    type_into(qtbot, header.gain_field, "-4.5")
    assert track.gain_db == -4.5 and header.gain.value() in (-4, -5)  # finer than the slider's steps
    assert timeline.view.hasFocus()
    for text, pan in (("R25", 0.25), ("l100", -1.0), ("-30", -0.3), ("C", 0.0)):
        type_into(qtbot, header.pan_field, text)
        assert track.pan == pan, text
        assert header.pan.value() == round(pan * 100)
    assert steps(timeline) == ["Track gain", "Track pan", "Track pan", "Track pan", "Track pan"]


def test_arrow_steps_in_a_field_are_one_undo_step_per_visit(qtbot, timeline):
    header, track = first_header(timeline), timeline.sketch.tracks[0]
    header.pan_field.setFocus()
    for _ in range(4):
        qtbot.keyClick(header.pan_field, Qt.Key.Key_Up)
    assert track.pan == 0.2 and steps(timeline) == ["Track pan"]
    timeline.focus_clips()
    header.pan_field.setFocus()
    qtbot.keyClick(header.pan_field, Qt.Key.Key_Down)
    assert track.pan == 0.15 and steps(timeline) == ["Track pan", "Track pan"]


def test_escape_puts_the_value_back_and_sends_nothing(qtbot, timeline):
    header, track = first_header(timeline), timeline.sketch.tracks[0]
    header.gain_field.setFocus()
    header.gain_field.lineEdit().selectAll()
    qtbot.keyClicks(header.gain_field, "9")
    qtbot.keyClick(header.gain_field, Qt.Key.Key_Escape)
    assert track.gain_db == 0.0 and header.gain_field.text() == "0.0" and steps(timeline) == []


def test_double_click_on_a_slider_resets_it_in_one_step(qtbot, timeline):
    header, track = first_header(timeline), timeline.sketch.tracks[0]
    timeline.push(SetTrackGain(track.id, -12.0))
    timeline.push(SetTrackPan(track.id, 0.6))
    qtbot.mouseDClick(header.gain, LEFT, NONE, header.gain.rect().center())
    qtbot.mouseDClick(header.pan, LEFT, NONE, header.pan.rect().center())
    assert track.gain_db == 0.0 and track.pan == 0.0
    assert header.gain_field.text() == "0.0" and header.pan_field.text() == "C"
    assert steps(timeline) == ["Track gain", "Track pan", "Track gain", "Track pan"]


def test_the_wheel_over_a_field_without_focus_changes_nothing(timeline):
    header, track = first_header(timeline), timeline.sketch.tracks[0]
    timeline.focus_clips()
    field = header.gain_field
    wheel = QWheelEvent(QPointF(5, 5), QPointF(field.mapToGlobal(QPoint(5, 5))), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, NONE, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(field, wheel)
    assert track.gain_db == 0.0 and steps(timeline) == []


def test_typing_in_a_track_name_never_triggers_timeline_keys(qtbot, timeline):
    header, sketch = first_header(timeline), timeline.sketch
    timeline.set_playhead(sketch.tracks[1].clips[0].start + 100)  # inside a1 (and b1)
    timeline.select_clips([sketch.tracks[0].clips[0].id])  # S would split a1; Delete or Backspace delete it
    header.name.setFocus()
    header.name.selectAll()
    qtbot.keyClicks(header.name, "Strings")
    qtbot.keyClick(header.name, Qt.Key.Key_Backspace)
    qtbot.keyClick(header.name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(header.name, Qt.Key.Key_Delete)
    qtbot.keyClicks(header.name, "Sax")
    assert [len(track.clips) for track in sketch.tracks] == [2, 1] and timeline.selected_clip_ids()
    qtbot.keyClick(header.name, Qt.Key.Key_Return)
    assert sketch.tracks[0].name == "Sax" and timeline.view.hasFocus()
    qtbot.keyClick(timeline.view, Qt.Key.Key_S)  # the keys are the timeline's again
    assert [len(track.clips) for track in sketch.tracks] == [3, 1]


def test_clicking_a_header_or_the_ruler_gives_the_keys_to_the_clip_area(qtbot, timeline):
    header = first_header(timeline)
    header.name.setFocus()
    qtbot.mouseClick(header, LEFT, NONE, QPoint(header.width() - 3, header.height() - 3))
    assert timeline.view.hasFocus()
    header.name.setFocus()
    qtbot.mouseClick(header.mute, LEFT)
    assert timeline.view.hasFocus() and timeline.sketch.tracks[0].mute
    header.name.setFocus()
    qtbot.mouseClick(timeline.ruler, LEFT, NONE, QPoint(50, 10))
    assert timeline.view.hasFocus()


@pytest.mark.parametrize(("text", "value"), [("C", 0), ("c", 0), ("L40", -40), ("r 7", 7), ("-100", -100),
                                             ("+12", 12), ("L101", None), ("X", None), ("L", None), ("", None)])
def test_pan_text_both_ways(text, value):
    assert pan_value(text) == value
    if value is not None:
        assert pan_value(pan_text(value)) == value
