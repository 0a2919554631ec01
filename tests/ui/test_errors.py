"""Every failure reaches the person: broken model folders, corrupt melody files, no audio device, bugs."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QMessageBox

from sketchpad.ui.common.paths import log_path
from sketchpad.ui.window.errors import ExceptionHook
from tests.ui.conftest import GENERATE_TIMEOUT_MS, broken_model, generate


def test_a_model_folder_that_fails_to_load_is_explained(qtbot, window, tmp_path):
    broken = broken_model(tmp_path)
    window.idea.models.select(str(broken))
    window.idea.prompt.setPlainText("anything")
    window.idea.generate_button.click()
    with qtbot.waitSignal(window.generation.job.error, timeout=GENERATE_TIMEOUT_MS):
        pass
    assert "Generation failed" in window.banner.text and "broken-model" in window.banner.text
    assert window.idea.progress.stage.text() == "Failed"
    assert window.idea.generate_button.isEnabled()
    assert "broken-model" in log_path().read_text()


def test_a_corrupt_melody_file_is_explained(qtbot, window, tmp_path):
    bad = tmp_path / "corrupt.wav"
    bad.write_bytes(b"RIFF\x24\x00\x00\x00WAVEjunk" + bytes(range(200)))  # a WAV header over garbage
    with qtbot.waitSignal(window.idea.melody.import_file(bad).error, timeout=10_000):
        pass
    assert "corrupt.wav" in window.banner.text and "melody could not be imported" in window.banner.text
    assert not window.idea.melody.has_melody


def test_without_audio_devices_playing_and_recording_explain_and_the_rest_works(qtbot, window, no_audio_devices,
                                                                                  tiny_models):
    generate(qtbot, window, duration=1.0)
    window.takes.play_button.click()
    assert "Cannot play" in window.banner.text and "no sound output" in window.banner.text
    window.banner.dismiss()
    window.idea.models.select(str(tiny_models.melody))
    window.idea.melody.record_button.click()
    assert "Recording could not start" in window.banner.text
    assert window.idea.melody.record_button.isEnabled()
    generate(qtbot, window, duration=1.0)  # generating is unaffected


def test_an_unhandled_exception_is_logged_and_shown(qtbot, window):
    hook = ExceptionHook(lambda: window)
    try:
        raise RuntimeError("a bug in a slot")
    except RuntimeError:
        hook(*sys.exc_info())
    assert "a bug in a slot" in log_path().read_text()
    assert "a bug in a slot" in hook.last_message and str(log_path()) in hook.last_message
    box = hook.dialogs[-1]
    assert isinstance(box, QMessageBox) and box.isVisible()
    box.accept()
