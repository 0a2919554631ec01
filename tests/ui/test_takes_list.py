"""The takes list on the real window: rename (F2, double-click, the menu), star (button, menu, "Starred
only") and delete (Delete key, menu), each one undo step; a take dropped below the last track gets a track
of its own; a deleted take that is on the timeline keeps its clip, playing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from sketchpad.sketch import SetLoop
from tests.ui.conftest import generate
from tests.ui.test_kept_takes import texts
from tests.ui.test_timeline_controls import drop


def name_field(window) -> QLineEdit | None:
    fields = [field for field in window.takes.list.viewport().findChildren(QLineEdit) if field.isVisible()]
    return fields[0] if fields else None


def menu_action(window, row: int, text: str) -> None:
    menu = window.takes.menu_for(window.takes.list.item(row))
    next(action for action in menu.actions() if action.text() == text).trigger()
    menu.deleteLater()


def starred(window) -> list[bool]:
    return [kept.starred for kept in window.document.sketch.takes]


def test_rename_star_and_delete_in_the_list_are_one_undo_step_each(qtbot, window):
    generate(qtbot, window, prompt="dusty drums", variations=3)
    panel, sketch, stack = window.takes, window.document.sketch, window.document.undo_stack
    assert stack.count() == 0  # arriving takes are no step

    panel.list.setCurrentRow(2)  # Take 2/3
    qtbot.keyClick(panel.list, Qt.Key.Key_F2)
    field = name_field(window)
    assert field is not None and field.text() == "Take 2/3" and field.selectedText() == "Take 2/3"
    qtbot.keyClicks(field, "Chorus idea")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sketch.takes[1].name == "Chorus idea")  # Qt commits the field once Return is done
    assert texts(window)[2] == "Chorus idea: dusty drums" and name_field(window) is None
    assert panel.current is panel.takes[sketch.takes[1].id]  # still the same take, still current

    panel.star_button.click()
    assert starred(window) == [False, True, False] and panel.star_button.isChecked()
    assert "Starred" in panel.list.item(2).toolTip()
    assert panel.list.item(2).icon().pixmap(16).toImage().pixelColor(8, 8).alpha() > 0  # a drawn star
    assert panel.list.item(1).icon().pixmap(16).toImage().pixelColor(8, 8).alpha() == 0
    menu_action(window, 3, "Star")
    assert starred(window) == [False, True, True] and panel.current.label == "Take 3/3"
    panel.starred_only.setChecked(True)
    assert [row for row in range(panel.list.count()) if not panel.list.item(row).isHidden()] == [0, 2, 3]
    panel.starred_only.setChecked(False)

    panel.list.setCurrentRow(1)  # Take 1/3, deleted with the Delete key
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert [k.name for k in sketch.takes] == ["Chorus idea", "Take 3/3"]
    assert texts(window) == ["Request 1: 2 takes", "Chorus idea: dusty drums", "Take 3/3: dusty drums"]
    assert panel.current is panel.takes[sketch.takes[0].id] and window.waveform.take is panel.current
    assert stack.count() == 4

    undo, redo = window.actions["undo"], window.actions["redo"]
    expected = [(["Take 1/3", "Chorus idea", "Take 3/3"], [False, True, True]),
                (["Take 1/3", "Chorus idea", "Take 3/3"], [False, True, False]),
                (["Take 1/3", "Chorus idea", "Take 3/3"], [False, False, False]),
                (["Take 1/3", "Take 2/3", "Take 3/3"], [False, False, False])]
    for names, stars in expected:
        undo.trigger()
        assert [k.name for k in sketch.takes] == names and starred(window) == stars
    assert not undo.isEnabled() and texts(window)[1:] == ["Take 1/3: dusty drums", "Take 2/3: dusty drums",
                                                          "Take 3/3: dusty drums"]
    for _ in range(4):
        redo.trigger()
    assert [k.name for k in sketch.takes] == ["Chorus idea", "Take 3/3"] and starred(window) == [True, True]

    panel.starred_only.setChecked(True)  # new takes are not starred, yet they show, current
    generate(qtbot, window, prompt="new idea")
    assert not panel.starred_only.isChecked() and panel.current.prompt == "new idea"
    assert not panel.list.currentItem().isHidden() and window.waveform.take is panel.current


def test_double_click_and_the_menu_rename_and_an_empty_name_is_the_label_again(qtbot, window):
    results = generate(qtbot, window, prompt="brass stabs", variations=2)
    panel, sketch = window.takes, window.document.sketch
    where = panel.list.visualItemRect(panel.list.item(1)).center()
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double-click's first half
    qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    field = name_field(window)
    assert field is not None and field.text() == "Take 1/2"
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # cancelled: nothing changes
    qtbot.waitUntil(lambda: name_field(window) is None)
    assert sketch.takes[0].name == "Take 1/2" and window.document.undo_stack.count() == 0

    menu_action(window, 2, "Rename…")
    field = name_field(window)
    assert field is not None and field.text() == "Take 2/2"
    qtbot.keyClicks(field, "Out")
    window.keeper.keep(results)  # takes arriving while a name is typed: the field stays, and what is in it
    assert name_field(window) is field and len(sketch.takes) == 4
    qtbot.keyClicks(field, "ro")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sketch.takes[1].name == "Outro")
    panel.rename_requested.emit(sketch.takes[1].id, "   ")
    assert sketch.takes[1].name == "Take 2/2" and window.document.undo_stack.count() == 2
    panel.rename_requested.emit(sketch.takes[1].id, "Take 2/2")  # no change: no step
    assert window.document.undo_stack.count() == 2


def test_a_renamed_take_names_its_clip_and_is_still_played_and_dragged(qtbot, window):
    generate(qtbot, window, prompt="warm pads")
    window.takes.rename_requested.emit(window.document.sketch.takes[0].id, "Verse bed")
    played: list = []
    window.takes.play_requested.connect(played.append)
    window.takes.play_button.click()
    qtbot.keyClick(window.takes.list, Qt.Key.Key_Return)  # Enter plays too
    assert played == [window.takes.current] * 2
    window.takes.add_button.click()
    assert window.document.sketch.tracks[0].clips[0].name == "Verse bed"
    data = window.takes.list.mimeData([window.takes.list.item(1)])
    assert window.takes.take_ids_from(data) == [window.takes.current]


def test_a_take_dropped_below_the_last_track_gets_a_new_track(qtbot, window):
    generate(qtbot, window, variations=2)
    window.takes.add_button.click()  # Track 1, a clip from 0
    sketch = window.document.sketch
    first = sketch.tracks[0]
    data = window.takes.list.mimeData([window.takes.list.item(2)])
    drop(window.timeline, data, 0, 1)  # at 0, below the last track: it used to land on Track 1's clip
    assert len(first.clips) == 1 and [t.name for t in sketch.tracks] == ["Track 1", "Track 2"]
    clip = sketch.tracks[1].clips[0]
    assert clip.start == 0 and clip.media is sketch.takes[1].media
    window.actions["undo"].trigger()  # the track and its clip: one step
    assert [t.name for t in sketch.tracks] == ["Track 1"]

    data = window.takes.list.mimeData([window.takes.list.item(1), window.takes.list.item(2)])
    drop(window.timeline, data, 0, 1)
    clips = sketch.tracks[1].clips
    assert [c.start for c in clips] == [0, clips[0].length] and len(sketch.tracks) == 2
    window.actions["undo"].trigger()
    assert len(sketch.tracks) == 1


def test_a_deleted_take_playing_on_the_timeline_keeps_its_clip(qtbot, window, tmp_path, virtual_alsa):
    generate(qtbot, window, duration=1.0)
    window.takes.add_button.click()
    sketch = window.document.sketch
    clip = sketch.tracks[0].clips[0]
    window.timeline.push(SetLoop((0, clip.length)))
    window.transport.loop.click()  # a loop keeps it playing however fast the virtual device runs
    window.transport.play_pause_action.trigger()
    qtbot.waitUntil(lambda: window.transport.playing and window.timeline.playhead > 0, timeout=10_000)

    qtbot.keyClick(window.takes.list, Qt.Key.Key_Delete)
    assert sketch.takes == [] and texts(window) == [] and sketch.tracks[0].clips == [clip]
    assert window.transport.playing
    plan = window.playback.player.transport.plan
    assert [voice.samples.shape[1] for voice in plan.voices] == [clip.length]  # still in the mix
    window.transport.play_pause_action.trigger()
    window.playback.close()

    with qtbot.waitSignal(window.files.saved):
        window.files.save_to(tmp_path / "kept-clip")
    window.files.new()
    with qtbot.waitSignal(window.files.opened):
        window.files.open_path(tmp_path / "kept-clip.sketch")
    reopened = window.document.sketch
    assert reopened.takes == [] and reopened.tracks[0].clips[0].length == clip.length
    assert reopened.tracks[0].clips[0].media.tokens is not None
