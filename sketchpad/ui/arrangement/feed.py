"""What the live player needs from a sketch: every clip rendered as heard (crossfades with its neighbours
included) and placed, each track's settings, and the master fader. Clips are rendered again only when
they or their crossfades changed (a drag of 200 steps re-renders the dragged clip and what it overlaps).

Qt-free, so the test that the player equals the mixdown feeds the player exactly as the window does.
"""

from __future__ import annotations

import numpy as np

from sketchpad.audio.mixer import PlacedBuffer, TrackMix
from sketchpad.audio.player import Player
from sketchpad.sketch import Clip, Sketch, Track
from sketchpad.sketch.render import NO_CROSSFADE, Crossfade, crossfades, render_clip


def track_mix(track: Track) -> TrackMix:
    return TrackMix(gain_db=track.gain_db, pan=track.pan, mute=track.mute, solo=track.solo)


class ArrangementFeed:
    def __init__(self) -> None:
        # clip id: (clip, its audio, its crossfades, rendered)
        self._cache: dict[str, tuple[Clip, object, Crossfade, np.ndarray]] = {}

    def clear(self) -> None:
        self._cache.clear()

    def buffers(self, sketch: Sketch) -> list[PlacedBuffer]:
        """Every clip as heard (trims, fades, clip gain, crossfades) at its place, reusing what did not change."""
        cache, buffers = {}, []
        for track in sketch.tracks:
            overlaps = crossfades(track.clips)
            for clip in track.clips:
                audio = clip.media.audio.get(clip.decoder)
                crossfade = overlaps.get(clip.id, NO_CROSSFADE)
                hit = self._cache.get(clip.id)
                # the same clip, the same decoded audio, the same neighbours' overlaps
                fresh = hit is not None and hit[0] is clip and hit[1] is audio and hit[2] == crossfade
                samples = hit[3] if fresh else render_clip(clip, sketch.sample_rate, crossfade)
                cache[clip.id] = (clip, audio, crossfade, samples)
                if clip.length > 0:
                    buffers.append(PlacedBuffer(samples, clip.start, track.id))
        self._cache = cache
        return buffers

    @staticmethod
    def mixes(sketch: Sketch) -> dict[str, TrackMix]:
        return {track.id: track_mix(track) for track in sketch.tracks}

    def feed(self, player: Player, sketch: Sketch) -> list[PlacedBuffer]:
        """Hand the whole arrangement to `player`: clips, track settings and the master fader."""
        buffers = self.buffers(sketch)
        player.set_arrangement(buffers, self.mixes(sketch), sketch.master_gain_db)
        return buffers
