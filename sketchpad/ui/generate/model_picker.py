"""Choosing a model: the catalog plus model folders, each with its abilities and where it stands.

A folder that is not a model is refused when it is chosen, saying what it lacks, rather than failing
later at Generate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from sketchpad.core import model_ref
from sketchpad.engine import catalog
from sketchpad.engine_link.messages import ModelFacts

OPEN_FOLDER = "__open_folder__"
ModelRole = Qt.ItemDataRole.UserRole


def folder_problem(folder: str | Path) -> str:
    """Why `folder` cannot be a model, in words; "" when it is one."""
    path = Path(folder).expanduser()
    if catalog.is_model_folder(path):
        return ""
    if not path.is_dir():
        return f"There is no folder at {path}."
    inner = [child.name for child in sorted(path.iterdir()) if catalog.is_model_folder(child)]
    if inner:
        names = ", ".join(inner[:3]) + (" and more" if len(inner) > 3 else "")
        return (f"{path.name} holds model folders ({names}) rather than being one: choose one of them, or make "
                f"{path.name} the model folder in Preferences to list them all.")
    missing = " and ".join(name for name in (catalog.LM_FILE, catalog.COMPRESSION_FILE)
                           if not (path / name).is_file())
    return (f"{path} is not a model folder: it lacks {missing} (a MusicGen checkpoint as audiocraft saves it). "
            "Choose the folder that holds both files.")


class ModelPicker(QComboBox):
    """A combo box of models. `model` is a catalog id or a folder path."""

    model_changed = Signal(str)
    refused = Signal(str)  # a chosen folder that is not a model: why

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)  # the whole label is in the popup and the tooltip
        self.facts: dict[str, ModelFacts] = {}  # learnt on loading, keyed by what the picker holds
        self.loaded: set[str] = set()
        self.on_disk: dict[str, bool] = {}
        self.server_models: set[str] = set()  # names a server offers beyond the catalog
        self._previous = ""
        for info in catalog.CATALOG:
            self.addItem(info.label, info.id)
        self.insertSeparator(self.count())
        self.addItem("Open model folder...", OPEN_FOLDER)
        self.activated.connect(self._activated)
        self.currentIndexChanged.connect(self._changed)

    @property
    def model(self) -> str:
        value = self.currentData(ModelRole)
        return "" if value in (None, OPEN_FOLDER) else str(value)

    def select(self, model: str) -> None:
        """Choose a catalog id or a folder (added if new)."""
        index = self.findData(model, ModelRole)
        if index < 0 and catalog.find(model) is not None:
            index = self.findData(catalog.find(model).id, ModelRole)
        if index < 0:
            index = self.add_folder(model)
        self.setCurrentIndex(index)

    def add_folder(self, folder: str) -> int:
        path = str(Path(folder).expanduser().resolve())
        index = self.findData(path, ModelRole)
        if index >= 0:
            return index
        at = self.count() - 2  # above the separator and "Open model folder..."
        self.insertItem(at, "", path)
        self.on_disk[path] = catalog.is_model_folder(path)
        self._label(at)
        return at

    def add_folders_in(self, parent: str) -> None:
        """Every model folder directly inside `parent` (the preferences' model folder)."""
        root = Path(parent).expanduser()
        if catalog.is_model_folder(root):
            self.add_folder(str(root))
        elif root.is_dir():
            for child in sorted(root.iterdir()):
                if catalog.is_model_folder(child):
                    self.add_folder(str(child))

    def abilities(self, model: str | None = None) -> tuple[bool | None, bool | None]:
        """(takes a melody, is stereo); None where unknown until the folder's model has loaded."""
        model = model or self.model
        info = None if model_ref.is_folder(model) else catalog.find(model)
        if info is not None:
            return info.melody, info.stereo
        facts = self.facts.get(model)
        return (facts.melody, facts.channels == 2) if facts else (None, None)

    def window_seconds(self, model: str | None = None) -> float | None:
        """The model's window (the most of a melody it hears): the engine's facts once loaded, else the
        catalog's; None for a folder not loaded yet."""
        model = model or self.model
        facts = self.facts.get(model)
        if facts is not None:
            return facts.window_seconds
        info = None if model_ref.is_folder(model) else catalog.find(model)
        return info.window_seconds if info is not None else None

    def apply_offers(self, offers: dict[str, Any]) -> None:
        """Which catalog models the engine has on its disk, from what it offers (engine_host/jobs.offers);
        folders on this computer are checked when added. A server's own models (names its operator gave
        folders) are listed while it is the engine, and go when it is not."""
        for name in self.server_models - {str(entry.get("name")) for entry in offers.get("models", ())
                                          if offers.get("remote")}:
            index = self.findData(name, ModelRole)
            if index >= 0 and index != self.currentIndex():
                self.removeItem(index)
        self.server_models = set()
        offered = {str(entry.get("name")) for entry in offers.get("models", ())}
        for info in catalog.CATALOG:  # a server serves only what its operator allows: the rest is not listed
            index = self.findData(info.id, ModelRole)
            if index >= 0:
                self.view().setRowHidden(index, bool(offers.get("remote")) and info.id not in offered)
        for entry in offers.get("models", ()):
            name = str(entry.get("name"))
            index = self.findData(name, ModelRole)
            if index < 0 and offers.get("remote"):
                index = self.count() - 2  # above the separator and "Open model folder..."
                self.insertItem(index, "", name)
            if offers.get("remote") and catalog.find(name) is None:
                self.server_models.add(name)
            if index >= 0:
                self.on_disk[name] = bool(entry.get("on_disk"))
                self._label(index)

    def note_loaded(self, facts: ModelFacts, model: str) -> None:
        self.facts[model] = facts
        self.loaded.add(model)
        self.on_disk[model] = True
        index = self.findData(model, ModelRole)
        if index >= 0:
            self._label(index)
        if model == self.model:
            self.model_changed.emit(model)  # abilities may have become known

    def forget_loaded(self) -> None:
        """Nothing is loaded any more (the engine unloaded its models or started again)."""
        self.loaded.clear()
        for index in range(self.count()):
            if self.itemData(index, ModelRole) not in (None, OPEN_FOLDER):
                self._label(index)

    def _label(self, index: int) -> None:
        model = str(self.itemData(index, ModelRole))
        info = None if model_ref.is_folder(model) else catalog.find(model)
        if info is not None:
            text = info.label
            size = f"download {info.download_gb:g} GB"
        else:
            melody, stereo = self.abilities(model)
            known = "" if melody is None else f" ({'stereo' if stereo else 'mono'}{', melody' if melody else ''})"
            server = model in self.server_models
            text = f"{model} [server]{known}" if server else f"{Path(model).name} [folder]{known}"
            size = "on the server" if server else "missing files"
        if model in self.loaded:
            state = "loaded"
        elif self.on_disk.get(model):
            state = "on disk"
        elif model in self.on_disk:
            state = size
        else:
            state = ""
        self.setItemText(index, f"{text}: {state}" if state else text)
        self.setItemData(index, f"{model}\n{state or 'checking...'}", Qt.ItemDataRole.ToolTipRole)
        if index == self.currentIndex():
            self._show_tooltip()

    def choose_folder(self, folder: str) -> bool:
        """A folder the person picked: selected if it is a model, else refused with the reason."""
        problem = folder_problem(folder)
        if problem:
            self._back_to_previous()  # first: the refusal is about this folder, not the one chosen before
            self.refused.emit(problem)
            return False
        before = self.currentIndex()
        self.select(folder)
        if self.currentIndex() == before:
            self.model_changed.emit(self.model)  # chosen again: still a choice (it answers a refusal)
        return True

    def _activated(self, index: int) -> None:
        if self.itemData(index, ModelRole) != OPEN_FOLDER:
            return
        folder = QFileDialog.getExistingDirectory(self, "Open a model folder")
        if folder:
            self.choose_folder(folder)
        else:
            self._back_to_previous()

    def _back_to_previous(self) -> None:
        """Off "Open model folder...", back to the model chosen before."""
        if self.model:
            return
        if self._previous:
            self.select(self._previous)
        else:
            self.setCurrentIndex(0)

    def _show_tooltip(self) -> None:
        """The whole label and where the model is: the box itself may be too narrow to show it."""
        details = self.itemData(self.currentIndex(), Qt.ItemDataRole.ToolTipRole)
        self.setToolTip(f"{self.currentText()}\n{details}" if details else self.currentText())

    def _changed(self, _index: int) -> None:
        self._show_tooltip()
        if self.model:
            self._previous = self.model
            self.model_changed.emit(self.model)
