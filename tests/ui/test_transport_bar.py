"""The transport bar: signals out, state and time in, Space toggles play and pause."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from sketchpad.ui.arrangement.transport_bar import TransportBar, bar_beat


def test_buttons_and_space_emit_and_the_bar_shows_what_playback_reports(qtbot):
    bar = TransportBar()
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    bar.activateWindow()
    qtbot.waitUntil(bar.isActiveWindow)
    with qtbot.waitSignal(bar.play_requested):
        qtbot.keyClick(bar, Qt.Key.Key_Space)
    assert not bar.playing  # a request, not a state: it changes when playback says so
    bar.set_playing(True)
    assert bar.play.text() == "Pause"
    with qtbot.waitSignal(bar.pause_requested):
        qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(bar.stop_requested):
        qtbot.mouseClick(bar.stop, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(bar.rewind_requested):
        qtbot.mouseClick(bar.rewind, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(bar.loop_toggled) as toggled:
        qtbot.mouseClick(bar.loop, Qt.MouseButton.LeftButton)
    assert toggled.args == [True]
    with qtbot.assertNotEmitted(bar.loop_toggled):
        bar.set_loop_enabled(False)
    assert not bar.loop.isChecked()


def test_time_display_in_seconds_and_bars(qtbot):
    bar = TransportBar()
    qtbot.addWidget(bar)
    bar.set_timebase(32000, None)
    bar.set_position(32000 * 61 + 16000)
    assert bar.time.text() == "1:01.500"
    bar.set_timebase(32000, 120.0)
    assert bar.time.text() == "1:01.500  bar 31.4"  # 123 beats in: bar 31, beat 4
    bar.set_levels(-6.0, -80.0)
    assert bar.meter.levels_db == (-6.0, -60.0)


def test_bar_beat_counts_from_one():
    assert bar_beat(0, 32000, 120.0) == "1.1"
    assert bar_beat(16000, 32000, 120.0) == "1.2"
    assert bar_beat(64000, 32000, 120.0) == "2.1"


def test_play_and_pause_show_style_icons_not_font_symbols(qtbot):
    """"⏸" draws as a box in fonts without the media symbols: every transport button shows an icon,
    and its text (menus, tooltips, a style without icons) is a word."""
    bar = TransportBar()
    qtbot.addWidget(bar)
    play_icon = bar.play_pause_action.icon()
    bar.set_playing(True)
    pause_icon = bar.play_pause_action.icon()
    assert not play_icon.isNull() and not pause_icon.isNull()
    assert pixels(play_icon) != pixels(pause_icon)
    for button in (bar.rewind, bar.play, bar.stop):
        assert not button.icon().isNull()
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
        assert button.text().isascii() and button.text().replace(" ", "").isalpha()
    bar.set_playing(False)
    assert bar.play.text() == "Play" and pixels(bar.play.icon()) == pixels(play_icon)


def pixels(icon) -> QImage:
    return icon.pixmap(16, 16).toImage()
