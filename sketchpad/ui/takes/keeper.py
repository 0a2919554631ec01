"""Every take kept with the sketch: what the engine sends goes into the open document as it arrives (so it
is saved, autosaved and recovered with the rest), and the takes list shows the open sketch's takes, also
after New, Open and recovery. Renaming, starring and deleting there are undoable edits.

Arriving takes are kept outside the undo history (`SketchDocument.keep`): Ctrl+Z after generating undoes
the person's last edit and never throws a take away; deleting one is the undoable way to lose it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from sketchpad.engine.request import GenerationResult
from sketchpad.sketch import AddTakes, Change, ChangeKind, DeleteTake, Edit, KeptTake, SetTake, find_take
from sketchpad.ui.files.document import SketchDocument
from sketchpad.ui.takes.panel import TakesPanel
from sketchpad.workflow.takes import Take, default_name, take_of, takes_of

if TYPE_CHECKING:
    from sketchpad.ui.generate.controller import GenerationController


class TakeKeeper(QObject):
    problem = Signal(str)
    generated = Signal(list)  # the takes of a finished request, once kept (the live take hands over to them)

    def __init__(self, document: SketchDocument, panel: TakesPanel, generation: GenerationController | None = None,
                 parent: QObject | None = None) -> None:
        """`generation`: whose finished requests it keeps (None: only what `keep` is handed)."""
        super().__init__(parent)
        self.document, self.panel = document, panel
        if generation is not None:
            generation.takes_ready.connect(self._generated)  # a method: disconnected when the keeper goes
        self._takes: dict[str, Take] = {}  # by kept id: one Take per kept take, so the player knows it
        document.follow(self._changed)
        document.replaced.connect(lambda: self._show(fresh=True))
        panel.rename_requested.connect(self.rename)
        panel.star_requested.connect(self.star)
        panel.delete_requested.connect(self.delete)
        self._show()

    def detach(self) -> None:
        self.document.unfollow(self._changed)

    def _generated(self, _request: int, results: list[GenerationResult]) -> None:
        takes = self.keep(results)
        if takes:
            self.generated.emit(takes)

    def keep(self, results: list[GenerationResult]) -> list[Take]:
        """Keep one request's takes with the sketch and make the first current; numbered after the
        sketch's own requests, so a reopened sketch's numbers go on. Partial takes (a generation cut
        short) say so in their names."""
        group = max((kept.group for kept in self.document.sketch.takes), default=0) + 1
        takes = takes_of(results, group)
        self._takes.update((take.id, take) for take in takes)  # the very results the engine sent
        try:
            self.document.keep(AddTakes([self._named(take) for take in takes]))
        except ValueError as error:
            self.problem.emit(f"The new takes could not be kept with the sketch: {error}")
            return []
        if takes and not self.panel.renaming:  # a name being typed is not taken away (and committed half-typed)
            self.panel.select(takes[0])
        return takes

    @staticmethod
    def _named(take: Take) -> KeptTake:
        kept = take.kept()
        params = take.result.params
        if params.get("partial"):
            kept = dataclasses.replace(kept, name=f"{kept.name} (partial: {take.seconds:.1f} of "
                                                  f"{float(params.get('duration', take.seconds)):g} s)")
        return kept

    # Changes a person makes in the list: undoable edits
    def rename(self, take_id: str, name: str) -> None:
        kept = self._kept(take_id)
        if kept is not None:
            name = name.strip() or default_name(kept.variation, kept.variations)  # empty: its label again
            if name != kept.name:
                self._push(SetTake(take_id, "name", name))

    def star(self, take_id: str, starred: bool) -> None:
        kept = self._kept(take_id)
        if kept is not None and kept.starred != starred:
            self._push(SetTake(take_id, "starred", starred))

    def delete(self, take_id: str) -> None:
        """Delete a take (undoable); its clips on the timeline keep its audio, which stays with them."""
        if self._kept(take_id) is not None:
            self._push(DeleteTake(take_id))

    def _kept(self, take_id: str) -> KeptTake | None:
        return find_take(self.document.sketch, take_id)

    def _push(self, edit: Edit) -> None:
        try:
            self.document.push(edit)
        except (ValueError, KeyError) as error:
            self.problem.emit(f"The take could not be changed: {error}")

    # Showing the open sketch's takes
    def _changed(self, change: Change) -> None:
        if change.what is not ChangeKind.TAKES:
            return
        if change.take_ids and self.panel.redraw(change.take_ids):  # a rename or a star: those items only
            return
        self._show()

    def _show(self, *, fresh: bool = False) -> None:
        known, entries = self._takes, []
        for kept in self.document.sketch.takes:  # one pass (20,000 takes are drawn again at each star)
            take = known.get(kept.id)
            if take is None or take.media is not kept.media:
                take = take_of(kept)
            entries.append((kept, take))
        self._takes = {kept.id: take for kept, take in entries}  # a deleted take's audio goes with it
        self.panel.show_takes(entries, fresh=fresh)
