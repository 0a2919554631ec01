"""The live mix as a pure function: immutable plans of placed buffers, rendered block by block.

The player's callback and the tests drive the same `render`, so what is heard can be checked sample for
sample against a reference mix without any device. The master fader scales the summed block last, as
the mixdown scales its summed block (sketch/render.py), so the two round alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sketchpad.core.decibels import db_to_gain
from sketchpad.core.mixlaw import audible, track_gains


@dataclass(frozen=True)
class PlacedBuffer:
    """A clip already rendered by the sketch (trims, fades, clip gain), placed on a track at `start`."""

    samples: np.ndarray  # float32 [1 or 2, frames] at the player's rate
    start: int  # in frames from the start of the arrangement
    track: str

    def __post_init__(self) -> None:
        if self.samples.ndim != 2 or self.samples.shape[0] not in (1, 2):
            raise ValueError(f"a placed buffer must be mono or stereo [channels, frames], got {self.samples.shape}")
        if self.samples.dtype != np.float32:
            raise ValueError(f"a placed buffer must be float32, got {self.samples.dtype}")
        if self.start < 0:
            raise ValueError(f"a placed buffer cannot start before 0, got {self.start}")

    @property
    def end(self) -> int:
        return self.start + self.samples.shape[1]


@dataclass(frozen=True)
class TrackMix:
    gain_db: float = 0.0
    pan: float = 0.0
    mute: bool = False
    solo: bool = False


@dataclass(frozen=True)
class _Voice:
    samples: np.ndarray
    start: int
    end: int
    left: np.float32  # track gain x pan law, as float32 so the reference mix can use the same numbers
    right: np.float32


@dataclass(frozen=True)
class MixPlan:
    """What the callback plays: audible voices with their final gains. Never mutated once published."""

    voices: tuple[_Voice, ...]
    end: int  # one past the last frame of any buffer, audible or not
    master: np.float32 = np.float32(1.0)  # the master fader, as a factor

    @property
    def frames(self) -> int:
        return self.end


EMPTY_PLAN = MixPlan(voices=(), end=0)


def voice_gains(track: TrackMix, source_channels: int) -> tuple[np.float32, np.float32]:
    """The left/right factors a buffer on `track` is played with (mute/solo aside)."""
    left, right = track_gains(track.gain_db, track.pan, source_channels)
    return np.float32(left), np.float32(right)


def is_audible(track: TrackMix, any_solo: bool) -> bool:
    return audible(track.mute, track.solo, any_solo)


def plan_mix(buffers: Sequence[PlacedBuffer], tracks: Mapping[str, TrackMix], master_gain_db: float = 0.0
             ) -> MixPlan:
    """Freeze buffers, track settings and the master fader into a plan; a track missing from `tracks`
    plays at unity, centred."""
    any_solo = any(t.solo for t in tracks.values())
    voices = []
    for placed in buffers:
        track = tracks.get(placed.track, TrackMix())
        if not is_audible(track, any_solo):
            continue
        left, right = voice_gains(track, placed.samples.shape[0])
        voices.append(_Voice(placed.samples, placed.start, placed.end, left, right))
    end = max((b.end for b in buffers), default=0)
    return MixPlan(voices=tuple(voices), end=end, master=np.float32(db_to_gain(master_gain_db)))


def render(plan: MixPlan, position: int, out: np.ndarray, scratch: np.ndarray) -> None:
    """Write frames [position, position + n) of the mix into `out` ([2, n], overwritten).

    `scratch` is a preallocated float32 vector of at least n frames; nothing else is allocated but views.
    """
    out.fill(0.0)
    n = out.shape[1]
    stop = position + n
    for voice in plan.voices:
        first = max(voice.start, position)
        last = min(voice.end, stop)
        if first >= last:
            continue
        src = voice.samples[:, first - voice.start:last - voice.start]
        dst = out[:, first - position:last - position]
        tmp = scratch[:last - first]
        np.multiply(src[0], voice.left, out=tmp)
        np.add(dst[0], tmp, out=dst[0])
        np.multiply(src[-1], voice.right, out=tmp)  # mono feeds both sides; stereo its own right channel
        np.add(dst[1], tmp, out=dst[1])
    if plan.master != 1.0:
        np.multiply(out, plan.master, out=out)
