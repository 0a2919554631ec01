"""Where a dragged edge lands: on the beat/bar grid at this zoom when the sketch has a tempo, else on
other clips' edges. Whether to snap at all (the Snap toggle, Shift or Alt to do the opposite) is the
caller's choice.

Pure functions of the sketch, so the rules are tested without a widget.
"""

from __future__ import annotations

from collections.abc import Iterable

from sketchpad.sketch import Sketch
from sketchpad.ui.arrangement.timeline.geometry import SNAP_PIXELS, grid_line, grid_step


def clip_edges(sketch: Sketch, exclude: str | None = None) -> list[int]:
    """Every clip start and end except those of clip `exclude` (the one being dragged), and 0."""
    edges = {0}
    for _, clip in sketch.iter_clips():
        if clip.id != exclude:
            edges.update((clip.start, clip.end))
    return sorted(edges)


def nearest(value: int, targets: Iterable[int]) -> int | None:
    best = None
    for target in targets:
        if best is None or abs(target - value) < abs(best - value):
            best = target
    return best


def snap_to_grid(sketch: Sketch, frame: float, pixels_per_frame: float) -> int:
    """The grid line nearest `frame` (the sketch has a tempo)."""
    step = grid_step(sketch.tempo, sketch.sample_rate, pixels_per_frame, sketch.metre)
    return max(0, grid_line(max(0, round(frame / step)), step))


def snap_frame(sketch: Sketch, frame: int, pixels_per_frame: float, exclude: str | None = None) -> int:
    """One edge: to the nearest grid line (always, with a tempo), or to a clip edge within reach."""
    if sketch.tempo is not None:
        return snap_to_grid(sketch, frame, pixels_per_frame)
    target = nearest(frame, clip_edges(sketch, exclude))
    if target is not None and abs(target - frame) * pixels_per_frame <= SNAP_PIXELS:
        return target
    return frame


def snap_move(sketch: Sketch, start: int, length: int, pixels_per_frame: float, exclude: str) -> int:
    """A whole clip: with a tempo its start goes on the grid; without, whichever of its two edges is
    nearer another clip's edge sticks to it."""
    if sketch.tempo is not None:
        return snap_frame(sketch, start, pixels_per_frame, exclude)
    edges = clip_edges(sketch, exclude)
    candidates = []
    for offset in (0, length):
        target = nearest(start + offset, edges)
        if target is not None:
            candidates.append((abs(target - start - offset), target - offset))
    if candidates:
        distance, snapped = min(candidates)
        if distance * pixels_per_frame <= SNAP_PIXELS and snapped >= 0:
            return snapped
    return start
