"""The window fits the screens people have: 1600×1000, 1280×720 and 1024×768. Nothing lies outside it,
Generate, Cancel and the progress are always in view, no message widens it, and the wheel over the
idea panel scrolls the panel instead of changing a value. Offscreen always; on a real X server too
where Xvfb is installed (it is in CI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from sketchpad.ui.common.jobs import Progress
from tests.ui.fit_checks import wholly_visible, widgets_outside

SCREENS = [(1600, 1000), (1280, 720), (1024, 768)]
ROOT = Path(__file__).resolve().parents[2]


def _settle(qtbot, window, size: tuple[int, int]) -> None:
    window.resize(*size)
    qtbot.wait(50)  # layouts, splitters and elided labels settle


@pytest.mark.parametrize("size", SCREENS, ids=lambda size: f"{size[0]}x{size[1]}")
def test_every_part_is_inside_the_window_and_generate_is_in_view(qtbot, window, size, tmp_path):
    _settle(qtbot, window, size)
    shot = tmp_path / f"window-{size[0]}x{size[1]}.png"
    assert window.grab().save(str(shot))
    assert window.size() == QSize(*size), f"the window's minimum is wider or taller than the screen ({shot})"
    assert widgets_outside(window) == [], shot
    for must_see in (window.idea.generate_button, window.idea.cancel_button, window.idea.progress):
        assert wholly_visible(must_see), (must_see, shot)
    scroll = window.idea.scroll  # the settings scroll down, never sideways: nothing cut off on the right
    assert scroll.widget().width() <= scroll.viewport().width()
    for field in (window.idea.prompt, window.idea.models, window.idea.duration, window.idea.history):
        right = field.mapTo(scroll.viewport(), field.rect().topRight()).x()
        assert right < scroll.viewport().width(), field
    # Usable, not just present: every panel keeps room to work in.
    assert window.idea.prompt.width() >= 250 and window.idea.models.width() >= 150
    assert window.waveform.width() >= 300 and window.takes.list.width() >= 200
    assert window.timeline.width() >= 500 and window.timeline.height() >= 200
    assert window.decoder_switch.buttons["mbd"].isVisible() and window.transport.play.isVisible()


def test_the_window_opens_within_the_screen(window):
    area = window.screen().availableGeometry()  # the offscreen screen is 800×800: smaller than the preferred size
    assert area.contains(window.frameGeometry()), (area, window.frameGeometry())
    assert window.width() < 1360


def test_no_message_widens_the_window(qtbot, window, tiny_models, tmp_path):
    _settle(qtbot, window, (1024, 768))
    path = "/" + "/".join(["a-very-long-folder-name-without-spaces"] * 8) + "/state_dict.bin"
    failure = f"MultiBand Diffusion could not decode this clip: {path} could not be read (the disk is full) " * 3
    window.show_problem(f"Generation failed: {path} is not a model folder")
    window.decoder_switch.set_note(failure)
    window.idea.progress.update_progress(Progress(failure))
    window.statusBar().model.setText(f"Model: {path}")
    window.idea.set_history(["an idea " * 60])
    long_folder = tmp_path / ("model-" + "x" * 150)
    shutil.copytree(tiny_models.mono, long_folder)
    window.idea.models.select(str(long_folder))
    qtbot.wait(50)
    assert window.width() == 1024 and window.minimumSizeHint().width() <= 1024
    assert widgets_outside(window) == []
    note = window.decoder_switch.note
    assert note.elided and failure.strip() in note.toolTip()  # the whole message is one hover away
    assert window.banner.label.height() > 2 * window.banner.label.fontMetrics().height()  # the path wrapped
    assert wholly_visible(window.idea.generate_button)


def _wheel(widget, steps: int) -> None:
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_idea_panel_and_changes_a_value_only_when_focused(qtbot, window):
    _settle(qtbot, window, (1280, 720))
    window.idea.advanced_toggle.setChecked(True)  # more settings than fit: the panel scrolls
    qtbot.wait(50)
    bar = window.idea.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(0)
    window.idea.prompt.setFocus()
    duration = window.idea.duration
    duration.setValue(10.0)
    _wheel(duration, -3)
    assert duration.value() == 10.0
    assert bar.value() > 0  # the panel scrolled instead
    for field in (window.idea.variations, window.idea.top_k, window.idea.models, window.idea.history):
        before = field.value() if hasattr(field, "value") else field.currentIndex()
        _wheel(field, -1)
        assert (field.value() if hasattr(field, "value") else field.currentIndex()) == before, field
    duration.setFocus()
    qtbot.waitUntil(duration.hasFocus)
    _wheel(duration, -3)
    assert duration.value() == 7.0  # focused, it takes the wheel as before


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="Xvfb is not installed (it is in CI)")
@pytest.mark.parametrize("size", SCREENS, ids=lambda size: f"{size[0]}x{size[1]}")
def test_a_real_x_window_fits_the_screen(size, tmp_path):
    width, height = size
    shot = tmp_path / f"xvfb-{width}x{height}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    run = subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {width}x{height}x24", sys.executable, "-m",
                          "tests.ui.xvfb_fit", str(tmp_path / "settings.ini"), str(shot)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["opened_within"], report
    assert report["size"] == [width, height], report
    assert report["outside"] == [], report
    assert report["generate_visible"] and report["progress_visible"], report
