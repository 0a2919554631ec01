"""The recorded-takes folder: interrupted takes are found, old unused ones go after the grace period."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sketchpad.workflow import recordings


def _take(folder: Path, name: str, *, age_days: float = 0.0, marked: bool = False) -> Path:
    path = folder / f"melody-{name}.wav"
    path.write_bytes(b"RIFF....WAVE")
    when = time.time() - age_days * 86400
    os.utime(path, (when, when))
    if marked:
        recordings.begin(path)
    return path


def test_a_marked_take_is_interrupted_until_it_ends(tmp_path: Path) -> None:
    older = _take(tmp_path, "1", age_days=1, marked=True)
    newer = _take(tmp_path, "2", marked=True)
    _take(tmp_path, "3")
    assert recordings.interrupted(tmp_path) == [newer, older]
    recordings.end(newer)
    assert recordings.interrupted(tmp_path) == [older]
    recordings.begin(tmp_path / "melody-never-written.wav")  # the app died before the file existed
    assert recordings.interrupted(tmp_path) == [older]
    assert not recordings.marker(tmp_path / "melody-never-written.wav").exists()


def test_old_takes_nobody_uses_are_swept_after_the_grace_period(tmp_path: Path) -> None:
    fresh = _take(tmp_path, "fresh", age_days=1)
    stale = _take(tmp_path, "stale", age_days=30)
    kept = _take(tmp_path, "kept", age_days=30)
    cut_short = _take(tmp_path, "cut", age_days=30, marked=True)
    other = tmp_path / "notes.txt"
    other.write_text("not a take")
    os.utime(other, (0, 0))
    assert recordings.sweep(tmp_path, keep={kept}) == [stale]
    assert {path.name for path in tmp_path.iterdir()} == {fresh.name, kept.name, cut_short.name,
                                                          recordings.marker(cut_short).name, other.name}
