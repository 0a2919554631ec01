"""Takes kept with the sketch: every generated take, on the timeline or not, with its tokens and how it
was made, so closing or a crash loses none. Renaming, starring and deleting are undoable edits."""

from __future__ import annotations

from dataclasses import dataclass, field

from sketchpad.sketch.edits import Edit
from sketchpad.sketch.media import ClipMedia, new_id
from sketchpad.sketch.model import Change, ChangeKind, Sketch

TAKE_NAME_CHARS = 200  # the list's name field takes 120
MAX_GROUP = 2**53 - 1  # request numbers: exact in a JSON number anywhere, and within every integer the window uses


@dataclass
class KeptTake:
    media: ClipMedia  # generated audio with its tokens, model and parameters
    name: str = ""
    starred: bool = False
    group: int = 0  # the request it came from
    variation: int = 0
    variations: int = 1
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if self.media.origin != "generated":
            raise ValueError("only generated audio is kept as a take")
        if not isinstance(self.name, str) or not isinstance(self.starred, bool):
            raise ValueError("a take's name is text and its star true or false")
        if len(self.name) > TAKE_NAME_CHARS:
            raise ValueError(f"a take's name holds at most {TAKE_NAME_CHARS} characters, not {len(self.name):,}")
        for what in ("group", "variation", "variations"):
            value = getattr(self, what)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_GROUP:
                raise ValueError(f"a take's {what} is a whole number from 0 to 2^53 - 1, not {value!r}")
        if not 0 <= self.variation < max(self.variations, 1):
            raise ValueError(f"variation {self.variation} of {self.variations} does not exist")


def find_take(sketch: Sketch, take_id: str) -> KeptTake | None:
    return next((take for take in sketch.takes if take.id == take_id), None)


def take_index(sketch: Sketch, take_id: str) -> int:
    for index, take in enumerate(sketch.takes):
        if take.id == take_id:
            return index
    raise KeyError(f"no take {take_id!r}")


@dataclass(eq=False)
class AddTakes(Edit):
    takes: list[KeptTake]
    label = "New takes"

    def _apply(self, sketch: Sketch) -> Change:
        if any(take.media.sample_rate != sketch.sample_rate for take in self.takes):
            raise ValueError("a take at another sample rate than the sketch's cannot be kept with it")
        sketch.takes.extend(self.takes)
        return Change(ChangeKind.TAKES)

    def _revert(self, sketch: Sketch) -> Change:
        ids = {take.id for take in self.takes}
        sketch.takes[:] = [take for take in sketch.takes if take.id not in ids]
        return Change(ChangeKind.TAKES)


@dataclass(eq=False)
class DeleteTake(Edit):
    take_id: str
    label = "Delete take"
    _removed: tuple[int, KeptTake] | None = field(default=None, init=False, repr=False)

    def _apply(self, sketch: Sketch) -> Change:
        index = take_index(sketch, self.take_id)
        self._removed = (index, sketch.takes.pop(index))
        return Change(ChangeKind.TAKES)

    def _revert(self, sketch: Sketch) -> Change:
        assert self._removed is not None, "revert before apply"
        index, take = self._removed
        sketch.takes.insert(index, take)
        return Change(ChangeKind.TAKES)


@dataclass(eq=False)
class SetTake(Edit):
    """Rename or star a take (`setting` is "name" or "starred")."""

    take_id: str
    setting: str
    value: object
    _old: object = field(default=None, init=False, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Rename take" if self.setting == "name" else "Star take"

    def _apply(self, sketch: Sketch) -> Change:
        take = sketch.takes[take_index(sketch, self.take_id)]
        kinds = {"name": str, "starred": bool}
        if self.setting not in kinds or not isinstance(self.value, kinds[self.setting]):
            raise ValueError(f"a take's {self.setting} cannot be {self.value!r}")
        if self.setting == "name" and len(self.value) > TAKE_NAME_CHARS:  # type: ignore[arg-type]
            raise ValueError(f"a take's name holds at most {TAKE_NAME_CHARS} characters")
        self._old = getattr(take, self.setting)
        setattr(take, self.setting, self.value)
        return Change(ChangeKind.TAKES, take_ids=(self.take_id,))

    def _revert(self, sketch: Sketch) -> Change:
        setattr(sketch.takes[take_index(sketch, self.take_id)], self.setting, self._old)
        return Change(ChangeKind.TAKES, take_ids=(self.take_id,))
