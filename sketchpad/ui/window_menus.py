"""The main window's menus and their shortcuts; each entry calls a controller or the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from sketchpad.ui import preferences as stored
from sketchpad.ui.about import show_about

if TYPE_CHECKING:
    from sketchpad.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    files = window.files
    file_menu = bar.addMenu("&File")
    file_menu.addAction("New", QKeySequence.StandardKey.New, files.new)
    file_menu.addAction("Open…", QKeySequence.StandardKey.Open, files.ask_open)
    window.recent_menu = file_menu.addMenu("Open Recent")
    window.recent_menu.aboutToShow.connect(lambda: fill_recent(window, window.recent_menu))
    window.save_action = file_menu.addAction("Save", QKeySequence.StandardKey.Save, files.save)
    file_menu.addAction("Save As…", QKeySequence("Ctrl+Shift+S"), files.save_as)
    file_menu.addSeparator()
    file_menu.addAction("Import Audio…", QKeySequence("Ctrl+I"), lambda: window.arrangement.ask_import(window))
    window.import_action = file_menu.addAction("Import Melody…", window.idea.melody._ask_file)
    window.export_action = file_menu.addAction("Export…", QKeySequence("Ctrl+E"), window.open_export)
    file_menu.addSeparator()
    window.preferences_action = file_menu.addAction("Preferences…", window.open_preferences)
    window.preferences_action.setShortcut(QKeySequence.StandardKey.Preferences)
    file_menu.addSeparator()
    file_menu.addAction("Quit", QKeySequence.StandardKey.Quit, window.close)

    edit_menu = bar.addMenu("&Edit")
    window.undo_action = window.document.undo_stack.createUndoAction(window, "Undo")
    window.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    window.redo_action = window.document.undo_stack.createRedoAction(window, "Redo")
    window.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
    edit_menu.addActions([window.undo_action, window.redo_action])
    edit_menu.addSeparator()
    timeline = window.timeline.actions_by_name
    edit_menu.addActions([timeline[name] for name in ("split", "duplicate", "delete", "add_track")])
    edit_menu.addSeparator()
    decoders = window.decoders
    edit_menu.addActions([decoders.toggle_action, *decoders.actions.values()])
    window.timeline.extra_clip_actions = [decoders.toggle_action, *decoders.actions.values()]
    window.addAction(decoders.toggle_action)

    view_menu = bar.addMenu("&View")
    view_menu.addActions([timeline[name] for name in ("zoom_in", "zoom_out", "zoom_fit")])
    play_menu = bar.addMenu("&Play")
    play_menu.addAction(window.transport.play_pause_action)
    play_menu.addAction("Stop", window.transport.stop_requested.emit)
    play_menu.addAction("Return to start", window.transport.rewind_requested.emit)

    make_menu = bar.addMenu("&Generate")
    window.generate_action = QAction("Generate", window, shortcut=QKeySequence("Ctrl+Return"))
    window.generate_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    window.generate_action.triggered.connect(window.generation.generate)
    window.cancel_action = QAction("Cancel", window, shortcut=QKeySequence(Qt.Key.Key_Escape), enabled=False)
    window.cancel_action.triggered.connect(window.generation.cancel)
    make_menu.addActions([window.generate_action, window.cancel_action])
    make_menu.addSeparator()
    window.unload_action = make_menu.addAction("Unload Model (Free Memory)", window.unload_models)
    window.restart_engine_action = make_menu.addAction("Restart Engine", window.service.restart)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction("About Sketchpad", lambda: show_about(window))


def fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    recent = stored.load_recent_files(window.settings)
    for path in recent:
        action = menu.addAction(Path(path).name, lambda path=path: window.files.open_path(path))
        action.setToolTip(path)
        action.setEnabled(Path(path).exists())
    if not recent:
        menu.addAction("No recent sketches").setEnabled(False)
