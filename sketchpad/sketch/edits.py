"""The shape every edit has: apply it, get its exact inverse, maybe merge a follower into it.

Edits remember the state they replace when they are applied, not when they are built, so a redo
after an undo sees exactly the state the first application saw and restores it exactly. The one undo
path is the window's document (ui/document.py): a QUndoCommand per edit (redo = `edit.apply(sketch)`,
undo = `edit.inverse().apply(sketch)`, mergeWith = `edit.merge(other)`, for edits of one gesture).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

from sketchpad.sketch.model import Change, Sketch


class Edit(ABC):
    """One undoable change to a sketch."""

    label: str = "Edit"

    def apply(self, sketch: Sketch) -> None:
        """Make the change and tell the sketch's listeners. Raises ValueError/KeyError, having
        changed nothing, when the edit does not fit the sketch."""
        sketch.notify(self._apply(sketch))

    def inverse(self) -> Edit:
        return Inverse(self)

    def merge(self, other: Edit) -> bool:
        """Fold `other`, already applied right after this edit, into this one (one undo step for a
        whole drag). Returns False when they are not the same gesture."""
        return False

    @abstractmethod
    def _apply(self, sketch: Sketch) -> Change: ...

    @abstractmethod
    def _revert(self, sketch: Sketch) -> Change:
        """Undo the latest `_apply`, restoring exactly what it recorded."""


@dataclass(eq=False)
class Inverse(Edit):
    edit: Edit

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.edit.label

    def inverse(self) -> Edit:
        return self.edit

    def _apply(self, sketch: Sketch) -> Change:
        return self.edit._revert(sketch)

    def _revert(self, sketch: Sketch) -> Change:
        return self.edit._apply(sketch)


@dataclass(eq=False)
class EditGroup(Edit):
    """Several edits as one step; reverted in reverse order. If one fails, those before it are
    reverted so a group is applied whole or not at all."""

    edits: Sequence[Edit]
    group_label: str = "Edit"

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.group_label

    def apply(self, sketch: Sketch) -> None:
        applied: list[Edit] = []
        try:
            for edit in self.edits:
                edit.apply(sketch)
                applied.append(edit)
        except Exception:
            for edit in reversed(applied):
                edit.inverse().apply(sketch)
            raise

    def inverse(self) -> Edit:
        return EditGroup([edit.inverse() for edit in reversed(self.edits)], self.group_label)

    def _apply(self, sketch: Sketch) -> Change:  # pragma: no cover - apply() is overridden
        raise NotImplementedError

    def _revert(self, sketch: Sketch) -> Change:  # pragma: no cover - inverse() is overridden
        raise NotImplementedError


@dataclass(eq=False)
class GestureGroup(EditGroup):
    """Several clip changes of one gesture (a nudge burst, a gain change of several selected clips) as one
    edit that the gesture's later groups merge into, member by member, through the members' own `merge`:
    the state before the first press and after the last, one undo step. A plain `EditGroup` never merges,
    which would leave one step per key press.

    The members are clip changes (`ClipChange`: `clip_id`, `gesture`, `mergeable`); they are read by
    attribute because clip_edits builds on this module."""

    gesture: object = field(default=None, kw_only=True)

    def merge(self, other: Edit) -> bool:
        if not (
            isinstance(other, GestureGroup)
            and self.gesture is not None
            and other.gesture is self.gesture
            and len(other.edits) == len(self.edits)
            and all(self._joins(mine, theirs) for mine, theirs in zip(self.edits, other.edits, strict=True))
        ):
            return False
        # Every pair was checked above, so no member refuses and the group never merges halfway.
        return all([mine.merge(theirs) for mine, theirs in zip(self.edits, other.edits, strict=True)])

    def _joins(self, mine: Edit, theirs: Edit) -> bool:
        """Whether `theirs` continues `mine` within this gesture: the same kind of change to the same clip."""
        return (
            type(mine) is type(theirs)
            and getattr(mine, "mergeable", False)
            and getattr(mine, "clip_id", None) is not None
            and getattr(mine, "clip_id", None) == getattr(theirs, "clip_id", None)
            and getattr(mine, "gesture", None) is self.gesture
            and getattr(theirs, "gesture", None) is self.gesture
        )
