"""The open sketch and its undo stack; opening, saving, autosave, recovery and export."""
