"""The menu bar, laid out from the window's actions by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu, QMenuBar

from sketchpad.ui.window.actions import Actions

RECENT = "recent"  # the place of File > Open Recent, a submenu filled when it opens
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("&File", ("new", "open", RECENT, "save", "save_as", None, "import_audio", "import_melody", "export", None,
               "preferences", None, "quit")),
    ("&Edit", ("undo", "redo", None, "cut", "copy", "paste", "select_all", None, "rename_clip", "split",
               "duplicate", "delete", "add_track", None, "toggle_decoder", "decoder:encodec", "decoder:mbd")),
    ("&View", ("zoom_in", "zoom_out", "zoom_fit")),
    ("&Play", ("play_pause", "stop", "rewind", None, "loop", "metronome", "snap")),
    ("&Generate", ("generate", "cancel", None, "unload", "restart_engine")),
    ("&Help", ("about",)),
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
