"""Takes onto the window's timeline (button and drag, undoable), preferences that persist, a quick start."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from dataclasses import replace

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from sketchpad.ui.common.preferences import HUB_VARIABLES, Preferences, hub_environment, load_preferences
from tests.ui.conftest import generate


def test_add_to_timeline_places_audio_tokens_and_provenance_and_undoes(qtbot, window, tiny_models):
    result = generate(qtbot, window, duration=1.0)[0]
    window.takes.add_button.click()
    sketch = window.document.sketch
    assert len(sketch.tracks) == 1
    clip = sketch.tracks[0].clips[0]
    assert clip.media.origin == "generated" and clip.media.model == str(tiny_models.mono.resolve())
    assert (clip.media.tokens == result.tokens).all() and clip.length == result.audio.shape[1]
    assert clip.media.params["seed"] == result.params["seed"]
    window.takes.add_button.click()
    assert [c.start for c in sketch.tracks[0].clips] == [0, result.audio.shape[1]]  # one after the other
    assert len(window.timeline.view.clip_items) == 2
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    assert sketch.tracks == []
    window.actions["redo"].trigger()
    assert len(sketch.tracks[0].clips) == 1


def test_a_take_added_to_the_timeline_plays_the_decoder_the_preferences_choose(qtbot, window, tiny_models):
    window.apply_preferences(replace(window.prefs, default_decoder="mbd", mbd_folder=str(tiny_models.mbd)))
    generate(qtbot, window, duration=0.5)
    window.takes.add_button.click()  # the clip lands, then its MultiBand Diffusion audio after a decode
    assert window.document.sketch.tracks[0].clips[0].decoder == "encodec"
    qtbot.waitUntil(lambda: window.document.sketch.tracks[0].clips[0].decoder == "mbd", timeout=60_000)


def test_dragging_a_take_onto_the_timeline_adds_it(qtbot, window):
    generate(qtbot, window, duration=1.0, variations=2)
    items = [window.takes.list.item(row) for row in (1, 2)]
    data = window.takes.list.mimeData(items)
    target = window.timeline.view.viewport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, data,
                                              Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert len(window.document.sketch.tracks[0].clips) == 2


def test_preferences_persist_in_qsettings(window, settings):
    chosen = replace(Preferences(), compute_device="cpu", input_device="hum", output_device="speaker",
                     model_folder="/models", default_model="facebook/musicgen-melody", offline=True)
    window.apply_preferences(chosen)
    assert load_preferences(settings) == chosen
    assert window.playback.output_device == "speaker" and window.idea.melody.input_device == "hum"


def test_preferences_dialog_round_trips(qtbot, window):
    dialog = window.open_preferences()
    qtbot.waitExposed(dialog)
    dialog.offline.setChecked(True)
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    assert "Fast: about 96% of tokens" in dialog.precision_note.text()  # auto: both are described
    dialog.precision.setCurrentIndex(dialog.precision.findData("fast"))
    assert dialog.precision_note.text().startswith("Fast: about") and "Exact" not in dialog.precision_note.text()
    dialog.precision.setCurrentIndex(dialog.precision.findData("exact"))
    assert "audiocraft's take, token for token" in dialog.precision_note.text()
    dialog.accept()
    assert window.prefs.offline and window.prefs.compute_device == "cpu" and window.prefs.precision == "exact"


def test_the_window_opens_without_importing_torch():
    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
            "from PySide6.QtCore import QSettings; from sketchpad.ui.window.main_window import MainWindow; "
            "w = MainWindow(QSettings('/tmp/sketchpad-test-startup.ini', QSettings.Format.IniFormat)); w.show(); "
            "app.processEvents(); print('torch' in sys.modules, 'audiocraft' in sys.modules); w.close()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.split()[:2] == ["False", "False"], out.stderr


def test_offline_mode_and_the_cache_folder_turn_off_again_without_a_restart(monkeypatch, tmp_path):
    # conftest puts every test offline: here, as on a person's machine, nothing is set at launch
    for name in HUB_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    launched = hub_environment()
    chosen = replace(Preferences(), offline=True, cache_folder=str(tmp_path / "hf"))
    chosen.apply_environment(launched)
    assert hub_environment() == {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    replace(chosen, offline=False, cache_folder="").apply_environment(launched)
    assert hub_environment() == {name: None for name in HUB_VARIABLES}  # the next engine inherits none of them
    chosen.apply_environment(launched)
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_offline_mode_set_in_the_shell_stays_when_the_preference_is_off(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", "/somewhere/hf")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    launched = hub_environment()
    replace(Preferences(), offline=True, cache_folder="/elsewhere").apply_environment(launched)
    Preferences().apply_environment(launched)
    assert hub_environment() == launched
