"""The open sketch and its undo stack: every change is a sketch edit wrapped in a QUndoCommand."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from sketchpad.sketch import AddClip, AddTrack, Clip, Edit, EditGroup, Sketch, Track
from sketchpad.sketch.model import Listener
from sketchpad.workflow.takes import Take

MERGE_ID = 0x5E7C  # shared by every command of a gesture; mergeWith then asks the edits themselves


class EditCommand(QUndoCommand):
    """A sketch edit already applied once; Qt calls redo() on push, which must not apply it twice.

    Edits made within one gesture (a drag, a slider's travel) carry its token and fold into one undo
    step through the edit's own `merge`, which keeps the state before the first and after the last."""

    def __init__(self, sketch: Sketch, edit: Edit) -> None:
        super().__init__(edit.label)
        self.sketch, self.edit = sketch, edit
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.edit.apply(self.sketch)

    def undo(self) -> None:
        self.edit.inverse().apply(self.sketch)

    def id(self) -> int:  # noqa: A003 - Qt override
        return MERGE_ID if getattr(self.edit, "gesture", None) is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        return isinstance(other, EditCommand) and self.edit.merge(other.edit)


class SketchDocument(QObject):
    replaced = Signal()  # `sketch` is another object now (New, Open, recovery): listeners rebind

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sketch = Sketch()
        self.undo_stack = QUndoStack(self)
        self._followers: list[Listener] = []

    def follow(self, listener: Listener) -> None:
        """Hear the changes of whichever sketch is open, kept across New, Open and recovery."""
        self._followers.append(listener)
        self.sketch.subscribe(listener)

    def unfollow(self, listener: Listener) -> None:
        if listener in self._followers:
            self._followers.remove(listener)
        self.sketch.unsubscribe(listener)

    def replace(self, sketch: Sketch, *, clean: bool = True) -> None:
        """Work on `sketch` from now on, with an empty history; `clean=False` marks it unsaved (a recovery)."""
        self.undo_stack.clear()
        for listener in self._followers:
            self.sketch.unsubscribe(listener)
            sketch.subscribe(listener)
        self.sketch = sketch
        if not clean:
            self.undo_stack.resetClean()
        self.replaced.emit()

    @property
    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def push(self, edit: Edit) -> None:
        """Apply `edit` (raising ValueError/KeyError with nothing changed if it does not fit), then record
        it: as a step of its own, or folded into the previous one of the same gesture."""
        edit.apply(self.sketch)
        self.undo_stack.push(EditCommand(self.sketch, edit))

    def add_take(self, take: Take, track_id: str | None = None, start: int | None = None) -> Clip:
        """Place a generated take as a clip: at the end of `track_id` (the first track, made if needed)."""
        media = take.clip_media()
        edits: list[Edit] = []
        if track_id is None:
            if self.sketch.tracks:
                track_id = self.sketch.tracks[0].id
            else:
                track = Track(name="Track 1")
                edits.append(AddTrack(track))
                track_id = track.id
        track_end = self.sketch.track(track_id).end if not edits else 0
        clip = Clip(media, start=track_end if start is None else start, name=take.clip_name)
        edits.append(AddClip(track_id, clip))
        self.push(edits[0] if len(edits) == 1 else EditGroup(edits, "Add take to timeline"))
        return clip
