"""The arrangement timeline: tracks as rows, clips as blocks, a ruler, and every edit undoable."""

from sketchpad.ui.timeline.widget import Timeline

__all__ = ["Timeline"]
