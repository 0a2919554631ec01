"""End to end on the real window and the real (tiny) engine: a two-track sketch from a generated take and
an imported file, moved and trimmed with the mouse, panned, exported, switched to MBD, undone to empty,
redone, saved and reopened."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import soundfile as sf
from PySide6.QtCore import QPoint

from sketchpad.sketch import AUDIO_TOLERANCE, mixdown
from tests.sketch.conftest import state
from tests.ui.conftest import GENERATE_TIMEOUT_MS, generate, hum_file
from tests.ui.test_timeline import clip_named, drag, point

EDGE_Y = 40


def export(qtbot, window, target: Path) -> np.ndarray:
    """Export the whole mix as 32-bit float WAV through the dialog; the file's samples [channels, frames]."""
    dialog = window.open_export()
    dialog.open_folder = lambda _folder: None
    dialog.format.setCurrentIndex(dialog.format.findData("wav32f"))
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()
    dialog.reject()
    data, rate = sf.read(target.with_suffix(".wav"), dtype="float32", always_2d=True)
    assert rate == window.document.sketch.sample_rate
    return data.T


def import_file(qtbot, window, path: Path, track_id, frame: int) -> list[str]:
    with qtbot.waitSignal(window.arrangement.imported, timeout=30_000) as blocker:
        window.arrangement.import_files([str(path)], track_id, frame)
    return blocker.args[0]


def test_two_tracks_edited_panned_exported_decoded_undone_saved_and_reopened(qtbot, window, tiny_models, tmp_path):
    sketch = window.document.sketch
    timeline = window.timeline
    rate = sketch.sample_rate
    generate(qtbot, window, prompt="bright marimba", duration=2.0)
    window.takes.add_button.click()
    import_file(qtbot, window, hum_file(tmp_path), None, rate // 2)  # below the last track: a new one
    assert [len(track.clips) for track in sketch.tracks] == [1, 1]
    generated, imported = sketch.tracks[0].clips[0], sketch.tracks[1].clips[0]
    assert generated.media.origin == "generated" and imported.media.source_file == "hum.wav"
    assert imported.start == rate // 2

    # Move the imported clip right and trim the generated clip's end, with the mouse.
    timeline.resize(1100, 400)
    timeline.zoom_to_fit()
    step = round(0.25 * rate * timeline.view.pixels_per_frame)
    middle = imported.start + imported.length // 2
    drag(qtbot, timeline, point(timeline, middle, 1), point(timeline, middle, 1) + QPoint(step, 0))
    moved = sketch.tracks[1].clips[0]
    assert moved.start > imported.start + 0.15 * rate
    edge = point(timeline, generated.end, 0, EDGE_Y) - QPoint(2, 0)
    drag(qtbot, timeline, edge, edge - QPoint(step, 0))
    trimmed = clip_named(timeline, generated.name)
    assert trimmed.length < generated.length - 0.15 * rate and trimmed.start == generated.start

    # Pan the imported track hard left from its header (heard live: straight into the player's mix) ...
    pan_track(window, sketch.tracks[1].id, -100)
    assert window.playback.player._tracks[sketch.tracks[1].id].pan == -1.0
    # ... and hear only it: the exported mix has nothing on the right.
    mute_track(window, sketch.tracks[0].id, True)
    alone = export(qtbot, window, tmp_path / "hum-left.wav")
    assert np.abs(alone[1]).max() < 1e-6 and np.sqrt(np.mean(alone[0] ** 2)) > 1e-3

    # The generated track alone, with EnCodec, then with MultiBand Diffusion (the tiny one, via the preferences).
    mute_track(window, sketch.tracks[0].id, False)
    mute_track(window, sketch.tracks[1].id, True)
    with_encodec = export(qtbot, window, tmp_path / "encodec.wav")
    window.apply_preferences(replace(window.prefs, mbd_folder=str(tiny_models.mbd)))
    timeline.select_clips([trimmed.id])
    with qtbot.waitSignal(window.decoders.switched, timeout=GENERATE_TIMEOUT_MS):
        window.decoder_switch.buttons["mbd"].click()
    switched = sketch.clip(trimmed.id)
    assert switched.decoder == "mbd" and "mbd" in switched.media.audio
    assert window.decoder_switch.buttons["mbd"].isChecked()
    with_mbd = export(qtbot, window, tmp_path / "mbd.wav")
    assert with_mbd.shape == with_encodec.shape and not np.allclose(with_mbd, with_encodec, atol=1e-3)
    np.testing.assert_allclose(with_mbd, mixdown(sketch, 0, sketch.length), atol=1e-6)
    window.decoders.toggle_action.trigger()  # A/B: back to EnCodec at once, from the stored audio
    assert sketch.clip(trimmed.id).decoder == "encodec"

    # Undo everything back to an empty sketch, then redo it all.
    finished = state(sketch)
    stack = window.document.undo_stack
    while stack.canUndo():
        window.actions["undo"].trigger()
    assert sketch.tracks == [] and timeline.view.clip_items == {}
    while stack.canRedo():
        window.actions["redo"].trigger()
    assert state(sketch) == finished

    # Save, start afresh, reopen, and find the same sketch (audio within the bundle's tolerance).
    target = tmp_path / "song.sketch"
    with qtbot.waitSignal(window.files.saved, timeout=30_000):
        window.files.save_to(target)
    assert window.windowTitle() == "song — Sketchpad"
    mix = mixdown(sketch, 0, sketch.length)
    window.files.new()
    assert window.document.sketch.tracks == [] and window.windowTitle() == "Untitled — Sketchpad"
    with qtbot.waitSignal(window.files.opened, timeout=30_000):
        window.files.open_path(target)
    reopened = window.document.sketch
    assert state(reopened) == finished
    np.testing.assert_allclose(mixdown(reopened, 0, reopened.length), mix, atol=4 * AUDIO_TOLERANCE)
    assert len(timeline.view.clip_items) == 2 and window.windowTitle() == "song — Sketchpad"


def pan_track(window, track_id: str, value: int) -> None:
    window.timeline.headers.headers[track_id].pan.setValue(value)


def mute_track(window, track_id: str, on: bool) -> None:
    window.timeline.headers.headers[track_id].mute.setChecked(on)
