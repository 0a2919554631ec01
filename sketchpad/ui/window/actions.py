"""Every command of the window, by name: the window's own, and those other parts own (undo and redo,
the timeline's edits, the decoder switch, the transport). Menus and tests take them from here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Key = QKeySequence.StandardKey
Shortcut = Key | str | Qt.Key

# name: (text, shortcuts). The window connects each to its slot.
WINDOW_COMMANDS: dict[str, tuple[str, tuple[Shortcut, ...]]] = {
    "new": ("New", (Key.New,)),
    "open": ("Open…", (Key.Open,)),
    "save": ("Save", (Key.Save,)),
    "save_as": ("Save As…", ("Ctrl+Shift+S",)),
    "import_audio": ("Import Audio…", ("Ctrl+I",)),
    "import_melody": ("Import Melody…", ()),
    "export": ("Export…", ("Ctrl+E",)),
    "preferences": ("Preferences…", (Key.Preferences,)),
    "quit": ("Quit", (Key.Quit,)),
    "generate": ("Generate", ("Ctrl+Return", "Ctrl+Enter")),
    "cancel": ("Cancel", (Qt.Key.Key_Escape,)),
    "unload": ("Unload Model (Free Memory)", ()),
    "restart_engine": ("Restart Engine", ()),
    "stop": ("Stop", ()),
    "rewind": ("Return to Start", ()),
    "about": ("About Sketchpad", ()),
}


class Actions:
    """The window's actions by name; the window's own shortcuts work wherever focus is in it."""

    def __init__(self, window: QWidget, slots: dict[str, Callable[[], object]]) -> None:
        self.window = window
        self._by_name: dict[str, QAction] = {}
        for name, (text, shortcuts) in WINDOW_COMMANDS.items():
            action = QAction(text, window)
            action.setShortcuts([QKeySequence(key) for key in shortcuts])
            action.triggered.connect(lambda _checked=False, slot=slots[name]: slot())
            self.add(name, action, window_shortcut=True)

    def add(self, name: str, action: QAction, *, window_shortcut: bool = False) -> QAction:
        """Register an action (another part's keeps the shortcut scope its owner gave it, unless
        `window_shortcut`: then the window listens for it wherever focus is)."""
        self._by_name[name] = action
        if window_shortcut:
            self.window.addAction(action)
        return action

    def __getitem__(self, name: str) -> QAction:
        return self._by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name
