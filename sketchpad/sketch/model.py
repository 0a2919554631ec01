"""The sketch document: tracks of clips on a sample-accurate timeline, and change notification.

Clips are immutable values (an edit replaces one), so the undo history can hold them without
copying and two clips can share one `ClipMedia`. Tracks and the sketch are mutable containers that
only the edits in `edits.py` should change; every change is announced to plain-callback listeners
so Qt widgets can follow the model without the model knowing Qt.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from sketchpad.core.decibels import check_gain_db
from sketchpad.core.mixlaw import audible
from sketchpad.sketch.media import ClipMedia, new_id

DEFAULT_SAMPLE_RATE = 32000
TEXT_CHARS = 10_000  # a title or a track's or clip's name: far beyond what anyone types, and bounded
# Positions and lengths on the timeline end within two hours at the sketch's rate: more than a sketch
# means (a whole album side fits), and a crafted clip at sample 2**40 is refused instead of rendered.
MAX_SKETCH_SECONDS = 2 * 3600
LIMIT_TEXT = "2-hour limit of a sketch"


def max_samples(sample_rate: int) -> int:
    return MAX_SKETCH_SECONDS * sample_rate


def time_text(samples: int, sample_rate: int) -> str:
    """"2 h 19 min 48 s" (or "5 min 3 s", "12 s"): a position as people read it."""
    seconds = samples // sample_rate
    hours, minutes, rest = seconds // 3600, seconds // 60 % 60, seconds % 60
    if hours:
        return f"{hours:,} h {minutes} min {rest} s"
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def past_the_limit(samples: int, sample_rate: int, what: str) -> str | None:
    """What to say when `what` reaches `samples` (past the sketch's limit at that rate), or None."""
    if samples <= max_samples(sample_rate):
        return None
    return f"{what} at {time_text(samples, sample_rate)}, past the {LIMIT_TEXT}"


def check_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, got {value!r}")
    if len(value) > TEXT_CHARS:
        raise ValueError(f"{what} is {len(value):,} characters long; it may hold at most {TEXT_CHARS:,}")
    return value


def check_samples(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"{what} must be a non-negative whole number of samples, got {value!r}")
    return int(value)


def check_pan(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not -1.0 <= value <= 1.0:
        raise ValueError(f"pan must be a number between -1 and +1, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Clip:
    """A window onto media placed on the timeline: `trim_in` and `trim_out` samples cut off the
    decoder's audio, the rest plays from `start`; fades are counted in samples inside that window."""

    media: ClipMedia
    start: int = 0
    trim_in: int = 0
    trim_out: int = 0
    gain_db: float = 0.0
    fade_in: int = 0
    fade_out: int = 0
    decoder: str = ""
    name: str = ""
    id: str = field(default_factory=new_id)
    muted: bool = False  # kept, drawn and exported as silence (the original beside its stems)

    def __post_init__(self) -> None:
        if not self.decoder:
            object.__setattr__(self, "decoder", self.media.default_decoder)
        if self.decoder not in self.media.audio:
            raise ValueError(
                f"clip plays decoder {self.decoder!r} but its media has {sorted(self.media.audio)}"
            )
        for what in ("start", "trim_in", "trim_out", "fade_in", "fade_out"):
            object.__setattr__(self, what, check_samples(getattr(self, what), what))
        object.__setattr__(self, "gain_db", check_gain_db(self.gain_db, "clip gain"))
        check_text(self.name, "clip name")
        if self.length < 1:
            raise ValueError(
                f"trims of {self.trim_in} + {self.trim_out} samples leave nothing of {self.source_frames}"
            )
        problem = past_the_limit(self.end, self.media.sample_rate, "the clip ends")
        if problem:
            raise ValueError(problem)
        if self.fade_in > self.length or self.fade_out > self.length:
            raise ValueError(
                f"fades ({self.fade_in}, {self.fade_out}) are longer than the clip ({self.length})"
            )

    @property
    def audio(self) -> np.ndarray:
        """The playing decoder's whole audio, before trims (read-only, shared)."""
        return self.media.audio[self.decoder]

    @property
    def channels(self) -> int:
        return self.media.channels

    @property
    def source_frames(self) -> int:
        return self.media.frames(self.decoder)

    @property
    def length(self) -> int:
        return self.source_frames - self.trim_in - self.trim_out

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass
class Track:
    name: str = "Track"
    gain_db: float = 0.0
    pan: float = 0.0
    mute: bool = False
    solo: bool = False
    clips: list[Clip] = field(default_factory=list)
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        for name in ("name", "gain_db", "pan", "mute", "solo"):
            setattr(self, name, check_track_setting(name, getattr(self, name)))

    def clip_index(self, clip_id: str) -> int:
        for index, clip in enumerate(self.clips):
            if clip.id == clip_id:
                return index
        raise KeyError(f"no clip {clip_id!r} on track {self.name!r}")

    @property
    def end(self) -> int:
        return max((clip.end for clip in self.clips), default=0)


def check_track_setting(name: str, value: object) -> object:
    """Validate one track setting; used on construction and by the edits that change it."""
    if name == "name":
        return check_text(value, "track name")
    if name == "gain_db":
        return check_gain_db(value, "track gain")  # type: ignore[arg-type]
    if name == "pan":
        return check_pan(value)  # type: ignore[arg-type]
    if name in ("mute", "solo"):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false, got {value!r}")
        return value
    raise ValueError(f"a track has no setting {name!r}")


class ChangeKind(Enum):
    """The kinds of thing an edit touches: listeners subscribe by kind (as napari types its events),
    never by comparing free strings."""

    SKETCH = "sketch"  # a setting of the whole sketch: title, tempo, metre, loop, master gain
    TRACKS = "tracks"  # tracks added, removed or reordered
    TRACK = "track"  # one track's settings (name, gain, pan, mute, solo)
    CLIP = "clip"  # clips added, removed, moved, cut or changed
    MEDIA = "media"  # a clip's media gained audio (a decoder's)
    TAKES = "takes"  # the kept takes: added, renamed, starred, deleted


@dataclass(frozen=True)
class Change:
    """What an edit touched, for listeners deciding what to redraw or re-mix."""

    what: ChangeKind
    track_ids: tuple[str, ...] = ()
    clip_ids: tuple[str, ...] = ()
    take_ids: tuple[str, ...] = ()  # "takes": only these takes' names or stars changed (none: the list did)

    def __post_init__(self) -> None:
        if not isinstance(self.what, ChangeKind):  # a listener comparing kinds would never match a string
            raise TypeError(f"a Change's kind is a ChangeKind, not {self.what!r}")


Listener = Callable[[Change], None]


@dataclass
class Sketch:
    sample_rate: int = DEFAULT_SAMPLE_RATE
    title: str = "Untitled"
    tempo: float | None = None
    loop: tuple[int, int] | None = None
    tracks: list[Track] = field(default_factory=list)
    metre: tuple[int, int] = (4, 4)  # beats per bar, and the note a beat is (4: a quarter)
    master_gain_db: float = 0.0
    takes: list[Any] = field(default_factory=list)  # KeptTake (sketch/takes.py): every take, placed or not
    _listeners: list[Listener] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_sketch_setting("title", self.title)
        check_sketch_setting("sample_rate", self.sample_rate)
        check_sketch_setting("tempo", self.tempo)
        check_sketch_setting("loop", self.loop, self.sample_rate)
        check_sketch_setting("metre", self.metre)
        check_sketch_setting("master_gain_db", self.master_gain_db)

    # Listening: widgets subscribe when shown and must unsubscribe when closed.
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop telling `listener`; a listener that is not subscribed is left as it is, so widgets can always
        unsubscribe when they close or rebind without tracking whether they still are."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # Lookups
    def track(self, track_id: str) -> Track:
        return self.tracks[self.track_index(track_id)]

    def track_index(self, track_id: str) -> int:
        for index, track in enumerate(self.tracks):
            if track.id == track_id:
                return index
        raise KeyError(f"no track {track_id!r}")

    def find_clip(self, clip_id: str) -> tuple[Track, int]:
        for track in self.tracks:
            for index, clip in enumerate(track.clips):
                if clip.id == clip_id:
                    return track, index
        raise KeyError(f"no clip {clip_id!r}")

    def clip(self, clip_id: str) -> Clip:
        track, index = self.find_clip(clip_id)
        return track.clips[index]

    def iter_clips(self) -> Iterator[tuple[Track, Clip]]:
        for track in self.tracks:
            for clip in track.clips:
                yield track, clip

    def media(self) -> list[ClipMedia]:
        """Every distinct media the clips and the kept takes use, in first-use order."""
        seen: dict[int, ClipMedia] = {}
        for _, clip in self.iter_clips():
            seen.setdefault(id(clip.media), clip.media)
        for take in self.takes:
            seen.setdefault(id(take.media), take.media)
        return list(seen.values())

    def audible_tracks(self) -> list[Track]:
        """Not muted, and either nothing is soloed or this track is."""
        soloing = any(track.solo for track in self.tracks)
        return [t for t in self.tracks if audible(t.mute, t.solo, soloing)]

    def snapshot(self) -> Sketch:
        """A structural copy sharing every audio and token array: safe to save or render on another
        thread while edits go on here. Listeners are not copied."""
        media = {}
        for item in self.media():
            twin = copy.copy(item)
            twin.audio = dict(item.audio)
            media[id(item)] = twin
        tracks = [
            dataclasses.replace(
                track, clips=[dataclasses.replace(c, media=media[id(c.media)]) for c in track.clips]
            )
            for track in self.tracks
        ]
        takes = [dataclasses.replace(take, media=media[id(take.media)]) for take in self.takes]
        return Sketch(self.sample_rate, self.title, self.tempo, self.loop, tracks, self.metre, self.master_gain_db,
                      takes)

    @property
    def length(self) -> int:
        """Samples from 0 to the end of the last clip."""
        return max((track.end for track in self.tracks), default=0)

    def seconds(self, samples: int) -> float:
        return samples / self.sample_rate


def check_sketch_setting(name: str, value: object, sample_rate: int | None = None) -> object:
    """Validate one sketch-level setting; used on construction, by edits and by the loader. With the
    sketch's `sample_rate`, the loop must end within the sketch's limit too."""
    if name == "title":
        check_text(value, "title")
    elif name == "sample_rate":
        if isinstance(value, bool) or not isinstance(value, int) or not 8000 <= value <= 384000:
            raise ValueError(f"sample rate must be an integer between 8000 and 384000, got {value!r}")
    elif name == "tempo":
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 20.0 <= value <= 400.0
        ):
            raise ValueError(f"tempo must be empty or between 20 and 400 BPM, got {value!r}")
    elif name == "loop":
        if value is not None:
            if not isinstance(value, tuple) or len(value) != 2:
                raise ValueError(f"loop must be empty or a (start, end) pair, got {value!r}")
            start, end = (check_samples(v, "loop bound") for v in value)
            if end <= start:
                raise ValueError(f"loop must end after it starts, got {start}..{end}")
            problem = None if sample_rate is None else past_the_limit(end, sample_rate, "the loop ends")
            if problem:
                raise ValueError(problem)
    elif name == "metre":
        if (not isinstance(value, tuple) or len(value) != 2 or any(isinstance(v, bool) or not isinstance(v, int)
                                                                    for v in value)
                or not 1 <= value[0] <= 32 or value[1] not in (1, 2, 4, 8, 16, 32)):
            raise ValueError(f"metre must be (beats per bar 1-32, beat 1/2/4/8/16/32), got {value!r}")
    elif name == "master_gain_db":
        return check_gain_db(value, "master gain")  # type: ignore[arg-type]
    else:
        raise ValueError(f"sketch has no setting {name!r}")
    return value
