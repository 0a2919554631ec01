"""The main window: its layout, its actions by name, menus, status bar, banner and dialogs."""
