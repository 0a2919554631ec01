"""`sketchpad split FILE --out DIR` through the installed console script, offline, with the tiny
htdemucs in the tests' torch hub cache."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

SCRIPT = shutil.which("sketchpad") or str(Path(sys.executable).with_name("sketchpad"))


def _split(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCRIPT, "split", *args], capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def test_split_writes_four_stems_of_the_files_length_and_rate_that_add_up(tiny_models, tmp_path):
    rate, frames = 44100, 44100 * 3 + 17
    t = np.arange(frames) / rate
    music = np.stack([0.4 * np.sin(2 * np.pi * 110 * t), 0.3 * np.sin(2 * np.pi * 330 * t)]).astype(np.float32)
    source = tmp_path / "song.wav"
    sf.write(source, music.T, rate, subtype="FLOAT")
    done = _split(str(source), "--out", str(tmp_path / "stems"), "--offline")
    assert done.returncode == 0, done.stderr
    total = np.zeros_like(music)
    for name in ("drums", "bass", "other", "vocals"):
        stem, stem_rate = sf.read(tmp_path / "stems" / f"{name}.wav", dtype="float32", always_2d=True)
        assert stem_rate == rate and stem.shape == (frames, 2)
        total += stem.T
    assert np.abs(total - music).max() < 1e-5


def test_split_says_what_is_wrong_in_one_line(tiny_models, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    silence = tmp_path / "quiet.wav"
    sf.write(silence, np.zeros(4410, np.float32), 44100)
    for args in (["missing.wav", "--out", str(tmp_path / "o")], [str(silence), "--out", str(tmp_path / "taken")]):
        done = _split(*args)
        assert done.returncode == 2 and done.stderr.startswith("sketchpad: ") and done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr
