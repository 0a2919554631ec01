"""What the live player needs from a sketch: its clips rendered and placed, and each track's settings.

Plain functions (no Qt) so the same feed can be checked against the offline mixdown in tests.
"""

from __future__ import annotations

from sketchpad.audio.mixer import PlacedBuffer, TrackMix
from sketchpad.sketch import Sketch, Track
from sketchpad.sketch.render import render_clip


def track_mix(track: Track) -> TrackMix:
    return TrackMix(gain_db=track.gain_db, pan=track.pan, mute=track.mute, solo=track.solo)


def arrangement(sketch: Sketch) -> tuple[list[PlacedBuffer], dict[str, TrackMix]]:
    """Every clip as heard (trims, fades, clip gain) at its place, and the track settings by track id."""
    buffers = [
        PlacedBuffer(render_clip(clip, sketch.sample_rate), clip.start, track.id)
        for track in sketch.tracks
        for clip in track.clips
        if clip.length > 0
    ]
    return buffers, {track.id: track_mix(track) for track in sketch.tracks}
