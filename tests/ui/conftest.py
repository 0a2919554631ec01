"""UI test setup: the real window with the real engine process (tiny model folders), isolated settings,
and the virtual ALSA devices from the audio tests. Qt warnings fail a test.

One engine process serves the whole session (starting one imports torch and audiocraft: seconds), as
the windows' shared engine; each window still talks to it through the same service and protocol the
app uses. tests/e2e starts the app itself, engine and all, as a person does."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.audio.conftest import hum, no_audio_devices, virtual_alsa  # noqa: F401 - fixtures reused here

GENERATE_TIMEOUT_MS = 60_000
ENGINE_START_TIMEOUT_S = 240


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


@pytest.fixture(scope="session")
def engine_service(qapp, tiny_models) -> Iterator:
    """The engine process the session's windows share, started once and ready."""
    from sketchpad.engine_link.client import EngineOptions
    from sketchpad.ui.common.engine_service import EngineService

    service = EngineService(EngineOptions(device="cpu", offline=True))
    service.start()
    deadline = time.monotonic() + ENGINE_START_TIMEOUT_S
    while not service.is_ready:
        assert service.state == "starting", f"the engine did not start: {service.device_text}"
        assert time.monotonic() < deadline, "the engine process did not become ready"
        qapp.processEvents()
        time.sleep(0.02)
    yield service
    service.shutdown()


@pytest.fixture
def window(qtbot, settings: QSettings, engine_service, tiny_models, tmp_path: Path) -> Iterator:

    QApplication.setApplicationName("Sketchpad")
    QApplication.setOrganizationName("Sketchpad")
    engine_service.start()  # again, if a test crashed it on purpose
    # Earlier tests' windows go now, before this one is built: a garbage collection that started inside a
    # window's construction (pyqtgraph makes weakrefs in its constructors) once freed an old wrapper in the
    # middle of the build and crashed the interpreter.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    win = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(win)
    win.show()
    win.start_engine()
    qtbot.waitUntil(lambda: engine_service.is_ready and win.waveform.view is not None,
                    timeout=ENGINE_START_TIMEOUT_S * 1000)
    win.idea.models.select(str(tiny_models.mono))
    yield win
    win.close()


def make_window(settings: QSettings, engine_service, folder: Path):
    from sketchpad.ui.window.main_window import MainWindow

    win = MainWindow(settings, engine=engine_service, untitled=folder / "Untitled.sketch")
    # Never a modal question at teardown (qtbot closes the window first); the prompt's own tests undo this.
    win.files.ask_to_save = lambda: QMessageBox.StandardButton.Discard
    return win


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


def broken_model(folder: Path) -> Path:
    """A folder that looks like a model (both checkpoint names) but holds no checkpoint: loading fails."""
    broken = folder / "broken-model"
    broken.mkdir()
    (broken / "state_dict.bin").write_bytes(b"not a checkpoint")
    (broken / "compression_state_dict.bin").write_bytes(b"not a checkpoint either")
    return broken
