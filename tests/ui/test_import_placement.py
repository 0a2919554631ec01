"""File > Import Audio (Ctrl+I) never lands on top of another clip: at the playhead where that is free,
else in the first free place after it that is long enough, on the selected clip's track."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from PySide6.QtWidgets import QFileDialog

RATE = 32000


def _tone(folder, name: str, seconds: float):
    path = folder / name
    sf.write(path, (np.sin(np.arange(int(seconds * RATE)) * 0.05) * 0.2).astype(np.float32), RATE)
    return path


def _import_with_ctrl_i(qtbot, window, monkeypatch, path) -> list[str]:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_a, **_k: ([str(path)], "")))
    with qtbot.waitSignal(window.arrangement.imported, timeout=20_000) as placed:
        window.actions["import_audio"].trigger()
    return placed.args[0]


def _overlaps(track) -> list[tuple[str, str]]:
    clips = sorted(track.clips, key=lambda clip: clip.start)
    return [(a.name, b.name) for a, b in zip(clips, clips[1:], strict=False) if b.start < a.end]


def test_import_audio_lands_in_the_first_free_place_never_on_a_clip(qtbot, window, tmp_path, monkeypatch):
    sketch = window.document.sketch
    with qtbot.waitSignal(window.arrangement.imported, timeout=20_000):
        window.arrangement.import_files([str(_tone(tmp_path, "a.wav", 2.0))], None, 0)
    track = sketch.tracks[0]
    with qtbot.waitSignal(window.arrangement.imported, timeout=20_000):
        window.arrangement.import_files([str(_tone(tmp_path, "b.wav", 2.0))], track.id, 3 * RATE)
    window.timeline.set_playhead(int(0.5 * RATE))  # over clip a
    [long] = _import_with_ctrl_i(qtbot, window, monkeypatch, _tone(tmp_path, "long.wav", 1.5))
    assert sketch.find_clip(long)[0] is track and sketch.clip(long).start == 5 * RATE  # the 1 s gap is too short
    [short] = _import_with_ctrl_i(qtbot, window, monkeypatch, _tone(tmp_path, "short.wav", 0.8))
    assert sketch.clip(short).start == 2 * RATE  # the gap after a, which it fits
    window.timeline.set_playhead(int(9 * RATE))  # nothing there: at the playhead, as before
    [free] = _import_with_ctrl_i(qtbot, window, monkeypatch, _tone(tmp_path, "free.wav", 1.0))
    assert sketch.clip(free).start == 9 * RATE
    assert _overlaps(track) == [] and len(sketch.tracks) == 1
