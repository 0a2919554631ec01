"""The arrangement timeline: tracks as rows, clips as blocks, a ruler, and every edit undoable."""

from sketchpad.ui.arrangement.timeline.widget import Timeline

__all__ = ["Timeline"]
