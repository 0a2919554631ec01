"""At start-up, the sketches a crash left with unsaved work: which to recover now.

Each saved sketch keeps its autosave beside it, so after a crash the work is on disk but nothing pointed
at it unless the person happened to open that file again. The window remembers which saved sketches it
autosaved (preferences) and lists here those whose autosave is newer than their last save. Recover
opens the chosen one from its autosave; Later keeps every autosave for the next start (and for when the
file is opened); Discard deletes the chosen one's autosave, after asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sketchpad.sketch import Recovery


@dataclass(frozen=True)
class Recoverable:
    path: Path | None  # None: the sketch that was never saved
    recovery: Recovery

    def describe(self) -> str:
        when = datetime.fromtimestamp(self.recovery.autosave_mtime_ns / 1e9).strftime("%d %b %Y, %H:%M")
        if self.path is None:
            return f"The unsaved sketch\nautosaved {when}"
        return f"{self.path.name}\nin {self.path.parent}, autosaved {when}, after its last save"


class RecoveryDialog(QDialog):
    def __init__(self, entries: list[Recoverable], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.entries = list(entries)
        self.discarded: list[Recoverable] = []
        intro = QLabel("Sketchpad stopped before these sketches were saved. Their autosaves hold the newer "
                       "work. Recover one now, or keep them for later.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        for entry in self.entries:
            item = QListWidgetItem(entry.describe())
            item.setToolTip(str(entry.path or "never saved"))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox()
        self.recover_button = buttons.addButton("Recover", QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = buttons.addButton("Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.discard_button = QPushButton("Discard…")
        self.discard_button.setToolTip("Delete the chosen sketch's autosave (its saved file stays as it is)")
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.recover_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.discard_button.clicked.connect(self._discard)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(520, 300)

    @property
    def chosen(self) -> Recoverable | None:
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _discard(self) -> None:
        entry = self.chosen
        if entry is None:
            return
        name = entry.path.name if entry.path is not None else "the unsaved sketch"
        answer = QMessageBox.question(self, "Discard the autosave?",
                                      f"Delete the autosave of {name}? The work since its last save is lost.",
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Discard:
            return
        self.discarded.append(entry)
        row = self.list.currentRow()
        del self.entries[row]
        self.list.takeItem(row)
        if not self.entries:
            self.reject()
        self.recover_button.setEnabled(bool(self.entries))

    @staticmethod
    def order(entries: list[Recoverable]) -> list[Recoverable]:
        """The newest work first."""
        return sorted(entries, key=lambda entry: entry.recovery.autosave_mtime_ns, reverse=True)


def choose(entries: list[Recoverable], parent: QWidget | None) -> tuple[Recoverable | None, list[Recoverable]]:
    """Ask; (the entry to recover or None, the entries whose autosave the person discarded)."""
    dialog = RecoveryDialog(RecoveryDialog.order(entries), parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return (dialog.chosen if accepted else None), dialog.discarded
