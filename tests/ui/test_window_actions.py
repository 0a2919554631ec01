"""Every action of the window is registered once, under a MainAction, and the menus are laid out from
those names alone."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from sketchpad.ui.window.actions import MainAction
from sketchpad.ui.window.menus import MENUS, RECENT


def test_every_action_is_registered_once_under_its_name_and_the_menus_use_only_those(window):
    assert set(window.actions.names()) == set(MainAction)
    menu_names = [name for _, names in MENUS for name in names if name not in (None, RECENT)]
    assert all(isinstance(name, MainAction) for name in menu_names) and len(menu_names) == len(set(menu_names))
    shown = {action for menu in window.menuBar().findChildren(QMenu) for action in menu.actions()}
    assert all(window.actions[name] in shown for name in menu_names)
    assert window.actions["undo"] is window.actions[MainAction.UNDO]  # a name read from elsewhere finds it
    with pytest.raises(ValueError, match="not_an_action"):
        window.actions["not_an_action"]
    with pytest.raises(ValueError, match="registered already"):
        window.actions.add(MainAction.SAVE, QAction("Save again", window))
