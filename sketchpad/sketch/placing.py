"""Clips placed one after another, on a track or on a new one named for its place ("Track 3"): what an
import, a kept take added to the timeline, a paste and Add Track all do, decided here once."""

from __future__ import annotations

from collections.abc import Sequence

from sketchpad.sketch.clip_cuts import AddClip
from sketchpad.sketch.edits import Edit, EditGroup
from sketchpad.sketch.media import ClipMedia
from sketchpad.sketch.model import Clip, Sketch, Track
from sketchpad.sketch.track_edits import AddTrack


def next_track(sketch: Sketch, pending: int = 0) -> Track:
    """A new, empty track named for its place: "Track N", counting `pending` tracks about to be added."""
    return Track(name=f"Track {len(sketch.tracks) + pending + 1}")


def one_step(edits: list[Edit], label: str) -> Edit:
    """Edits made together, as one undo step (one edit keeps its own label)."""
    return edits[0] if len(edits) == 1 else EditGroup(edits, label)


def end_to_end(sketch: Sketch, pieces: Sequence[tuple[ClipMedia, str]], track_id: str | None,
               start: int | None, label: str) -> tuple[Edit, list[Clip]]:
    """Clips of `pieces` (media, name), one after another from `start`, on `track_id` (from its end when
    `start` is None); on a new track (from `start`, or 0) when `track_id` is None or no longer there.
    One edit, labelled `label` where there are several, and the clips it adds."""
    edits: list[Edit] = []
    if track_id is None or not any(track.id == track_id for track in sketch.tracks):
        track = next_track(sketch)
        edits.append(AddTrack(track))
        track_id, frame = track.id, start or 0
    else:
        frame = sketch.track(track_id).end if start is None else start
    clips = []
    for media, name in pieces:
        clip = Clip(media, start=frame, name=name)
        edits.append(AddClip(track_id, clip))
        clips.append(clip)
        frame = clip.end
    return one_step(edits, label), clips


def first_free_place(track: Track, frame: int, length: int) -> int:
    """The first frame at or after `frame` from which `length` frames of `track` hold no clip: at `frame`
    itself where that is free, else in the first gap long enough, else after the track's last clip."""
    for clip in sorted(track.clips, key=lambda clip: clip.start):
        if clip.end <= frame:
            continue
        if clip.start >= frame + length:
            break
        frame = clip.end  # overlaps: try just after it
    return frame
