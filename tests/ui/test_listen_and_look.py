"""Playing a take, the waveform (click to seek, zoom, keys), a selection becoming a continuation."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from sketchpad.audio.player import PlayerState
from tests.ui.conftest import GENERATE_TIMEOUT_MS, assert_seconds, generate


def test_play_sends_the_take_to_the_output_device(qtbot, window, virtual_alsa):
    generate(qtbot, window, duration=1.0)
    window.takes.play_button.click()
    assert window.playback.player is not None and window.playback.player.state in (
        PlayerState.PLAYING, PlayerState.STOPPED)
    # The virtual device has no clock, so the whole take plays in moments and the playhead follows it.
    qtbot.waitUntil(lambda: window.waveform.view.playhead > 0.5, timeout=10_000)
    window.playback.close()
    played = virtual_alsa.played()
    assert played.shape[1] > 0 and np.abs(played).max() > 0


def test_click_seeks_and_keys_zoom_and_scroll(qtbot, window):
    generate(qtbot, window, duration=2.0)
    view = window.waveform.view
    view.resize(800, 300)
    qtbot.wait(50)
    plot = view.plots[0]
    middle = view.mapFromScene(plot.vb.mapViewToScene(plot.vb.mapToView(plot.vb.boundingRect().center())))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert abs(view.playhead - 1.0) < 0.1
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    start, end = view.visible_range()
    assert end - start < 1.5
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.visible_range()[0] > start
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert view.visible_range() == (0.0, 2.0)


def test_drag_selects_a_region_that_continues_into_a_new_take(qtbot, window):
    generate(qtbot, window, duration=2.0)
    view = window.waveform.view
    view.resize(800, 300)
    qtbot.wait(50)
    box = view.plots[0].vb
    left = view.mapFromScene(box.mapViewToScene(_point(box, 0.5)))
    right = view.mapFromScene(box.mapViewToScene(_point(box, 1.5)))
    _drag(qtbot, view.viewport(), left, right)
    selection = view.selection()
    assert selection is not None and abs(selection[0] - 0.5) < 0.05 and abs(selection[1] - 1.5) < 0.05
    window.idea.duration.setValue(1.0)
    with qtbot.waitSignal(window.generation.takes_ready, timeout=GENERATE_TIMEOUT_MS) as blocker:
        window.waveform.continue_button.click()
    result = blocker.args[1][0]
    assert result.params["continuation"]["frames"] == int(selection[1] * 32000) - int(selection[0] * 32000)
    continued = selection[1] - selection[0]
    assert_seconds(result.audio, result.sample_rate, continued + 1.0)
    assert "continuation" in window.takes.list.currentItem().text()


def _point(box, seconds: float):
    from PySide6.QtCore import QPointF

    return QPointF(seconds, 0.0)


def _drag(qtbot, widget, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(widget, start + (end - start) * step / 5)
        qtbot.wait(10)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)
