"""Without a sound device: Preferences lists PortAudio's devices by name, says plainly when there are none
and looks again on Rescan; the stereo view shows the selected clip's image with nothing playing."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from PySide6.QtWidgets import QDialog

from tests.audio.conftest import SYSTEM_ALSA_CONF, _config

RATE = 32000


def test_preferences_say_there_is_no_device_and_rescan_finds_one(qtbot, window, no_audio_devices, tmp_path,
                                                                  monkeypatch):
    dialog = window.open_preferences()
    qtbot.waitExposed(dialog)
    assert [dialog.output.itemText(i) for i in range(dialog.output.count())] == ["System default"]
    assert dialog.device_note.isVisible() and "No sound output or input device was found" in dialog.device_note.text()
    assert dialog.rescan_button.isVisible()
    config = tmp_path / "plugged-in.asoundrc"  # a device appears, as a headset plugged in would
    config.write_text(_config(tmp_path / "hum.raw", tmp_path / "speaker.raw"))
    (tmp_path / "hum.raw").write_bytes(np.zeros(4800, "<f4").tobytes())
    monkeypatch.setenv("ALSA_CONFIG_PATH", f"{SYSTEM_ALSA_CONF}:{config}")
    dialog.rescan_button.click()
    names = [dialog.output.itemText(i) for i in range(dialog.output.count())]
    assert names[0] == "System default" and "speaker" in names, names  # by the names PortAudio gives them
    assert not dialog.device_note.isVisible()
    dialog.output.setCurrentIndex(names.index("speaker"))
    dialog.accept()
    assert window.prefs.output_device == "speaker"
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_rescan_waits_for_a_recording_to_end(qtbot, window, virtual_alsa, tiny_models):
    window.idea.models.select(str(tiny_models.melody))
    slot = window.idea.melody
    slot.max_record_seconds = 600.0
    slot.record_button.click()
    assert slot.recorder.is_recording
    dialog = window.open_preferences()
    dialog.rescan_button.click()
    assert "Stop the recording first" in dialog.device_note.text() and dialog.device_note.isVisible()
    slot.discard_button.click()
    dialog.reject()


def test_the_stereo_view_shows_the_selected_clips_image_without_playing(qtbot, window, no_audio_devices,
                                                                         tmp_path):
    t = np.arange(2 * RATE) / RATE
    tone = 0.3 * np.sin(2 * np.pi * 220 * t)
    path = tmp_path / "wide.wav"
    sf.write(path, np.stack([tone, -tone], axis=1).astype(np.float32), RATE)  # out of phase: correlation -1
    with qtbot.waitSignal(window.arrangement.imported, timeout=20_000) as placed:
        window.arrangement.import_files([str(path)], None, 0)
    stereo = window.stereo
    assert stereo.still.text() == ""
    window.timeline.view.clip_items[placed.args[0][0]].setSelected(True)
    qtbot.waitUntil(lambda: stereo.correlation < -0.99, timeout=2_000)
    assert not window.arrangement_playback.playing and not window.playback.is_playing  # no device, nothing plays
    assert stereo.still.text() == "Image of wide" and stereo.still.isVisible()
    assert np.abs(stereo._x).max() > 0.3 and np.abs(stereo._y).max() < 1e-3  # all on the side axis: anti-phase
    window.timeline.view.scene().clearSelection()
    qtbot.waitUntil(lambda: stereo.correlation == 0.0, timeout=2_000)
    assert stereo.still.text() == ""
