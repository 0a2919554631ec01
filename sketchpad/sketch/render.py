"""Mixdown: clips and tracks to stereo float32, block by block.

The arithmetic is fixed so the live player can match it sample for sample:

    clip part  = (audio[trimmed] * float32(clip gain)) * fade curves * crossfade curves   (render_clip)
    track sum  = sum of its placed clip parts, per source channel count (mono / stereo)
    mix        = (sum over audible tracks, in track order, of track sum * track_coefficients(...))
                 * float32(master gain)

Where two clips of a track overlap, the one that started first fades out and the other fades in over
the overlap, equal-power (core/mixlaw.crossfade_curve); `crossfades` says how long each clip's are.
Working in blocks keeps memory to a few block-sized buffers, whatever the number of clips and the
length (`mix_blocks`; `mixdown` gathers them for ranges that fit in memory); every step is elementwise,
so block boundaries never change a sample.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np

from sketchpad.core.decibels import db_to_gain
from sketchpad.core.mixlaw import crossfade_curve, fade_curve, track_gains
from sketchpad.sketch.model import Clip, Sketch, Track

Progress = Callable[[int, int], None]  # (frames done, frames in all)
BLOCK_FRAMES = 16384
Crossfade = tuple[int, int]  # samples of crossfade at a clip's start (in) and at its end (out)
NO_CROSSFADE: Crossfade = (0, 0)


@lru_cache(maxsize=256)
def _fade(length: int, fade_in: bool) -> np.ndarray:
    curve = fade_curve(length, fade_in=fade_in)
    curve.flags.writeable = False
    return curve


@lru_cache(maxsize=16)  # a drag makes a new overlap length per step: keep only the latest few
def _crossfade(length: int, fade_in: bool) -> np.ndarray:
    curve = crossfade_curve(length, fade_in=fade_in)
    curve.flags.writeable = False
    return curve


def master_gain(sketch: Sketch) -> np.float32:
    return np.float32(db_to_gain(sketch.master_gain_db))


def crossfades(clips: Iterable[Clip]) -> dict[str, Crossfade]:
    """The crossfades of one track's clips, by clip id (clips without one are left out).

    Where clip B starts inside clip A and ends at or after A's end, A fades out and B fades in over
    [B.start, A.end). A clip lying wholly inside another, or starting with it, is not crossfaded (which
    would silence the longer clip's rest); the two add up as before. A clip overlapped by several
    takes the longest overlap at each end. A muted clip is silent: it neither fades nor makes others fade."""
    found: dict[str, Crossfade] = {}
    running: list[Clip] = []
    for clip in sorted((c for c in clips if not c.muted), key=lambda c: (c.start, c.end)):
        running = [earlier for earlier in running if earlier.end > clip.start]
        for earlier in running:
            if earlier.start < clip.start and earlier.end <= clip.end:
                overlap = earlier.end - clip.start
                into, out = found.get(clip.id, NO_CROSSFADE)
                found[clip.id] = (max(into, overlap), out)
                into, out = found.get(earlier.id, NO_CROSSFADE)
                found[earlier.id] = (into, max(out, overlap))
        running.append(clip)
    return found


def clip_gain(clip: Clip) -> np.float32:
    return np.float32(0.0 if clip.muted else db_to_gain(clip.gain_db))


def track_coefficients(track: Track, channels: int) -> np.ndarray:
    """float32 [2, 1] factors (left, right) by which a track's `channels`-channel sum enters the
    mix: track gain times the pan law (constant power for mono, balance for stereo)."""
    left, right = track_gains(track.gain_db, track.pan, channels)
    return np.array([[left], [right]], dtype=np.float32)


def _shape(part: np.ndarray, lo: int, hi: int, length: int, curve: np.ndarray, at_start: bool) -> None:
    """Multiply frames [lo, hi) of a clip `length` long by `curve`, which lies at its start or its end."""
    size = curve.shape[0]
    if at_start and lo < size:
        stop = min(hi, size)
        part[:, : stop - lo] *= curve[lo:stop]
    elif not at_start and hi > length - size:
        begin = length - size
        first = max(lo, begin)
        part[:, first - lo :] *= curve[first - begin : hi - begin]


def render_clip_part(clip: Clip, lo: int, hi: int, out: np.ndarray | None = None, *,
                     crossfade: Crossfade = NO_CROSSFADE) -> np.ndarray:
    """Frames [lo, hi) of the clip as heard (0 = its first audible frame), into `out` if given, with
    the crossfades its neighbours on the track give it (`crossfades`)."""
    if not 0 <= lo <= hi <= clip.length:
        raise ValueError(f"part {lo}..{hi} is outside the clip (0..{clip.length})")
    source = clip.audio[:, clip.trim_in + lo : clip.trim_in + hi]
    part = np.multiply(source, clip_gain(clip), out=out)
    if clip.fade_in:
        _shape(part, lo, hi, clip.length, _fade(clip.fade_in, True), at_start=True)
    if clip.fade_out:
        _shape(part, lo, hi, clip.length, _fade(clip.fade_out, False), at_start=False)
    cross_in, cross_out = crossfade
    if cross_in:
        _shape(part, lo, hi, clip.length, _crossfade(cross_in, True), at_start=True)
    if cross_out:
        _shape(part, lo, hi, clip.length, _crossfade(cross_out, False), at_start=False)
    return part


def render_clip(clip: Clip, sample_rate: int, crossfade: Crossfade = NO_CROSSFADE) -> np.ndarray:
    """The whole clip as heard, float32 [channels, clip.length], to be placed at `clip.start`."""
    if clip.media.sample_rate != sample_rate:
        raise ValueError(f"clip audio is at {clip.media.sample_rate} Hz, not {sample_rate} Hz")
    return render_clip_part(clip, 0, clip.length, crossfade=crossfade)


class _TrackCursor:
    """Sweeps one track's clips through consecutive blocks, each clip looked at O(1) times, and
    hands them out in the track's own order so sums add up in one fixed order."""

    def __init__(self, track: Track, block: int) -> None:
        self.coefficients = {ch: track_coefficients(track, ch) for ch in (1, 2)}
        self.crossfades = crossfades(track.clips)
        self._pending = sorted(enumerate(track.clips), key=lambda item: item[1].start)
        self._next = 0
        self._active: list[tuple[int, Clip]] = []
        self.sums = {ch: np.empty((ch, block), dtype=np.float32) for ch in (1, 2)}

    def clips_in(self, start: int, stop: int) -> list[Clip]:
        added = False
        while self._next < len(self._pending) and self._pending[self._next][1].start < stop:
            self._active.append(self._pending[self._next])
            self._next += 1
            added = True
        if added:
            self._active.sort(key=lambda item: item[0])
        self._active = [item for item in self._active if item[1].end > start]
        return [clip for _, clip in self._active if clip.start < stop]


def _mix_block(cursor: _TrackCursor, start: int, out: np.ndarray, scratch: np.ndarray) -> None:
    """Add one track's contribution to `out` (the mix frames [start, start + out.shape[1]))."""
    frames = out.shape[1]
    fresh = {1: True, 2: True}
    for clip in cursor.clips_in(start, start + frames):
        lo, hi = max(start, clip.start), min(start + frames, clip.end)
        ch = clip.channels
        target = cursor.sums[ch][:, lo - start : hi - start]
        crossfade = cursor.crossfades.get(clip.id, NO_CROSSFADE)
        if fresh[ch]:
            # First clip in this block writes straight into the zeroed sum: 0 + x == x exactly.
            cursor.sums[ch][:, : lo - start] = 0.0
            cursor.sums[ch][:, hi - start : frames] = 0.0
            render_clip_part(clip, lo - clip.start, hi - clip.start, out=target, crossfade=crossfade)
            fresh[ch] = False
        else:
            part = render_clip_part(clip, lo - clip.start, hi - clip.start, out=scratch[:ch, : hi - lo],
                                    crossfade=crossfade)
            target += part
    for ch in (1, 2):
        if not fresh[ch]:
            weighted = np.multiply(
                cursor.sums[ch][:, :frames], cursor.coefficients[ch], out=scratch[:, :frames]
            )
            out += weighted


def mix_blocks(
    sketch: Sketch,
    start: int = 0,
    end: int | None = None,
    *,
    tracks: Iterable[Track] | None = None,
    block: int = BLOCK_FRAMES,
) -> Iterator[np.ndarray]:
    """The mix from `start` to `end` (default: the end of the last clip) as consecutive stereo float32
    blocks of at most `block` frames, through the master fader: `mixdown`'s samples exactly, in memory
    bounded by the block whatever the length (exports and `sketchpad render` stream from here). Each
    block is a view of one buffer that the next block overwrites: copy what you keep."""
    end = sketch.length if end is None else end
    if not 0 <= start <= end:
        raise ValueError(f"cannot render from {start} to {end}")
    chosen: Sequence[Track] = sketch.audible_tracks() if tracks is None else list(tracks)
    cursors = [_TrackCursor(track, block) for track in chosen if track.clips]
    scratch = np.empty((2, block), dtype=np.float32)
    buffer = np.empty((2, block), dtype=np.float32)
    master = master_gain(sketch)
    for block_start in range(start, end, block):
        out = buffer[:, : min(end, block_start + block) - block_start]
        out.fill(0.0)
        for cursor in cursors:
            _mix_block(cursor, block_start, out, scratch)
        if master != 1.0:
            out *= master
        yield out


def mixdown(
    sketch: Sketch,
    start: int = 0,
    end: int | None = None,
    *,
    tracks: Iterable[Track] | None = None,
    block: int = BLOCK_FRAMES,
    progress: Progress | None = None,
) -> np.ndarray:
    """Stereo float32 [2, end - start] of the sketch's audible tracks (or of `tracks`, as given,
    ignoring mute and solo) from `start` to `end` (default: the end of the last clip), through the
    master fader (stems too, so they still add up to the mix): `mix_blocks` gathered in one array, for
    ranges that fit in memory. `progress` hears (frames done, frames in all) after each block; raising
    from it stops the render."""
    end = sketch.length if end is None else end
    if not 0 <= start <= end:
        raise ValueError(f"cannot render from {start} to {end}")
    out = np.empty((2, end - start), dtype=np.float32)
    done = 0
    for part in mix_blocks(sketch, start, end, tracks=tracks, block=block):
        out[:, done : done + part.shape[1]] = part
        done += part.shape[1]
        if progress is not None:
            progress(done, end - start)
    return out


def resolve_range(sketch: Sketch, what: str | tuple[int, int] | None) -> tuple[int, int]:
    """ "all" (or None): the whole arrangement; "loop": the loop region; or explicit samples."""
    if what is None or what == "all":
        return 0, sketch.length
    if what == "loop":
        if sketch.loop is None:
            raise ValueError("the sketch has no loop region")
        return sketch.loop
    if isinstance(what, tuple) and len(what) == 2:
        start, end = int(what[0]), int(what[1])
        if 0 <= start < end:
            return start, end
    raise ValueError(f"not a range to render: {what!r}")
