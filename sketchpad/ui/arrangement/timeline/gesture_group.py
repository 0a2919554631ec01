"""Several clip changes of one gesture, made as one edit that the gesture's later groups merge into.

`EditGroup` never merges, so a nudge burst or a gain change of several selected clips would leave one
undo step per key press. A group whose members are clip changes (move, gain...) carrying the same
gesture token folds a follower of the same clips into itself, member by member, through the members'
own `merge`: the state before the first press and after the last, one undo step.

This belongs beside EditGroup in sketch/edits.py; it lives here while the sketch model is being changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sketchpad.sketch import ClipChange, Edit, EditGroup


@dataclass(eq=False)
class GestureGroup(EditGroup):
    edits: Sequence[ClipChange]
    gesture: object = field(default=None, kw_only=True)

    def merge(self, other: Edit) -> bool:
        if not (
            isinstance(other, GestureGroup)
            and self.gesture is not None
            and other.gesture is self.gesture
            and len(other.edits) == len(self.edits)
            and all(
                type(mine) is type(theirs) and mine.mergeable and mine.clip_id == theirs.clip_id
                and mine.gesture is self.gesture and theirs.gesture is self.gesture
                for mine, theirs in zip(self.edits, other.edits, strict=True)
            )
        ):
            return False
        # Checked above for every pair, so no member refuses and the group never merges halfway.
        return all([mine.merge(theirs) for mine, theirs in zip(self.edits, other.edits, strict=True)])
