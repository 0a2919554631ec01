"""The takes list: the open sketch's takes, variations of one request together under a header, to play,
place (button or drag), rename, star and delete.

The list draws what it is given (`show_takes`, from ui/takes/keeper.py) and asks for every change by a
signal: the sketch is the truth and each change an undoable edit, so the list never writes a name into
its own items; they are drawn again from the sketch.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from operator import itemgetter

from PySide6.QtCore import QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sketchpad.sketch import KeptTake
from sketchpad.ui.takes.star import star_icon
from sketchpad.ui.takes.take_list import TAKE_MIME, GroupRole, NameEditor, NameRole, TakeList, TakeRole
from sketchpad.workflow.takes import Take

Entry = tuple[KeptTake, Take]
ROW_MARGIN = 3  # pixels above and below a row's lines
MIN_LIST_WIDTH = 200
TAKE_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
              | Qt.ItemFlag.ItemIsEditable)


def regenerate_text(take: Take) -> str:
    """The menu's words for generating a take again: one seed draws all rows of a request together, so
    a variation comes back only by running its whole request again; say so."""
    row, rows = take.batch
    if rows > 1:
        return f"Generate #{row + 1} Again (runs all {rows} with seed {take.seed}, keeps this one)"
    return f"Generate Again (seed {take.seed})"


class TakesPanel(QWidget):
    selected = Signal(object)  # Take or None
    play_requested = Signal(object)
    stop_requested = Signal()
    add_requested = Signal(object)  # Take: add to the timeline
    rename_requested = Signal(str, str)  # take id, new name ("" for its label again)
    star_requested = Signal(str, bool)  # take id, starred
    delete_requested = Signal(str)  # take id
    regenerate_requested = Signal(object)  # Take: generate it again alone, from its seed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.takes: dict[str, Take] = {}  # by id, in the sketch's order
        self.kept: dict[str, KeptTake] = {}
        self._rows: list[tuple[str, object]] = []  # what the items show: ("group", n) or ("take", id)
        self._items: dict[str, QListWidgetItem] = {}  # take id -> its item
        self._headers: list[tuple[object, QListWidgetItem]] = []  # (request number, its header item)
        self._drawn: dict[object, object] = {}  # what each item was last drawn from: by take id, or header position
        self._counts: Counter[object] = Counter()
        self._layout: list[tuple[str, int]] = []  # (take id, request number) of what is shown, in order
        self._hiding = False  # whether "Starred only" hid items at the last pass
        self._stars = {starred: star_icon(starred) for starred in (False, True)}
        self.list = TakeList()
        self.list.setMinimumWidth(MIN_LIST_WIDTH)  # a take's name and how it was made stay readable
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.setAlternatingRowColors(True)
        # Every row a fixed height (a header one line, a take two, each elided; the tooltip has it all):
        # the list then lays out 20,000 takes without measuring each text, at every change of one.
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.names = NameEditor(self.list)
        self.names.renamed.connect(self.rename_requested)
        self.list.setItemDelegate(self.names)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.currentItemChanged.connect(lambda item, _old: self._current_changed())
        self.list.itemActivated.connect(self._play)  # Enter (a double-click renames)
        self.list.delete_pressed.connect(self._delete_current)
        # Icons, as in the transport: the panel must stay narrow enough for a 1024 px window.
        self.play_button, self.stop_button = QToolButton(), QToolButton()
        for button, text, icon in ((self.play_button, "Play", QStyle.StandardPixmap.SP_MediaPlay),
                                   (self.stop_button, "Stop", QStyle.StandardPixmap.SP_MediaStop)):
            button.setText(text)
            button.setIcon(self.style().standardIcon(icon))
        self.play_button.setToolTip("Play the selected take (Enter)")
        self.stop_button.setToolTip("Stop")
        self.add_button = QPushButton("Add to timeline")
        self.add_button.setToolTip("Place the take on the timeline (or drag it there)")
        self.star_button = QToolButton()
        self.star_button.setCheckable(True)
        self.star_button.setIcon(self._stars[True])
        self.star_button.setToolTip("Star the selected take (starred takes are marked in the list)")
        self.play_button.clicked.connect(lambda: self._play(self.list.currentItem()))
        self.stop_button.clicked.connect(self.stop_requested)
        self.add_button.clicked.connect(self._add_current)
        self.star_button.clicked.connect(self._star_current)
        self.starred_only = QCheckBox("Starred only")
        self.starred_only.setToolTip("Show only the starred takes")
        self.starred_only.toggled.connect(lambda _on: self._filter())
        buttons = QHBoxLayout()
        for button in (self.play_button, self.stop_button, self.add_button, self.star_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        title = QLabel("Takes")
        title.setStyleSheet("font-weight: 600;")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.starred_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # What is shown
    def show_takes(self, entries: list[Entry], *, fresh: bool = False) -> None:
        """Show these takes, in this order. The current take stays current (or its neighbour, when it
        went), unless `fresh` (another sketch): then none is. Only the items whose take changed are
        drawn again, so starring one of 20,000 takes costs a pass over them, not a redraw of each."""
        before, row = self.current, self.list.currentRow()
        self.takes = {kept.id: take for kept, take in entries}
        self.kept = {kept.id: kept for kept, _ in entries}
        layout = [(kept.id, kept.group) for kept in self.kept.values()]
        same = not fresh and layout == self._layout  # a rename or a star: the same rows, one of them drawn again
        blocked = self.list.blockSignals(True)  # one `selected` at the end, for the take current then
        try:
            if not same:
                self._counts = Counter(group for _, group in layout)  # once: each header asks its own
                rows: list[tuple[str, object]] = []
                for group, members in groupby(layout, key=itemgetter(1)):
                    rows += [("group", group), *(("take", take_id) for take_id, _ in members)]
                if fresh or rows[:len(self._rows)] != self._rows:
                    current = before.id if before is not None and not fresh else None
                    self._rebuild(rows, current, row)
                elif len(rows) > len(self._rows):  # takes arrived: added below, so a name being typed stays open
                    self._add_rows(rows[len(self._rows):])
                    self._rows = rows
                self._layout = layout
            self._draw_changed(headers=not same)
            self._filter()
        except BaseException:
            self._rows, self._layout = [], []  # half drawn: the next call builds the list again
            raise
        finally:  # a list left blocked would never react again
            self.list.blockSignals(blocked)
        self._update_buttons()
        if self.current is not before:
            self.selected.emit(self.current)

    def redraw(self, take_ids: tuple[str, ...]) -> bool:
        """Draw these takes again after their name or star changed (the rows stay as they are), in time
        independent of how many takes there are; False when one of them is not shown (show them all)."""
        if any(take_id not in self._items for take_id in take_ids):
            return False
        for take_id in take_ids:
            kept, take = self.kept[take_id], self.takes[take_id]
            self._drawn[take_id] = (kept.name, kept.starred, take)
            self._draw(self._items[take_id], kept, take)
        before = self.current
        if self.starred_only.isChecked():  # an unstarred take goes from view
            blocked = self.list.blockSignals(True)
            try:
                self._filter()
            finally:
                self.list.blockSignals(blocked)
        self._update_buttons()
        if self.current is not before:
            self.selected.emit(self.current)
        return True

    def _rebuild(self, rows: list[tuple[str, object]], current: str | None, row: int) -> None:
        scrolled = self.list.verticalScrollBar().value()
        self.list.clear()
        self._items, self._headers, self._drawn = {}, [], {}
        self._rows = rows
        self._add_rows(rows)
        rows_of = {value: index for index, (kind, value) in enumerate(rows) if kind == "take"}
        if current in rows_of:
            self.list.setCurrentRow(rows_of[current])
        elif current is not None and rows_of:  # it was deleted: the next take, or the one before
            after = [index for index in rows_of.values() if index >= row]
            self.list.setCurrentRow(after[0] if after else max(rows_of.values()))
        self.list.verticalScrollBar().setValue(scrolled)

    def _add_rows(self, rows: list[tuple[str, object]]) -> None:
        line, margin = self.list.fontMetrics().lineSpacing(), 2 * ROW_MARGIN
        header_size = QSize(0, line + margin)
        take_size = QSize(0, max(2 * line, self.list.iconSize().height()) + margin)
        take_flags = TAKE_FLAGS  # combined once: 20,000 rows
        for kind, value in rows:
            item = QListWidgetItem()
            if kind == "group":
                item.setSizeHint(header_size)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setForeground(Qt.GlobalColor.darkGray)
                item.setData(GroupRole, value)
                self._headers.append((value, item))
            else:
                item.setSizeHint(take_size)
                item.setData(TakeRole, value)
                item.setFlags(take_flags)
                self._items[str(value)] = item
            self.list.addItem(item)

    def _draw_changed(self, *, headers: bool) -> None:
        """Draw the items whose take (its name, star or result) or request count is not what they show."""
        drawn, kept_of, takes = self._drawn, self.kept, self.takes
        if headers:
            for position, (group, item) in enumerate(self._headers):
                count = self._counts.get(group, 0)
                if drawn.get(position) != count:
                    drawn[position] = count
                    item.setText(f"Request {group}: {count} take{'s' if count != 1 else ''}")
        for take_id, item in self._items.items():
            kept, take = kept_of[take_id], takes[take_id]
            shown = drawn.get(take_id)
            if shown is None or shown[0] != kept.name or shown[1] != kept.starred or shown[2] is not take:
                drawn[take_id] = (kept.name, kept.starred, take)
                self._draw(item, kept, take)

    def _draw(self, item: QListWidgetItem, kept: KeptTake, take: Take) -> None:
        text = take.describe(kept.name)
        item.setText(text)
        item.setData(NameRole, kept.name)
        item.setIcon(self._stars[kept.starred])
        item.setToolTip(f"{text}\n{'Starred. ' if kept.starred else ''}"
                        "F2 or double-click renames; right-click for more.")

    def _filter(self) -> None:
        """"Starred only" hides the other takes, and the headers of requests with none starred. With it
        off and nothing hidden, there is nothing to do (no pass over every item)."""
        only = self.starred_only.isChecked()
        if not only and not self._hiding:
            return
        self._hiding = only
        header: QListWidgetItem | None = None
        shown_in_group = False
        for index in range(self.list.count()):
            item = self.list.item(index)
            take_id = item.data(TakeRole)
            if take_id is None:
                if header is not None:
                    header.setHidden(not shown_in_group)
                header, shown_in_group = item, False
                continue
            hidden = only and not self.kept[take_id].starred
            item.setHidden(hidden)
            shown_in_group |= not hidden
        if header is not None:
            header.setHidden(not shown_in_group)
        current = self.list.currentItem()
        if current is not None and current.isHidden():
            visible = [self.list.item(i) for i in range(self.list.count())
                       if self.list.item(i).data(TakeRole) is not None and not self.list.item(i).isHidden()]
            if visible:
                self.list.setCurrentItem(visible[0])
            else:
                self.list.setCurrentRow(-1)

    # The current take
    @property
    def current(self) -> Take | None:
        return self._take_of(self.list.currentItem())

    def select(self, take: Take) -> None:
        """Make `take` current and bring it into view (new takes show even under "Starred only")."""
        item = self._items.get(take.id)
        if item is not None:
            if item.isHidden():
                self.starred_only.setChecked(False)
            self.list.setCurrentItem(item)
            self.list.scrollToItem(item)

    @property
    def renaming(self) -> bool:
        """Whether a take's name field is open."""
        return self.list.state() == QAbstractItemView.State.EditingState

    def rename(self, take: Take | None = None) -> None:
        """Open the name field over a take (the current one by default), as F2 does."""
        take = take or self.current
        if take is not None:
            self.select(take)
            self.list.editItem(self.list.currentItem())

    def _take_of(self, item: QListWidgetItem | None) -> Take | None:
        if item is None or item.data(TakeRole) is None:
            return None
        return self.takes.get(str(item.data(TakeRole)))

    def _current_changed(self) -> None:
        self._update_buttons()
        self.selected.emit(self.current)

    def _play(self, item: QListWidgetItem | None) -> None:
        take = self._take_of(item)
        if take is not None:
            self.play_requested.emit(take)

    def _add_current(self) -> None:
        if self.current is not None:
            self.add_requested.emit(self.current)

    def _star_current(self) -> None:
        take = self.current
        if take is not None:
            self.star_requested.emit(take.id, not self.kept[take.id].starred)
        self._update_buttons()  # the button shows the sketch, whatever the click did to it

    def _delete_current(self) -> None:
        if self.current is not None:
            self.delete_requested.emit(self.current.id)

    def _update_buttons(self) -> None:
        take = self.current
        for button in (self.play_button, self.add_button, self.star_button):
            button.setEnabled(take is not None)
        self.star_button.setChecked(take is not None and self.kept[take.id].starred)

    # The context menu
    def menu_for(self, item: QListWidgetItem) -> QMenu | None:
        """Play, add, rename, star and delete the take under the pointer (it becomes current)."""
        take = self._take_of(item)
        if take is None:
            return None
        self.list.setCurrentItem(item)
        starred = self.kept[take.id].starred
        menu = QMenu(self.list)
        menu.addAction("Play", lambda: self.play_requested.emit(take))
        menu.addAction("Add to timeline", lambda: self.add_requested.emit(take))
        again = menu.addAction(regenerate_text(take), lambda: self.regenerate_requested.emit(take))
        again.setEnabled(take.reproducible)
        if not take.reproducible:
            again.setToolTip("Made from a melody, a continuation or a generation cut short: its audio is not kept")
        menu.addSeparator()
        menu.addAction("Rename…", lambda: self.rename(take)).setShortcut("F2")
        menu.addAction(self._stars[not starred], "Unstar" if starred else "Star",
                       lambda: self.star_requested.emit(take.id, not starred))
        menu.addAction("Delete take", lambda: self.delete_requested.emit(take.id)).setShortcut("Del")
        return menu

    def _show_menu(self, position: QPoint) -> None:
        menu = self.menu_for(self.list.itemAt(position))
        if menu is not None:
            menu.exec(self.list.viewport().mapToGlobal(position))
            menu.deleteLater()

    def take_ids_from(self, data: QMimeData) -> list[Take]:
        raw = bytes(data.data(TAKE_MIME)).decode()
        return [self.takes[part] for part in raw.split(",") if part in self.takes]
