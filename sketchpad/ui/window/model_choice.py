"""Which model the idea panel starts with, and what follows from choosing one.

At start: the default model from Preferences, else the model used last (folders included), else
musicgen-small, or the best model on disk when the person never chose. A remembered folder that is
gone is said, not silently replaced by a 1.8 GB download. A new choice clears a banner about the
previous model, remembers folders for the next start, and tells whether a melody can guide it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSettings

from sketchpad.core import model_ref
from sketchpad.engine import catalog
from sketchpad.ui.common import preferences as stored
from sketchpad.ui.generate.idea_panel import IdeaPanel
from sketchpad.ui.generate.model_picker import folder_problem
from sketchpad.ui.window.errors import Banner

MODEL = "model"  # the banner's cause for problems a model choice puts right


def usable(model: str) -> bool:
    """A catalog model, or a folder that holds a model now."""
    if not model:
        return False
    return catalog.is_model_folder(model) if model_ref.is_folder(model) else catalog.find(model) is not None



class ModelChoice(QObject):
    def __init__(self, panel: IdeaPanel, settings: QSettings, prefs: Callable[[], stored.Preferences],
                 banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel, self.settings, self.prefs, self.banner = panel, settings, prefs, banner
        self.person_chose = False  # a default or a remembered model: never swapped for "the best on disk"
        panel.models.model_changed.connect(self.changed)
        panel.models.refused.connect(lambda why: banner.show_message(why, "error", MODEL))

    def choose_initial(self, remembered: str) -> None:
        picker, prefs = self.panel.models, self.prefs()
        for folder in stored.load_model_folders(self.settings):
            if catalog.is_model_folder(folder):
                picker.add_folder(folder)
        if prefs.model_folder:
            picker.add_folders_in(prefs.model_folder)
        wanted = [model for model in (prefs.default_model, remembered) if model]
        chosen = next((model for model in wanted if usable(model)), None)
        self.person_chose = chosen is not None
        picker.select(chosen or catalog.DEFAULT_MODEL)
        self.changed(picker.model)
        gone = next((model for model in wanted if not usable(model)), None)
        if gone is not None and chosen != wanted[0]:
            why = folder_problem(gone) if model_ref.is_folder(gone) else f"{gone} is not a known model."
            self.banner.show_message(f"{why} {model_ref.short_name(picker.model)} is chosen instead; choose "
                                     "another model or folder above Generate.", "error", MODEL)

    def offers_arrived(self, offers: dict[str, Any]) -> None:
        """The engine is ready and said what it has: which catalog models are on its disk; never chosen
        before: musicgen-small if it is there, else the first model it has."""
        picker = self.panel.models
        picker.apply_offers(offers)
        offered = [str(entry.get("name")) for entry in offers.get("models", ())]
        if offers.get("remote"):  # a server serves only what its operator allows: choose one of those
            if offered and picker.model not in offered:
                picker.select(offered[0])
            return
        if not self.person_chose and picker.model == catalog.DEFAULT_MODEL:
            best = catalog.best_of([entry["name"] for entry in offers.get("models", ()) if entry.get("on_disk")])
            if best != catalog.DEFAULT_MODEL:
                picker.select(best)

    def changed(self, model: str) -> None:
        self.banner.clear(MODEL)  # a problem with the previous model is not this one's
        melody, _stereo = self.panel.models.abilities(model)
        if model_ref.is_folder(model):
            stored.remember_model_folder(self.settings, model)
        if melody is False:
            name = model_ref.short_name(model)
            self.panel.melody.set_offered(False, f"{name} does not take a melody. Choose a melody model (such as "
                                                 "musicgen-melody) to guide it with a hummed or imported tune.")
        elif melody is None:
            self.panel.melody.set_offered(True, "This model folder's abilities are known once it has loaded; "
                                                "a melody only works with a melody model.")
        else:
            self.panel.melody.set_offered(True, "")
