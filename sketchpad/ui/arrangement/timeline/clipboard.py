"""Copy and paste of clips within the app: the clipboard holds the clips themselves.

Clips are immutable values over read-only media, so holding them is a snapshot: later edits of the
originals (or their deletion, or opening another sketch) never change what is pasted. A paste keeps the
clips' distances in time and in tracks: the earliest lands at the playhead, the topmost copied track
on the chosen one, and tracks are added below the last when the copy reaches past it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sketchpad.sketch import AddClip, AddTrack, Clip, Edit, Sketch, new_id, next_track


@dataclass(frozen=True)
class Copied:
    """Clips with their track's place counted from the topmost copied track."""

    clips: tuple[tuple[int, Clip], ...]

    @property
    def start(self) -> int:
        return min(clip.start for _, clip in self.clips)


def copy_clips(sketch: Sketch, clip_ids: list[str]) -> Copied | None:
    """A snapshot of the clips `clip_ids` (None when there are none)."""
    rows = {track.id: row for row, track in enumerate(sketch.tracks)}
    found = [(rows[sketch.find_clip(clip_id)[0].id], sketch.clip(clip_id)) for clip_id in clip_ids]
    if not found:
        return None
    top = min(row for row, _ in found)
    return Copied(tuple(sorted(((row - top, clip) for row, clip in found), key=lambda pair: pair[1].start)))


def paste_edits(sketch: Sketch, copied: Copied, frame: int, track_id: str | None) -> tuple[list[Edit], list[str]]:
    """The edits that paste `copied` with its earliest clip at `frame` and its top track on `track_id`
    (the first track when None), and the ids of the new clips."""
    edits: list[Edit] = []
    track_ids = [track.id for track in sketch.tracks]
    top = track_ids.index(track_id) if track_id in track_ids else 0
    for added in range(top + max(row for row, _ in copied.clips) + 1 - len(track_ids)):
        track = next_track(sketch, pending=added)
        edits.append(AddTrack(track))
        track_ids.append(track.id)
    pasted = []
    for row, clip in copied.clips:
        new = dataclasses.replace(clip, id=new_id(), start=frame + clip.start - copied.start)
        edits.append(AddClip(track_ids[top + row], new))
        pasted.append(new.id)
    return edits, pasted
