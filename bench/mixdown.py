"""Render a 10-minute, 16-track sketch of stereo clips and print how fast and how lean it was.

    uv run python bench/mixdown.py [--minutes 10] [--tracks 16] [--repeat 3]

Prints `mixdown_realtime_x` (seconds of audio per second of wall time, best of --repeat),
`mixdown_peak_mb` (peak traced allocation during one render, measured with tracemalloc) next to
`mixdown_output_mb` (the size of the result), and the same peak for a sketch with four times as
many, shorter clips, to show memory follows the output rather than clips x length.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from sketchpad.sketch import Clip, ClipMedia, Sketch, Track, mixdown

RATE = 32000


def build(minutes: float, tracks: int, clip_seconds: float, seed: int = 1) -> Sketch:
    rng = np.random.default_rng(seed)
    total = int(minutes * 60 * RATE)
    sketch = Sketch(sample_rate=RATE, title="bench")
    for t in range(tracks):
        media_frames = int(clip_seconds * RATE) + RATE
        media = ClipMedia(
            RATE,
            {"encodec": rng.standard_normal((2, media_frames), dtype=np.float32) * 0.05},
            origin="generated",
            tokens=np.zeros((8, 50), dtype=np.int64),
            model="bench",
        )
        track = Track(name=f"track {t}", gain_db=-3.0, pan=float(rng.uniform(-1, 1)))
        start = int(rng.integers(0, RATE))
        while start < total:
            trim_in = int(rng.integers(0, RATE // 2))
            clip = Clip(
                media,
                start=start,
                trim_in=trim_in,
                trim_out=int(rng.integers(0, RATE // 2)),
                gain_db=float(rng.uniform(-6, 0)),
                fade_in=2000,
                fade_out=4000,
            )
            track.clips.append(clip)
            start = clip.end - int(rng.integers(0, RATE // 4))  # slight overlaps, like crossfades
        sketch.tracks.append(track)
    return sketch


def peak_mb(sketch: Sketch, end: int) -> float:
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    mixdown(sketch, 0, end)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--tracks", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sketch = build(args.minutes, args.tracks, clip_seconds=20.0)
    end = int(args.minutes * 60 * RATE)
    clips = sum(len(t.clips) for t in sketch.tracks)
    best = float("inf")
    for _ in range(args.repeat):
        began = time.perf_counter()
        mix = mixdown(sketch, 0, end)
        best = min(best, time.perf_counter() - began)
    many = build(args.minutes, args.tracks, clip_seconds=5.0, seed=2)
    many_clips = sum(len(t.clips) for t in many.tracks)

    print(f"mixdown_audio_seconds: {end / RATE:.0f}")
    print(f"mixdown_tracks: {args.tracks}")
    print(f"mixdown_clips: {clips}")
    print(f"mixdown_wall_seconds: {best:.3f}")
    print(f"mixdown_realtime_x: {end / RATE / best:.0f}")
    print(f"mixdown_output_mb: {mix.nbytes / 2**20:.1f}")
    print(f"mixdown_peak_mb: {peak_mb(sketch, end):.1f}")
    print(f"mixdown_peak_mb_{many_clips}_clips: {peak_mb(many, end):.1f}")


if __name__ == "__main__":
    main()
