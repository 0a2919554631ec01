"""`sketchpad analyze FILE` through the installed console script, as a person types it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import soundfile as sf

from tests.audio.music import RATE, drums, progression

SCRIPT = shutil.which("sketchpad") or str(Path(sys.executable).with_name("sketchpad"))


def _analyze(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCRIPT, "analyze", str(path)], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_analyze_prints_tempo_metre_and_key_one_per_line(tmp_path):
    song = tmp_path / "groove.flac"
    music = drums(97, seconds=24)[0] + progression(57, True, seconds=24)[0]
    sf.write(song, music, RATE)
    done = _analyze(song)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("tempo: ") and lines[0].endswith(" bpm")
    assert abs(float(lines[0].split()[1]) - 97) < 0.97
    assert lines[1:] == ["metre: 4/4", "key: A minor"]


def test_a_damaged_or_missing_file_is_one_line_and_exit_2(tmp_path):
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    for path in (broken, tmp_path / "absent.wav"):
        done = _analyze(path)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.startswith("sketchpad: ") and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
