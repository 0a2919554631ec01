"""The timeline's clip commands: selection, split, duplicate, delete, copy, cut, paste, nudge, rename.

Each command is one undoable step through the document (several clips: one EditGroup; a nudge burst:
GestureGroups that merge). A mixin for the Timeline widget, which supplies `sketch`, `document`,
`view`, `clip_bar`, `playhead`, `headers`, `problem` and `update_actions`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from sketchpad.sketch import (
    AddTrack,
    DeleteClip,
    DuplicateClip,
    Edit,
    EditGroup,
    MoveClip,
    SplitClip,
    next_track,
    one_step,
)
from sketchpad.ui.arrangement.timeline.clipboard import Copied, copy_clips, paste_edits
from sketchpad.ui.arrangement.timeline.nudge import NudgeBursts, nudge_amount, nudge_group


class ClipCommands:
    clipboard: Copied | None = None
    _bursts: NudgeBursts | None = None

    def push(self, edit: Edit) -> None:
        self.document.push(edit)

    def _push_group(self, edits: list[Edit], label: str) -> None:
        if edits:
            self.push(one_step(edits, label))

    # Selection
    def selected_clip_ids(self) -> list[str]:
        return [clip_id for clip_id, item in self.view.clip_items.items() if item.isSelected()]

    def select_clips(self, clip_ids: list[str]) -> None:
        self.view.scene().clearSelection()
        for clip_id in clip_ids:
            self.view.clip_items[clip_id].setSelected(True)

    def select_all(self) -> None:
        self.select_clips(list(self.view.clip_items))

    def selection_range(self) -> tuple[int, int] | None:
        """From the earliest start to the latest end of the selected clips (for export), or None."""
        clips = [self.sketch.clip(clip_id) for clip_id in self.selected_clip_ids()]
        return (min(c.start for c in clips), max(c.end for c in clips)) if clips else None

    # Cutting and copying
    def split_at_playhead(self) -> None:
        """Split the selected clips under the playhead (all clips under it when none is selected)."""
        chosen = set(self.selected_clip_ids())
        edits: list[Edit] = [
            SplitClip(clip.id, self.playhead)
            for _, clip in self.sketch.iter_clips()
            if clip.start < self.playhead < clip.end and (not chosen or clip.id in chosen)
        ]
        self._push_group(edits, "Split clips")

    def duplicate_selected(self) -> None:
        self._push_group([DuplicateClip(clip_id) for clip_id in self.selected_clip_ids()], "Duplicate clips")

    def delete_selected(self) -> None:
        self._push_group([DeleteClip(clip_id) for clip_id in self.selected_clip_ids()], "Delete clips")

    def copy_selected(self) -> None:
        copied = copy_clips(self.sketch, self.selected_clip_ids())
        if copied is not None:
            self.clipboard = copied
            self.update_actions()

    def cut_selected(self) -> None:
        chosen = self.selected_clip_ids()
        if chosen:
            self.copy_selected()
            label = "Cut clips" if len(chosen) > 1 else "Cut clip"
            self.push(EditGroup([DeleteClip(clip_id) for clip_id in chosen], label))

    def paste(self) -> None:
        """The copied clips at the playhead, on the selected clips' track, the track whose header has
        the keys, or the first; one undo step, and the pasted clips become the selection."""
        if self.clipboard is None:
            return
        edits, pasted = paste_edits(self.sketch, self.clipboard, self.playhead, self._paste_track())
        try:
            self.push(EditGroup(edits, "Paste clips" if len(pasted) > 1 else "Paste clip"))
        except (ValueError, KeyError) as error:
            self.problem.emit(f"The copied clips could not be pasted here: {error}")
            return
        self.select_clips(pasted)

    def _paste_track(self) -> str | None:
        chosen = self.selected_clip_ids()
        if chosen:
            tracks = [self.sketch.find_clip(clip_id)[0] for clip_id in chosen]
            return min(tracks, key=lambda track: self.sketch.track_index(track.id)).id
        focus = QApplication.focusWidget()
        for track_id, header in self.headers.headers.items():
            if focus is not None and header.isAncestorOf(focus):
                return track_id
        return None

    # Moving by keys
    def nudge_key(self, key: int, modifiers) -> bool:
        """An arrow key in the clip area: move the selected clips by the grid (or a pixel with Shift or
        Alt) or a track; the presses of one burst are one undo step. False if it moved nothing."""
        chosen = self.selected_clip_ids()
        amount = nudge_amount(key, modifiers, self.sketch, self.view.pixels_per_frame)
        if amount is None or not chosen:
            return False
        if self._bursts is None or self._bursts.stack is not self.document.undo_stack:
            self._bursts = NudgeBursts(self.document.undo_stack)
        group = nudge_group(self.sketch, chosen, *amount, self._bursts.token_for(chosen))
        if group is not None:
            self.push(group)
            self._bursts.pushed()
        return True

    # Naming and tracks
    def rename_clip(self) -> None:
        if len(self.selected_clip_ids()) == 1:
            self.clip_bar.edit_name()

    def add_track(self) -> str:
        track = next_track(self.sketch)
        self.push(AddTrack(track))
        return track.id

    def move_to_new_track(self, clip_id: str, start: int, gesture: object) -> None:
        """A clip dragged below the last track lands on a new track there, as a dropped take does; the
        drag and the new track are one undo step (the drag's own step is taken back and folded in)."""
        stack = self.document.undo_stack
        top = stack.command(stack.index() - 1) if stack.index() > 0 else None
        if top is not None and getattr(getattr(top, "edit", None), "gesture", None) is gesture:
            stack.undo()  # the drag so far: the group below moves the clip from where it was pressed
        track = next_track(self.sketch)
        self.push(one_step([AddTrack(track), MoveClip(clip_id, start=start, track_id=track.id)],
                           "Move clip to a new track"))

    def update_actions(self) -> None:
        """The widget enables its actions for the selection and the clipboard."""
