"""The takes list: every generated take, variations of one request together, ready to play or place."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sketchpad.engine.request import GenerationResult
from sketchpad.workflow.takes import Take, takes_of

TAKE_MIME = "application/x-sketchpad-take"
TakeRole = Qt.ItemDataRole.UserRole


class _TakeList(QListWidget):
    """A list whose items drag out as take ids, for dropping onto the timeline."""

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [TAKE_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # noqa: N802 - Qt override
        data = QMimeData()
        ids = [str(item.data(TakeRole)) for item in items if item.data(TakeRole) is not None]
        data.setData(TAKE_MIME, QByteArray(",".join(ids).encode()))
        return data


class TakesPanel(QWidget):
    selected = Signal(object)  # Take or None
    play_requested = Signal(object)
    stop_requested = Signal()
    add_requested = Signal(object)  # Take: add to the timeline

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.takes: dict[int, Take] = {}
        self.list = _TakeList()
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(lambda item, _old: self.selected.emit(self._take_of(item)))
        self.list.itemDoubleClicked.connect(lambda item: self._play(item))
        self.play_button = QPushButton("Play")
        self.stop_button = QPushButton("Stop")
        self.add_button = QPushButton("Add to timeline")
        self.add_button.setToolTip("Place the take on the timeline (or drag it there)")
        self.play_button.clicked.connect(lambda: self._play(self.list.currentItem()))
        self.stop_button.clicked.connect(self.stop_requested)
        self.add_button.clicked.connect(self._add_current)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.stop_button, self.add_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        title = QLabel("Takes")
        title.setStyleSheet("font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.selected.connect(self._update_buttons)
        self._update_buttons(None)

    def add_group(self, group: int, results: list[GenerationResult]) -> list[Take]:
        """Add the takes of one request together, under a header; the first becomes current."""
        takes = takes_of(results, group)
        header = QListWidgetItem(f"Request {group}: {len(takes)} take{'s' if len(takes) != 1 else ''}")
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        header.setForeground(Qt.GlobalColor.darkGray)
        self.list.addItem(header)
        first = None
        for take in takes:
            self.takes[take.id] = take
            item = QListWidgetItem(take.describe())
            item.setData(TakeRole, take.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
            self.list.addItem(item)
            first = first or item
        self.list.setCurrentItem(first)
        self.list.scrollToItem(first)
        return takes

    @property
    def current(self) -> Take | None:
        return self._take_of(self.list.currentItem())

    def select(self, take: Take) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(TakeRole) == take.id:
                self.list.setCurrentRow(row)

    def _take_of(self, item: QListWidgetItem | None) -> Take | None:
        if item is None or item.data(TakeRole) is None:
            return None
        return self.takes.get(int(item.data(TakeRole)))

    def _play(self, item: QListWidgetItem | None) -> None:
        take = self._take_of(item)
        if take is not None:
            self.play_requested.emit(take)

    def _add_current(self) -> None:
        if self.current is not None:
            self.add_requested.emit(self.current)

    def _update_buttons(self, take: Take | None) -> None:
        for button in (self.play_button, self.add_button):
            button.setEnabled(take is not None)

    def take_ids_from(self, data: QMimeData) -> list[Take]:
        raw = bytes(data.data(TAKE_MIME)).decode()
        return [self.takes[int(part)] for part in raw.split(",") if part.isdigit() and int(part) in self.takes]
