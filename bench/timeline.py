"""Open a 16-track, 200-clip sketch in the timeline, then zoom and scroll it; print how long that took.

    QT_QPA_PLATFORM=offscreen uv run python bench/timeline.py [--tracks 16] [--clips 200] [--steps 40]

Prints `timeline_open_ms` (building the widget over the document to its first paint, peaks of every
clip included), `timeline_step_ms` and `timeline_step_worst_ms` (the median and the worst of zoom in/out,
zoom-to-fit and scroll steps, each timed to the end of the synchronous repaint of the clip area and
ruler: what the person sees after their wheel click or key), and `timeline_settle_ms` and
`timeline_settle_worst_ms` (each step timed further, until every block in view shows its waveform at
the new zoom: a paint draws new block images within a budget and leaves the rest to the next paint,
which the view asks for at once). Every clip has its own media (1 to 4 s of stereo noise), so no peak
is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

RATE = 32000


def build(tracks: int, clips: int, seed: int = 0):
    from sketchpad.sketch import Clip, ClipMedia, Sketch, Track

    rng = np.random.default_rng(seed)
    rows = [Track(name=f"T{i + 1}") for i in range(tracks)]
    sketch = Sketch(sample_rate=RATE, title="bench", tempo=112.0, tracks=rows)
    ends = [0] * tracks
    for index in range(clips):
        row = index % tracks
        audio = rng.uniform(-0.5, 0.5, (2, int(rng.uniform(1, 4) * RATE))).astype(np.float32)
        clip = Clip(ClipMedia(RATE, {"source": audio}), start=ends[row] + int(rng.uniform(0, 1) * RATE),
                    fade_in=RATE // 20, name=f"clip {index}")
        sketch.tracks[row].clips.append(clip)
        ends[row] = clip.end
    return sketch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=16)
    parser.add_argument("--clips", type=int, default=200)
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from sketchpad.ui.arrangement.timeline import Timeline
    from sketchpad.ui.files.document import SketchDocument

    app = QApplication.instance() or QApplication([])
    document = SketchDocument()
    document.sketch = build(args.tracks, args.clips)

    began = time.perf_counter()
    timeline = Timeline(document)
    timeline.resize(1600, 1000)
    timeline.show()
    app.processEvents()
    timeline.view.viewport().repaint()
    open_ms = (time.perf_counter() - began) * 1000

    view = timeline.view
    actions = [timeline.zoom_to_fit, lambda: view.zoom(1.25), lambda: view.zoom(1 / 1.25), lambda: view.zoom(1.6),
               lambda: view.scroll_by(120), lambda: view.scroll_by(400), lambda: view.zoom(1.25),
               lambda: view.scroll_by(-200), lambda: view.zoom(0.5)]
    steps, settled = [], []
    for index in range(args.steps):
        began = time.perf_counter()
        actions[index % len(actions)]()
        view.viewport().repaint()
        timeline.ruler.repaint()
        steps.append((time.perf_counter() - began) * 1000)
        app.processEvents()
        while view.drawing_pending and time.perf_counter() - began < 10:  # the paints the view asked for
            app.processEvents()
        settled.append((time.perf_counter() - began) * 1000)
    print(f"clips: {sum(len(t.clips) for t in document.sketch.tracks)} on {len(document.sketch.tracks)} tracks")
    print(f"timeline_open_ms: {open_ms:.1f}")
    print(f"timeline_step_ms: {statistics.median(steps):.1f}")
    print(f"timeline_step_worst_ms: {max(steps):.1f}")
    print(f"timeline_settle_ms: {statistics.median(settled):.1f}")
    print(f"timeline_settle_worst_ms: {max(settled):.1f}")
    timeline.detach()


if __name__ == "__main__":
    main()
