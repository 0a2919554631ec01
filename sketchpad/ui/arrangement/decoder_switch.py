"""The clip inspector's decoder switch: EnCodec or MultiBand Diffusion for the selected generated clip.

Shows which decoder the clip plays, a progress bar while the other decoder's audio is being made,
and a note saying why a choice is unavailable. Only signals go out; the decoder controller decides.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from sketchpad.core import decoders
from sketchpad.sketch import Clip
from sketchpad.ui.common.fitting import ElidedLabel


class DecoderSwitch(QWidget):
    chosen = Signal(str)  # "encodec" or "mbd"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Decoder:")
        self.buttons = {name: QToolButton(text=label, checkable=True) for name, label in decoders.LABELS.items()}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for name, button in self.buttons.items():
            button.setToolTip(f"Play this clip decoded with {decoders.label(name)} (B toggles A/B)")
            self.group.addButton(button)
            button.clicked.connect(lambda _checked=False, name=name: self.chosen.emit(name))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.note = ElidedLabel("")  # a long reason (a failed decode) shortens with "…", whole in its tooltip
        self.note.setStyleSheet("color: #666;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.title)
        for button in self.buttons.values():
            layout.addWidget(button)
        layout.addWidget(self.progress)
        layout.addWidget(self.note, 1)
        self.show_clip(None)

    def show_clip(self, clip: Clip | None) -> None:
        """The selected clip (None: nothing, several, or not generated)."""
        generated = clip is not None and clip.media.origin == "generated" and clip.media.tokens is not None
        for name, button in self.buttons.items():
            button.setEnabled(generated)
            button.setChecked(generated and clip.decoder == name)
        if not generated:
            self.note.setText("Select one generated clip to compare decoders" if clip is None else
                              "Imported audio has no tokens to decode again")

    def set_busy(self, stage: str | None, done: int = 0, total: int = 0) -> None:
        """A decode in progress (None: finished)."""
        self.progress.setVisible(stage is not None)
        if stage is not None:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.note.setText(stage)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
