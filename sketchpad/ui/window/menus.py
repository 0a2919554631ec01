"""The menu bar, laid out from the window's actions by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu, QMenuBar

from sketchpad.ui.window.actions import Actions
from sketchpad.ui.window.actions import MainAction as A

RECENT = "recent"  # the place of File > Open Recent, a submenu filled when it opens
MENUS: tuple[tuple[str, tuple[A | str | None, ...]], ...] = (
    ("&File", (A.NEW, A.OPEN, RECENT, A.SAVE, A.SAVE_AS, None, A.IMPORT_AUDIO, A.IMPORT_MELODY, A.EXPORT, None,
               A.PREFERENCES, None, A.QUIT)),
    ("&Edit", (A.UNDO, A.REDO, None, A.CUT, A.COPY, A.PASTE, A.SELECT_ALL, None, A.RENAME_CLIP, A.SPLIT,
               A.DUPLICATE, A.DELETE, A.TOGGLE_CLIP_MUTE, A.ADD_TRACK, None, A.TOGGLE_DECODER, A.DECODER_ENCODEC,
               A.DECODER_MBD, None, A.SPLIT_STEMS)),
    ("&View", (A.ZOOM_IN, A.ZOOM_OUT, A.ZOOM_FIT)),
    ("&Play", (A.PLAY_PAUSE, A.STOP, A.REWIND, None, A.LOOP, A.METRONOME, A.SNAP)),
    ("&Generate", (A.GENERATE, A.CANCEL, None, A.UNLOAD, A.RESTART_ENGINE)),
    ("&Help", (A.ABOUT,)),
)


def build_menus(bar: QMenuBar, actions: Actions, recent_files: Callable[[], list[str]],
                open_path: Callable[[str], object]) -> QMenu:
    """Fill `bar`; returns the Open Recent submenu."""
    recent = QMenu("Open Recent", bar)
    recent.aboutToShow.connect(lambda: fill_recent(recent, recent_files(), open_path))
    for title, names in MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name is None:
                menu.addSeparator()
            elif name == RECENT:
                menu.addMenu(recent)
            else:
                menu.addAction(actions[name])
    return recent


def fill_recent(menu: QMenu, recent: list[str], open_path: Callable[[str], object]) -> None:
    menu.clear()
    for path in recent:
        action = menu.addAction(Path(path).name, lambda path=path: open_path(path))
        action.setToolTip(path)
        action.setEnabled(Path(path).exists())
    if not recent:
        menu.addAction("No recent sketches").setEnabled(False)
