"""Tempo, metre and key of a 3-minute recording, as `sketchpad analyze` and an import run it: read the
file at the analysis rate, analyse. Prints `tempo_detect_ms` (median of 5, after one warm-up that pays
librosa's first-call costs) and `tempo_detect_first_ms` (that first run), and what it found."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import soundfile as sf  # noqa: E402

from sketchpad.audio.analysis import ANALYSIS_RATE, analyse  # noqa: E402
from sketchpad.audio.files import read_audio  # noqa: E402
from tests.audio.music import RATE, drums, progression  # noqa: E402

SECONDS = 180


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "three-minutes.flac"
        music = drums(112, seconds=SECONDS)[0] + progression(62, True, seconds=SECONDS)[0]
        sf.write(path, music, RATE)

        def once() -> tuple[float, object]:
            began = time.perf_counter()
            audio = read_audio(path, target_rate=ANALYSIS_RATE, channels=1)
            found = analyse(audio.samples, audio.sample_rate)
            return (time.perf_counter() - began) * 1000, found

        first, found = once()
        times = [once()[0] for _ in range(5)]
    print(f"tempo_detect_first_ms: {first:.0f}")
    print(f"tempo_detect_ms: {statistics.median(times):.0f}")
    print("found: " + ", ".join(found.lines()) + " (made at 112 bpm, 4/4, D minor)")


if __name__ == "__main__":
    main()
