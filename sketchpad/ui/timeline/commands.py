"""Pushing timeline edits so that one gesture is one undo step.

The document's own command never merges; the timeline's commands carry the gesture the edit was
made in, and Qt's undo stack folds consecutive commands of one gesture together through the sketch
edit's own `merge` (which keeps the first state and the last).
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from sketchpad.sketch import Edit
from sketchpad.ui.document import EditCommand, SketchDocument

MERGE_ID = 0x5E7C  # any id shared by our commands; mergeWith decides by the edits themselves


class GestureCommand(EditCommand):
    def id(self) -> int:  # noqa: A003 - Qt override
        return MERGE_ID if getattr(self.edit, "gesture", None) is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        return isinstance(other, GestureCommand) and self.edit.merge(other.edit)


def push(document: SketchDocument, edit: Edit) -> None:
    """Apply `edit` (raising, with nothing changed, if it does not fit) and record it; an edit with
    a `gesture` merges into the previous one of the same gesture."""
    edit.apply(document.sketch)
    document.undo_stack.push(GestureCommand(document.sketch, edit))
