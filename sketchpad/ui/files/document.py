"""The open sketch and its undo stack: every change a person makes is a sketch edit wrapped in a QUndoCommand.

One kind of change is not theirs to undo: takes arriving from the engine are kept outside the history
(`keep`), so Ctrl+Z after generating undoes the last edit, not the take, while the sketch still counts
as unsaved for the title, the close prompt and autosave."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from sketchpad.sketch import Clip, Edit, Sketch, end_to_end, find_take
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
        # Every change to the open sketch counts: pushed, merged into a gesture's step (the undo index
        # stays), undone, redone or kept outside the history. Autosave and save compare it.
        self.revision = 0
        self.undo_stack.indexChanged.connect(self._count)
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
        self._count()
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
        self._count()
        self.undo_stack.push(EditCommand(self.sketch, edit))

    def _count(self, *_args: object) -> None:
        self.revision += 1

    def keep(self, edit: Edit) -> None:
        """Apply `edit` outside the undo history and mark the sketch unsaved: for what arrives rather than
        what a person does (generated takes, `AddTakes`).

        Nothing on the stack depends on it: the only steps that touch a kept take (DeleteTake, SetTake)
        find it by id, and were pushed after it arrived, so undoing past it leaves it where it is, and a
        DeleteTake undone after newer takes arrived puts its take back among them. The redo history stays
        (a push would have cut it). The clean state is dropped, not moved: going back to the saved step
        does not make the sketch "saved" again, since the file lacks what was kept since."""
        edit.apply(self.sketch)
        self._count()
        self.undo_stack.resetClean()

    def add_take(self, take: Take, track_id: str | None = None, start: int | None = None, *,
                 new_track: bool = False) -> Clip:
        """Place a generated take as a clip (see `add_takes`)."""
        return self.add_takes([take], track_id, start, new_track=new_track)[0]

    def add_takes(self, takes: Sequence[Take], track_id: str | None = None, start: int | None = None, *,
                  new_track: bool = False) -> list[Clip]:
        """Place takes as clips one after another, as one undo step: on `track_id` from `start` (its end
        by default); on a new track with `new_track` (a drop below the last track, as a dropped file
        does); otherwise at the end of the first track (made if there is none).

        Each clip shares its take's media, so a kept take on the timeline is stored once; a renamed take
        names its clips."""
        track_id = None if new_track or not self.sketch.tracks else track_id or self.sketch.tracks[0].id
        label = "Add take to timeline" if len(takes) == 1 else "Add takes to timeline"
        edit, clips = end_to_end(self.sketch, [(take.clip_media(), self._clip_name(take)) for take in takes],
                                 track_id, start, label)
        self.push(edit)
        return clips

    def _clip_name(self, take: Take) -> str:
        kept = find_take(self.sketch, take.id)
        return kept.name if kept is not None and kept.name != take.label else take.clip_name
