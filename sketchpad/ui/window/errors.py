"""Errors never vanish: an inline banner for expected failures, a dialog and the log for the rest."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from sketchpad.ui.common.fitting import wrap_anywhere, wrapping_label
from sketchpad.ui.common.paths import write_log

log = logging.getLogger("sketchpad")


class Banner(QWidget):
    """A strip above the content that shows the latest problem (or notice) until closed, or until what
    caused it is put right (`clear(cause)`: another model chosen, the engine ready again).

    The text wraps, also inside long paths, so no message makes the window wider than the screen."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = wrapping_label(QLabel())
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()  # a message's one-click answer, when it offers one
        self.action_button.hide()
        self.action_button.clicked.connect(self._act)
        self._action: Callable[[], object] | None = None
        close = QPushButton("Dismiss")
        close.setFlat(True)
        close.clicked.connect(self.dismiss)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self.kind = ""
        self.cause = ""
        self._text = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error", cause: str = "",
                     action: tuple[str, Callable[[], object]] | None = None) -> None:
        """`cause`: what the message is about ("model", "engine", "network"...), for `clear`; `action`: a
        button's text and what it does (the message goes once it is done)."""
        self.kind, self.cause, self._text = kind, cause, text
        self._action = None if action is None else action[1]
        self.action_button.setText("" if action is None else action[0])
        self.action_button.setVisible(action is not None)
        colours = {"error": ("#fde8e8", "#8a1c1c"), "info": ("#e8f1fd", "#1c3f8a")}
        back, fore = colours.get(kind, colours["info"])
        self.setStyleSheet(f"#banner {{ background: {back}; border-radius: 4px; }} QLabel {{ color: {fore}; }}")
        self.label.setText(wrap_anywhere(text))
        self.show()

    def clear(self, *causes: str) -> None:
        """Dismiss the message if it is about one of `causes` (its cause has been put right)."""
        if self.isVisible() and self.cause and self.cause in causes:
            self.dismiss()

    def _act(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()

    def dismiss(self) -> None:
        self._action = None
        self.action_button.hide()
        self.hide()
        self.label.clear()
        self.kind, self.cause, self._text = "", "", ""
        self.closed.emit()

    @property
    def text(self) -> str:
        return self._text if self.isVisible() else ""


def in_words(error: BaseException) -> str:
    """An exception for a person: a system error as its reason and file ("No space left on device:
    /x/take.wav"), not Python's "[Errno 28] ..."; anything else as its own message."""
    if isinstance(error, OSError) and error.strerror:
        names = [str(name) for name in (error.filename, error.filename2) if name]
        return f"{error.strerror}: {' → '.join(names)}" if names else error.strerror
    return str(error) or type(error).__name__


class ExceptionHook:
    """sys.excepthook for the GUI: log the traceback to the data folder and tell the person."""

    def __init__(self, parent_finder: Callable[[], QWidget | None]) -> None:
        self._parent_finder = parent_finder
        self._previous = sys.excepthook
        self.dialogs: list[QMessageBox] = []
        self.last_message = ""

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def __call__(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        log.error("unhandled exception\n%s", details)
        try:
            path = write_log("unhandled exception", details)
            where = f"\n\nThe details were saved to {path}."
        except OSError as write_error:
            # In words, not "[Errno 28] ...": the reason, and the file when the system names it.
            name = f" {write_error.filename}" if write_error.filename else ""
            why = (write_error.strerror or "the system refused").lower()
            where = f"\n\n(The error log{name} could not be written: {why}.)"
        self.last_message = f"Something went wrong: {in_words(error)}{where}"
        box = QMessageBox(QMessageBox.Icon.Critical, "Sketchpad: unexpected error", self.last_message,
                          QMessageBox.StandardButton.Ok, self._parent_finder())
        box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.finished.connect(lambda _result, shown=box: self.dialogs.remove(shown) if shown in self.dialogs else None)
        self.dialogs.append(box)
        box.open()  # not exec(): a modal loop inside a failing slot could re-enter it
