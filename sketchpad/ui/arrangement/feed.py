"""What the live player needs from a sketch: every clip rendered as heard and placed, and each track's
settings. Clips are rendered again only when they changed (a drag of 200 steps re-renders one clip).

Qt-free, so the test that the player equals the mixdown feeds the player exactly as the window does.
"""

from __future__ import annotations

import numpy as np

from sketchpad.audio.mixer import PlacedBuffer, TrackMix
from sketchpad.sketch import Clip, Sketch, Track
from sketchpad.sketch.render import render_clip


def track_mix(track: Track) -> TrackMix:
    return TrackMix(gain_db=track.gain_db, pan=track.pan, mute=track.mute, solo=track.solo)


class ArrangementFeed:
    def __init__(self) -> None:
        self._cache: dict[str, tuple[Clip, object, np.ndarray]] = {}  # clip id: (clip, its audio, rendered)

    def clear(self) -> None:
        self._cache.clear()

    def buffers(self, sketch: Sketch) -> list[PlacedBuffer]:
        """Every clip as heard (trims, fades, clip gain) at its place, reusing what did not change."""
        cache, buffers = {}, []
        for track in sketch.tracks:
            for clip in track.clips:
                audio = clip.media.audio.get(clip.decoder)
                hit = self._cache.get(clip.id)
                fresh = hit is not None and hit[0] is clip and hit[1] is audio  # same clip, same decoded audio
                samples = hit[2] if fresh else render_clip(clip, sketch.sample_rate)
                cache[clip.id] = (clip, audio, samples)
                if clip.length > 0:
                    buffers.append(PlacedBuffer(samples, clip.start, track.id))
        self._cache = cache
        return buffers

    @staticmethod
    def mixes(sketch: Sketch) -> dict[str, TrackMix]:
        return {track.id: track_mix(track) for track in sketch.tracks}
