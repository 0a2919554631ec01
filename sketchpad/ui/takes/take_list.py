"""The takes list's own widget: items that drag out as take ids, a Delete key, and a one-line name field
over a take's two lines (F2, double-click). It shows and asks; ui/takes/panel.py decides."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

TAKE_MIME = "application/x-sketchpad-take"
TakeRole = Qt.ItemDataRole.UserRole  # the take's id (a header has none)
NameRole = Qt.ItemDataRole.UserRole + 1  # its name, for the rename field
GroupRole = Qt.ItemDataRole.UserRole + 2  # a header's request number
NAME_CHARS = 120


class TakeList(QListWidget):
    """A list whose items drag out as take ids (for the timeline) and whose Delete key asks to delete."""

    delete_pressed = Signal()

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [TAKE_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # noqa: N802 - Qt override
        data = QMimeData()
        ids = [str(item.data(TakeRole)) for item in items if item.data(TakeRole) is not None]
        data.setData(TAKE_MIME, QByteArray(",".join(ids).encode()))
        return data

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class NameEditor(QStyledItemDelegate):
    """F2 or a double-click edits the take's name (one line over its item), not the item's two lines."""

    renamed = Signal(str, str)  # take id, the name typed

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setMaxLength(NAME_CHARS)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802 - Qt override
        assert isinstance(editor, QLineEdit)
        if editor.isModified():  # the item was redrawn (takes arrived) while a name is typed: keep it
            return
        editor.setText(str(index.data(NameRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: object, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QLineEdit)
        self.renamed.emit(str(index.data(TakeRole)), editor.text())  # to the sketch, as an undoable edit

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                             index: QModelIndex) -> None:
        rect = option.rect
        editor.setGeometry(rect.x(), rect.y(), rect.width(), editor.sizeHint().height())
