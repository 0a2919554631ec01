"""Every command of the window, under one name each (`MainAction`, as picard names its actions): the
window's own, and those other parts own (undo and redo, the timeline's edits, the decoder switch, the
transport). Menus and tests take them from here."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Key = QKeySequence.StandardKey
Shortcut = Key | str | Qt.Key


class MainAction(StrEnum):
    """Every action's name. A StrEnum, so a name read from elsewhere (a test, a driver) finds its action,
    while a name that is not here is refused when registered or asked for."""

    # the window's own (WINDOW_COMMANDS)
    NEW = "new"
    OPEN = "open"
    SAVE = "save"
    SAVE_AS = "save_as"
    IMPORT_AUDIO = "import_audio"
    IMPORT_MELODY = "import_melody"
    EXPORT = "export"
    PREFERENCES = "preferences"
    QUIT = "quit"
    GENERATE = "generate"
    CANCEL = "cancel"
    UNLOAD = "unload"
    RESTART_ENGINE = "restart_engine"
    STOP = "stop"
    REWIND = "rewind"
    ABOUT = "about"
    # the document's history
    UNDO = "undo"
    REDO = "redo"
    # the timeline's
    SPLIT = "split"
    DUPLICATE = "duplicate"
    DELETE = "delete"
    SELECT_ALL = "select_all"
    COPY = "copy"
    CUT = "cut"
    PASTE = "paste"
    RENAME_CLIP = "rename_clip"
    ADD_TRACK = "add_track"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    ZOOM_FIT = "zoom_fit"
    SNAP = "snap"
    # the decoder switch's
    TOGGLE_DECODER = "toggle_decoder"
    DECODER_ENCODEC = "decoder:encodec"
    DECODER_MBD = "decoder:mbd"
    # stems and muting clips
    SPLIT_STEMS = "split_stems"
    TOGGLE_CLIP_MUTE = "toggle_clip_mute"
    # the transport's
    PLAY_PAUSE = "play_pause"
    LOOP = "loop"
    METRONOME = "metronome"

    @classmethod
    def play_with(cls, decoder: str) -> MainAction:
        """The action that plays the selected clips with `decoder` (core.decoders' names)."""
        return cls(f"decoder:{decoder}")


# name: (text, shortcuts). The window connects each to its slot.
WINDOW_COMMANDS: dict[MainAction, tuple[str, tuple[Shortcut, ...]]] = {
    MainAction.NEW: ("New", (Key.New,)),
    MainAction.OPEN: ("Open…", (Key.Open,)),
    MainAction.SAVE: ("Save", (Key.Save,)),
    MainAction.SAVE_AS: ("Save As…", ("Ctrl+Shift+S",)),
    MainAction.IMPORT_AUDIO: ("Import Audio…", ("Ctrl+I",)),
    MainAction.IMPORT_MELODY: ("Import Melody…", ()),
    MainAction.EXPORT: ("Export…", ("Ctrl+E",)),
    MainAction.PREFERENCES: ("Preferences…", (Key.Preferences,)),
    MainAction.QUIT: ("Quit", (Key.Quit,)),
    MainAction.GENERATE: ("Generate", ("Ctrl+Return", "Ctrl+Enter")),
    MainAction.CANCEL: ("Cancel", (Qt.Key.Key_Escape,)),
    MainAction.UNLOAD: ("Unload Model (Free Memory)", ()),
    MainAction.RESTART_ENGINE: ("Restart Engine", ()),
    MainAction.STOP: ("Stop", ()),
    MainAction.REWIND: ("Return to Start", ()),
    MainAction.ABOUT: ("About Sketchpad", ()),
}


class Actions:
    """The window's actions by name; the window's own shortcuts work wherever focus is in it."""

    def __init__(self, window: QWidget, slots: dict[MainAction, Callable[[], object]]) -> None:
        self.window = window
        self._by_name: dict[MainAction, QAction] = {}
        for name, (text, shortcuts) in WINDOW_COMMANDS.items():
            action = QAction(text, window)
            action.setShortcuts([QKeySequence(key) for key in shortcuts])
            action.triggered.connect(lambda _checked=False, slot=slots[name]: slot())
            self.add(name, action, window_shortcut=True)

    def add(self, name: MainAction, action: QAction, *, window_shortcut: bool = False) -> QAction:
        """Register an action once (another part's keeps the shortcut scope its owner gave it, unless
        `window_shortcut`: then the window listens for it wherever focus is)."""
        name = MainAction(name)  # ValueError for a name MainAction does not hold
        if name in self._by_name:
            raise ValueError(f"the action {name.value!r} is registered already")
        self._by_name[name] = action
        if window_shortcut:
            self.window.addAction(action)
        return action

    def __getitem__(self, name: MainAction | str) -> QAction:
        return self._by_name[MainAction(name)]

    def __contains__(self, name: MainAction | str) -> bool:
        return name in self._by_name

    def names(self) -> list[MainAction]:
        return list(self._by_name)
