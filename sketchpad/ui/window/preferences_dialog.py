"""The Preferences dialog: compute device, audio devices, model folder and cache, default model (a catalog
model or a model folder), offline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from sketchpad.audio import devices
from sketchpad.core import decoders
from sketchpad.engine import catalog, precision
from sketchpad.engine.precision import PRECISIONS
from sketchpad.ui.common.fitting import wheel_only_when_focused, wrapping_label
from sketchpad.ui.common.preferences import DEVICE_CHOICES, Preferences
from sketchpad.ui.generate.model_picker import folder_problem
from sketchpad.ui.window.engine_choice import EngineChoice

DEVICE_LABELS = {"auto": "Automatic (best available)", "cuda": "CUDA GPU", "mps": "Apple MPS", "cpu": "CPU"}
CHOOSE_FOLDER = "__choose_folder__"


def _folder_row(edit: QLineEdit, title: str, parent: QWidget) -> QHBoxLayout:
    browse = QPushButton("Browse...")
    browse.clicked.connect(lambda: edit.setText(QFileDialog.getExistingDirectory(parent, title) or edit.text()))
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


def _fill_devices(combo: QComboBox, names: list[str], current: str) -> None:
    """PortAudio's devices by name, after the system's default; a chosen one that is gone stays, marked."""
    combo.clear()
    combo.addItem("System default", "")
    for name in names:
        combo.addItem(name, name)
    index = combo.findData(current)
    if index < 0 and current:
        combo.addItem(f"{current} (not connected)", current)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))


def _device_combo(names: list[str], current: str) -> QComboBox:
    combo = QComboBox()
    _fill_devices(combo, names, current)
    return combo


NO_DEVICES = ("No sound {kind} device was found: PortAudio lists none. Connect or switch one on (or check the "
              "system's sound settings), then press Rescan.")


def _rescan_portaudio() -> str:
    devices.rescan()
    return ""


class PreferencesDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None, model_folders: Sequence[str] = (),
                 rescan: Callable[[], str] | None = None) -> None:
        """`model_folders`: folders chosen in the model picker before, offered as the default model.
        `rescan`: asks PortAudio for the devices again, after closing what plays and records (an empty
        answer), or says why not now; PortAudio itself without it."""
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.prefs = prefs
        self.device = QComboBox()
        for choice in DEVICE_CHOICES:
            self.device.addItem(DEVICE_LABELS[choice], choice)
        self.device.setCurrentIndex(max(self.device.findData(prefs.compute_device), 0))
        self._rescan = rescan or _rescan_portaudio
        self.input = _device_combo([d.name for d in devices.input_devices()], prefs.input_device)
        self.output = _device_combo([d.name for d in devices.output_devices()], prefs.output_device)
        self.rescan_button = QPushButton("Rescan")
        self.rescan_button.setToolTip("Look for sound devices again (one plugged in or switched on since)")
        self.rescan_button.clicked.connect(self.rescan_devices)
        self.device_note = wrapping_label(QLabel(""))
        self.device_note.setStyleSheet("color: #b00020;")
        self._describe_devices()
        self.model_folder = QLineEdit(prefs.model_folder)
        self.model_folder.setPlaceholderText("A folder holding model folders (optional)")
        self.cache_folder = QLineEdit(prefs.cache_folder)
        self.cache_folder.setPlaceholderText("Hugging Face cache (default: HF_HOME or ~/.cache/huggingface)")
        self.default_model = QComboBox()
        self.default_model.addItem("The model used last (at first: musicgen-small, or the best on disk)", "")
        for info in catalog.CATALOG:
            self.default_model.addItem(info.label, info.id)
        self.default_model.insertSeparator(self.default_model.count())
        for folder in model_folders:
            self._add_default_folder(folder)
        self.default_model.addItem("Choose a model folder…", CHOOSE_FOLDER)
        if prefs.default_model and self.default_model.findData(prefs.default_model) < 0:
            self._add_default_folder(prefs.default_model)
        self.default_model.setCurrentIndex(max(self.default_model.findData(prefs.default_model), 0))
        self._default_index = self.default_model.currentIndex()
        self.default_model.activated.connect(self._default_chosen)
        self.default_problem = wrapping_label(QLabel(""))
        self.default_problem.setStyleSheet("color: #b00020;")
        self.default_problem.hide()
        self.mbd_folder = QLineEdit(prefs.mbd_folder)
        self.mbd_folder.setPlaceholderText("Empty: download facebook/multiband-diffusion when first used")
        self.default_decoder = QComboBox()
        self.default_decoder.addItem(f"{decoders.label(decoders.ENCODEC)} (instant)", decoders.ENCODEC)
        self.default_decoder.addItem(f"{decoders.label(decoders.MBD)} (decoded in the background)", decoders.MBD)
        self.default_decoder.setCurrentIndex(max(self.default_decoder.findData(prefs.default_decoder), 0))
        self.precision = QComboBox()
        self.precision.addItem("Automatic (fast on the CPU, exact on a GPU)", "auto")
        for name in PRECISIONS:
            self.precision.addItem(precision.LABELS[name], name)
        self.precision.setCurrentIndex(max(self.precision.findData(prefs.precision), 0))
        self.precision_note = wrapping_label(QLabel(""))
        self.precision_note.setStyleSheet("color: #666;")
        self.precision.currentIndexChanged.connect(self._describe_precision)
        self._describe_precision()
        self.engine = EngineChoice(prefs.engine_server, prefs.server_token)
        self.offline = QCheckBox("Never touch the network (use only models already on this computer)")
        self.offline.setChecked(prefs.offline)
        note = QLabel("Another place to generate, compute device, precision, cache or offline choice starts a new "
                      "engine (after the generation under way, if any).")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Generate on", self.engine)
        form.addRow("Compute device", self.device)
        form.addRow("Audio input", self.input)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output, 1)
        output_row.addWidget(self.rescan_button)
        form.addRow("Audio output", output_row)
        form.addRow("", self.device_note)
        form.addRow("Model folder", _folder_row(self.model_folder, "Model folder", self))
        form.addRow("Cache location", _folder_row(self.cache_folder, "Cache location", self))
        form.addRow("Default model", self.default_model)
        form.addRow("", self.default_problem)
        form.addRow("MBD folder", _folder_row(self.mbd_folder, "MultiBand Diffusion folder", self))
        form.addRow("Default decoder", self.default_decoder)
        form.addRow("Precision", self.precision)
        form.addRow("", self.precision_note)
        form.addRow("", self.offline)
        form.addRow(note)
        form.addRow(buttons)
        self._wheel_guard = wheel_only_when_focused(self)

    def rescan_devices(self) -> None:
        """Ask PortAudio again and list what it finds now, keeping the choices where they still exist."""
        why_not = self._rescan()
        if why_not:
            self.device_note.setText(why_not)
            self.device_note.show()
            return
        for combo, found in ((self.input, devices.input_devices()), (self.output, devices.output_devices())):
            _fill_devices(combo, [device.name for device in found], combo.currentData() or "")
        self._describe_devices()

    def _describe_devices(self) -> None:
        missing = [kind for kind, combo in (("output", self.output), ("input", self.input))
                   if not any(combo.itemData(i) and not combo.itemText(i).endswith("(not connected)")
                              for i in range(combo.count()))]
        if missing:
            kind = " or ".join(missing)
            self.device_note.setText(NO_DEVICES.format(kind=kind))
        self.device_note.setVisible(bool(missing))

    def _add_default_folder(self, folder: str) -> int:
        at = self.default_model.findData(CHOOSE_FOLDER)
        at = self.default_model.count() if at < 0 else at
        self.default_model.insertItem(at, f"{Path(folder).name} [folder]", folder)
        self.default_model.setItemData(at, folder, Qt.ItemDataRole.ToolTipRole)
        return at

    def _default_chosen(self, index: int) -> None:
        if self.default_model.itemData(index) == CHOOSE_FOLDER:
            folder = QFileDialog.getExistingDirectory(self, "A model folder to start with")
            if not folder or not self.choose_default_folder(folder):
                self.default_model.setCurrentIndex(self._default_index)
                return
        self._default_index = self.default_model.currentIndex()
        self.default_problem.hide()

    def choose_default_folder(self, folder: str) -> bool:
        """Make `folder` the default model if it is a model; else say why, beside the choice."""
        problem = folder_problem(folder)
        self.default_problem.setText(problem)
        self.default_problem.setVisible(bool(problem))
        if problem:
            return False
        folder = str(Path(folder).expanduser().resolve())
        index = self.default_model.findData(folder)
        self.default_model.setCurrentIndex(index if index >= 0 else self._add_default_folder(folder))
        self._default_index = self.default_model.currentIndex()
        return True

    def chosen(self) -> Preferences:
        return replace(
            self.prefs, compute_device=self.device.currentData(), input_device=self.input.currentData(),
            output_device=self.output.currentData(), model_folder=self.model_folder.text().strip(),
            cache_folder=self.cache_folder.text().strip(), default_model=self.default_model.currentData(),
            offline=self.offline.isChecked(), mbd_folder=self.mbd_folder.text().strip(),
            default_decoder=self.default_decoder.currentData(), precision=self.precision.currentData(),
            engine_server=self.engine.server, server_token=self.engine.token.text().strip())

    def _describe_precision(self) -> None:
        chosen = self.precision.currentData()
        shown = [chosen] if chosen in PRECISIONS else list(PRECISIONS)
        self.precision_note.setText(" ".join(precision.describe(name) for name in shown))
