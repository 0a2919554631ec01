"""A plain undo stack for headless use and tests; the UI uses QUndoStack with the same edits."""

from __future__ import annotations

from sketchpad.sketch.edits import Edit
from sketchpad.sketch.model import Sketch


class History:
    """Linear undo/redo over one sketch. `push` applies an edit and, when `merge` is true and the
    previous step accepts it, folds it into that step (one drag, one undo)."""

    def __init__(self, sketch: Sketch) -> None:
        self.sketch = sketch
        self._done: list[Edit] = []
        self._undone: list[Edit] = []
        self._clean_depth: int | None = 0

    def push(self, edit: Edit, *, merge: bool = True) -> None:
        edit.apply(self.sketch)
        merged = merge and not self._undone and bool(self._done) and self._done[-1].merge(edit)
        if self._clean_depth is not None and (
            self._clean_depth > len(self._done) or (merged and self._clean_depth == len(self._done))
        ):
            self._clean_depth = None  # the saved state can no longer be reached by undo/redo
        self._undone.clear()
        if not merged:
            self._done.append(edit)

    def undo(self) -> Edit:
        if not self._done:
            raise IndexError("nothing to undo")
        edit = self._done.pop()
        edit.inverse().apply(self.sketch)
        self._undone.append(edit)
        return edit

    def redo(self) -> Edit:
        if not self._undone:
            raise IndexError("nothing to redo")
        edit = self._undone.pop()
        edit.apply(self.sketch)
        self._done.append(edit)
        return edit

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def mark_clean(self) -> None:
        """Call after saving: `is_clean` is then true until an edit moves away from this state."""
        self._clean_depth = len(self._done)

    @property
    def is_clean(self) -> bool:
        return self._clean_depth == len(self._done)
