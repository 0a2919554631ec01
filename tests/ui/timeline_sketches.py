"""Sketches and a document for the timeline, transport, meter and export tests (no engine needed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from sketchpad.sketch import Clip, ClipMedia, Sketch, Track
from sketchpad.ui.files.document import SketchDocument
from tests.sketch.conftest import RATE, noise


def tone(frames: int, channels: int = 1, freq: float = 220.0, level: float = 0.5) -> np.ndarray:
    t = np.arange(frames) / RATE
    wave = (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.repeat(wave[None, :], channels, axis=0)


def media(frames: int, channels: int = 2, seed: int = 0) -> ClipMedia:
    return ClipMedia(RATE, {"source": noise(channels, frames, seed, level=0.4)}, origin="imported")


def two_track_sketch(tempo: float | None = None) -> Sketch:
    """Track A: clips at 0 s (1 s long) and 2 s (1 s); track B: one clip at 0.5 s (1.5 s)."""
    a = Track(name="A")
    a.clips += [Clip(media(RATE, seed=1), start=0, name="a1"), Clip(media(RATE, seed=2), start=2 * RATE, name="a2")]
    b = Track(name="B")
    b.clips.append(Clip(media(RATE * 3 // 2, channels=1, seed=3), start=RATE // 2, name="b1"))
    return Sketch(sample_rate=RATE, title="Two tracks", tempo=tempo, tracks=[a, b])


def big_sketch(tracks: int = 16, clips: int = 200, seed: int = 0) -> Sketch:
    """`clips` clips of 1 to 4 s spread over `tracks` tracks, each with its own media."""
    rng = np.random.default_rng(seed)
    sketch = Sketch(sample_rate=RATE, title="Big", tracks=[Track(name=f"T{i + 1}") for i in range(tracks)])
    ends = [0] * tracks
    for index in range(clips):
        row = index % tracks
        frames = int(rng.uniform(1, 4) * RATE)
        audio = rng.uniform(-0.5, 0.5, (2, frames)).astype(np.float32)
        start = ends[row] + int(rng.uniform(0, 1) * RATE)
        clip = Clip(ClipMedia(RATE, {"source": audio}), start=start, name=f"clip {index}")
        sketch.tracks[row].clips.append(clip)
        ends[row] = clip.end
    return sketch


def document_with(sketch: Sketch) -> SketchDocument:
    document = SketchDocument()
    document.sketch = sketch
    return document


@contextmanager
def shown_timeline(qtbot, sketch: Sketch, width: int, height: int) -> Iterator:
    """A Timeline on `sketch` in its own document, shown at this size, let go of the sketch afterwards."""
    from sketchpad.ui.arrangement.timeline import Timeline

    widget = Timeline(document_with(sketch))
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    try:
        yield widget
    finally:
        widget.detach()
