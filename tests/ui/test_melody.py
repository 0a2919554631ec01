"""The melody slot: offered only for melody models, import (dialog path and drop), record, trim, use."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import GENERATE_TIMEOUT_MS, assert_seconds, generate, hum_file


def test_the_slot_explains_itself_for_a_model_without_melody(window):
    window.idea.models.select("facebook/musicgen-small")
    assert not window.idea.melody.controls.isEnabled()
    assert "does not take a melody" in window.idea.melody.why.text()
    window.idea.models.select("facebook/musicgen-melody")
    assert window.idea.melody.controls.isEnabled() and not window.idea.melody.why.isVisible()


def test_imported_melody_conditions_a_melody_model(qtbot, window, tiny_models, tmp_path):
    window.idea.models.select(str(tiny_models.melody))
    with qtbot.waitSignal(window.idea.melody.import_file(hum_file(tmp_path)).result, timeout=10_000):
        pass
    slot = window.idea.melody
    assert slot.has_melody and slot.sample_rate == 44100
    assert "uses" in slot.status.text()  # what the model will hear, after trimming silence
    results = generate(qtbot, window, prompt="bright strings", duration=1.0)
    assert results[0].params["melody"] is not None
    assert "melody" in window.takes.list.currentItem().text()
    # Once loaded, the folder's abilities are known and shown in the picker.
    assert window.idea.models.abilities(str(tiny_models.melody.resolve())) == (True, False)
    assert "melody" in window.idea.models.currentText()


def test_trim_handles_choose_the_part_used(qtbot, window, tmp_path):
    slot = window.idea.melody
    with qtbot.waitSignal(slot.import_file(hum_file(tmp_path)).result, timeout=10_000):
        pass
    slot.wave.set_selection(0.5, 1.0)
    samples, rate = slot.trimmed()
    assert abs(samples.shape[1] / rate - 0.5) < 0.01


def test_a_file_dropped_anywhere_on_the_window_becomes_the_melody(qtbot, window, tiny_models, tmp_path):
    window.idea.models.select(str(tiny_models.melody))
    path = hum_file(tmp_path, "dropped.wav", rate=22050)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    # One target that is no drop site itself, and one (the prompt) that would otherwise paste the path.
    for target in (window.takes.list.viewport(), window.idea.prompt.viewport()):
        window.idea.melody.clear()
        _drop(target, data)
        qtbot.waitUntil(lambda: window.idea.melody.has_melody, timeout=10_000)
        assert window.idea.melody.source_name == "dropped.wav"
    assert window.idea.prompt.toPlainText() == ""


def _drop(target, data: QMimeData) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide marks the QPoint overload deprecated
        enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)  # Qt delivers a drop only to the widget that accepted the enter
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)


def test_a_recorded_take_becomes_the_melody(qtbot, window, tiny_models, virtual_alsa):
    window.idea.models.select(str(tiny_models.melody))
    slot = window.idea.melody
    slot.max_record_seconds = 3.0  # the virtual device is unclocked: the take ends at its maximum length
    slot.record_button.click()
    assert not slot.record_button.isEnabled()
    qtbot.waitUntil(lambda: slot.has_melody, timeout=15_000)
    assert_seconds(slot.samples, slot.sample_rate, 3.0)
    assert slot.record_button.isEnabled() and "uses" in slot.status.text()
    results = generate(qtbot, window, duration=1.0)
    assert results[0].params["melody"] is not None


def test_a_selection_of_a_take_can_become_the_melody(qtbot, window, tiny_models):
    window.idea.models.select(str(tiny_models.melody))
    generate(qtbot, window, duration=2.0)
    window.waveform.view.set_selection(0.25, 1.25)
    assert window.waveform.melody_button.isEnabled()
    window.waveform.melody_button.click()
    slot = window.idea.melody
    assert slot.has_melody and abs(slot.samples.shape[1] / slot.sample_rate - 1.0) < 0.01
    with qtbot.waitSignal(window.generation.takes_ready, timeout=GENERATE_TIMEOUT_MS):
        window.idea.generate_button.click()


_KILLED_MID_TAKE = """
import os, signal, sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from sketchpad.ui.generate.recording import TakeRecorder
app = QCoreApplication([])
recorder = TakeRecorder(Path(sys.argv[1]))
recorder.start(None, max_seconds=100.0)
while recorder.recorder.frames_on_disk < 48000:
    time.sleep(0.001)
print(recorder.recorder.path, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_take_cut_short_by_a_crash_is_offered_back_at_the_next_start(qtbot, window, virtual_alsa, tmp_path):
    from sketchpad.workflow import recordings

    folder = window.idea.melody.recorder.folder
    child = subprocess.run([sys.executable, "-c", _KILLED_MID_TAKE, str(folder)], capture_output=True, text=True,
                           timeout=60, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert child.returncode == -signal.SIGKILL, child.stderr
    take = Path(child.stdout.split()[0])
    assert recordings.interrupted(folder) == [take]
    questions: list[str] = []
    job = window.idea.melody.offer_interrupted(lambda question: questions.append(question) or True)
    with qtbot.waitSignal(job.result, timeout=10_000):
        pass
    slot = window.idea.melody
    assert take.name in questions[0] and slot.has_melody and slot.source_name == "Recovered take"
    assert slot.samples.shape[1] / slot.sample_rate >= 1.0 - 1e-6
    assert recordings.interrupted(folder) == [] and take.exists()  # offered once; the file stays a while
    assert window.idea.melody.offer_interrupted(lambda question: pytest.fail(question)) is None


def test_the_melody_is_capped_at_the_model_s_window_as_the_engine_reports_it(qtbot, window, tiny_models, tmp_path):
    """The slot says what the engine will take: the duration asked for, at most the model's window, which
    for a folder is known once the engine has loaded it (this one's is 4 s)."""
    import soundfile as sf

    from tests.audio.conftest import hum

    slot, idea = window.idea.melody, window.idea
    idea.models.select(str(tiny_models.short_window))
    idea.duration.setValue(10.0)
    path = tmp_path / "long-hum.wav"
    sf.write(path, hum(7.0, lead=0.2, tail=0.2, rate=44100), 44100, subtype="PCM_16")
    with qtbot.waitSignal(slot.import_file(path).result, timeout=10_000):
        pass
    assert "uses 7.1 s" in slot.status.text() and "capped" not in slot.status.text()  # window not known yet
    with qtbot.waitSignal(window.service.model_loaded, timeout=GENERATE_TIMEOUT_MS):
        window.service.load(str(tiny_models.short_window.resolve()))
    assert idea.models.window_seconds() == 4.0
    assert "uses 4.0 s" in slot.status.text() and "(capped)" in slot.status.text()
    idea.duration.setValue(3.0)
    assert "uses 3.0 s" in slot.status.text()
    idea.models.select("facebook/musicgen-melody")  # a catalog model: its window is the catalog's
    idea.duration.setValue(60.0)
    assert "uses 7.1 s" in slot.status.text() and idea.models.window_seconds() == 30.0
