"""The idea panel as the person left it: duration, variations, advanced settings and the model, kept in
QSettings as they change (a crash loses nothing) and put back at the next start."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QSettings

from sketchpad.ui.common import preferences as stored
from sketchpad.ui.common.preferences import IdeaChoices
from sketchpad.ui.generate.idea_panel import IdeaPanel


def choices_of(panel: IdeaPanel) -> IdeaChoices:
    locked = panel.seed_lock.isChecked()
    return IdeaChoices(
        model=panel.models.model, duration=panel.duration.value(), variations=panel.variations.value(),
        top_k=panel.top_k.value(), top_p=panel.top_p.value(), temperature=panel.temperature.value(),
        guidance=panel.guidance.value(), seed_locked=locked, seed=panel.seed.value() if locked else 0,
        advanced_shown=panel.advanced_toggle.isChecked())


def apply_choices(panel: IdeaPanel, choices: IdeaChoices) -> None:
    """Everything but the model (the window chooses it: it may be gone, or a default may rule)."""
    panel.duration.setValue(choices.duration)
    panel.variations.setValue(choices.variations)
    panel.top_k.setValue(choices.top_k)
    panel.top_p.setValue(choices.top_p)
    panel.temperature.setValue(choices.temperature)
    panel.guidance.setValue(choices.guidance)
    panel.seed_lock.setChecked(choices.seed_locked)
    if choices.seed_locked:
        panel.seed.setValue(choices.seed)
    panel.advanced_toggle.setChecked(choices.advanced_shown)


class IdeaMemory(QObject):
    """Puts the remembered choices back into `panel`, then keeps them as they change."""

    def __init__(self, panel: IdeaPanel, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel, self.settings = panel, settings
        self.remembered = stored.load_idea(settings)
        if self.remembered is not None:
            apply_choices(panel, self.remembered)
        for changed in (panel.duration.valueChanged, panel.variations.valueChanged, panel.top_k.valueChanged,
                        panel.top_p.valueChanged, panel.temperature.valueChanged, panel.guidance.valueChanged,
                        panel.seed.valueChanged, panel.seed_lock.toggled, panel.advanced_toggle.toggled,
                        panel.models.model_changed):
            changed.connect(self.keep)

    @property
    def model(self) -> str:
        """The model chosen last time ("" if none was ever kept)."""
        return self.remembered.model if self.remembered is not None else ""

    def keep(self, *_changed: object) -> None:
        choices = choices_of(self.panel)
        if not choices.model and self.remembered is not None:
            choices = replace(choices, model=self.remembered.model)  # "Open model folder..." is not a choice
        self.remembered = choices
        stored.save_idea(self.settings, choices)
