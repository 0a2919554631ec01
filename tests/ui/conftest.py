"""UI test setup: the real window with the real engine (tiny model folders), isolated settings, and the
virtual ALSA devices from the audio tests. Qt warnings fail a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.audio.conftest import hum, no_audio_devices, virtual_alsa  # noqa: F401 - fixtures reused here

GENERATE_TIMEOUT_MS = 60_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(
                "This plugin does not support propagateSizeHints",  # the offscreen platform's own notice
            ))


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings: QSettings, engine, tiny_models, tmp_path: Path) -> Iterator:
    from sketchpad.ui.main_window import MainWindow

    QApplication.setApplicationName("Sketchpad")
    QApplication.setOrganizationName("Sketchpad")
    win = MainWindow(settings, engine_factory=lambda: engine, untitled=tmp_path / "Untitled.sketch")
    # Never a modal question at teardown (qtbot closes the window first); the prompt's own tests undo this.
    win.files.ask_to_save = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.service.ready, timeout=GENERATE_TIMEOUT_MS):
        win.start_engine()
    win.idea.models.select(str(tiny_models.mono))
    yield win
    win.close()


def hum_file(folder: Path, name: str = "hum.wav", rate: int = 44100) -> Path:
    path = folder / name
    sf.write(path, hum(1.5, lead=0.3, tail=0.5, rate=rate), rate, subtype="PCM_16")
    return path


def generate(qtbot, win, *, prompt: str = "warm lofi piano", duration: float = 1.0, variations: int = 1) -> list:
    """Type a prompt, press Ctrl+Return, and return the request's results once they are in the list."""
    from PySide6.QtCore import Qt

    win.idea.prompt.setPlainText("")
    qtbot.keyClicks(win.idea.prompt, prompt)
    win.idea.duration.setValue(duration)
    win.idea.variations.setValue(variations)
    with qtbot.waitSignal(win.generation.takes_ready, timeout=GENERATE_TIMEOUT_MS) as blocker:
        qtbot.keyClick(win.idea.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return blocker.args[1]


def assert_seconds(audio: np.ndarray, rate: int, seconds: float) -> None:
    assert abs(audio.shape[1] / rate - seconds) < 0.05, (audio.shape, rate, seconds)
