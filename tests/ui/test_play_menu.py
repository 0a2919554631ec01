"""Every action in a menu: the loop, the metronome and snap sit in the Play menu with their keys, and the
menu, the buttons and the keys are one action each (one state)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence


def _play_menu(window):
    menus = {action.text().replace("&", ""): action.menu() for action in window.menuBar().actions()}
    return menus["Play"]


def test_loop_metronome_and_snap_are_in_the_play_menu_with_their_keys(qtbot, window):
    menu = _play_menu(window)
    by_text = {action.text(): action for action in menu.actions() if not action.isSeparator()}
    assert {"Loop", "Metronome", "Snap to grid"} <= set(by_text), list(by_text)
    assert by_text["Loop"] is window.actions["loop"] is window.transport.loop.defaultAction()
    assert by_text["Metronome"] is window.actions["metronome"] is window.transport.metronome.defaultAction()
    assert by_text["Snap to grid"] is window.actions["snap"] is window.timeline.snap_action
    assert by_text["Loop"].shortcut() == QKeySequence("L")
    assert by_text["Metronome"].shortcut() == QKeySequence("C")
    assert by_text["Snap to grid"].shortcut() == QKeySequence("N")
    for name in ("loop", "metronome", "snap"):
        assert window.actions[name].isCheckable()


def test_the_menu_entries_do_what_the_buttons_do(qtbot, window):
    player = window.arrangement_playback
    assert not player.loop_enabled
    window.actions["loop"].trigger()  # as choosing Play > Loop does
    assert player.loop_enabled and window.transport.loop.isChecked()
    window.actions["loop"].trigger()
    assert not player.loop_enabled and not window.transport.loop.isChecked()
    snap = window.actions["snap"]
    assert window.timeline.view.snap
    snap.trigger()
    assert not window.timeline.view.snap
    snap.trigger()
    assert window.timeline.view.snap
    metronome = window.actions["metronome"]
    assert not metronome.isEnabled()  # no tempo yet: nothing to click to
    window.transport.tempo_field.setValue(100)
    qtbot.waitUntil(metronome.isEnabled)
    metronome.trigger()
    assert metronome.isChecked() and window.transport.metronome.isChecked()
    assert window.arrangement_playback.metronome


def test_l_toggles_the_loop_from_the_clip_area(qtbot, window):
    window.activateWindow()
    window.timeline.focus_clips()
    qtbot.keyClick(window.timeline.view, Qt.Key.Key_L)
    assert window.arrangement_playback.loop_enabled
