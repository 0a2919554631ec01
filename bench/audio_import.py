"""Import time of a 10-minute 48 kHz stereo file (16-bit WAV and FLAC) onto a 32 kHz timeline, through
the path the timeline's import takes (workflow.importing: the hardened reader, then the sketch's rate),
and as the melody slot reads it (read_audio at its own rate)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from sketchpad.audio.files import read_audio
from sketchpad.workflow.importing import import_clip_media

RATE = 48000
SKETCH_RATE = 32000
SECONDS = 600


def _make(path: Path) -> None:
    rng = np.random.default_rng(0)
    with sf.SoundFile(path, "w", RATE, 2, subtype="PCM_16") as handle:
        for _ in range(SECONDS // 10):  # written in pieces so making the file stays small in memory
            t = np.arange(RATE * 10) / RATE
            tone = 0.3 * np.sin(2 * np.pi * 220 * t)[:, None] + rng.normal(0, 0.01, (RATE * 10, 2))
            handle.write(tone.astype(np.float32))


def _time(path: Path, **options: object) -> float:
    start = time.perf_counter()
    decoded = read_audio(path, **options)
    elapsed = time.perf_counter() - start
    assert decoded.seconds > SECONDS - 1
    return elapsed


def _time_clip(path: Path) -> float:
    start = time.perf_counter()
    media = import_clip_media(path, SKETCH_RATE)
    elapsed = time.perf_counter() - start
    assert media.audio["source"].shape[1] > (SECONDS - 1) * SKETCH_RATE
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "ten_minutes.wav"
        _make(wav)
        seconds = _time_clip(wav)
        print(f"import_seconds: {seconds:.3f}")
        print(f"import_realtime_x: {SECONDS / seconds:.0f}")
        print(f"read_seconds: {_time(wav):.3f}")
        print(f"import_resampled_32k_mono_seconds: {_time(wav, target_rate=32000, channels=1):.3f}", file=sys.stdout)
        flac = Path(folder) / "ten_minutes.flac"
        sf.write(flac, sf.read(wav, dtype="float32")[0], RATE, subtype="PCM_16")
        print(f"import_flac_seconds: {_time_clip(flac):.3f}")


if __name__ == "__main__":
    main()
