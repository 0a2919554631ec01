"""What "fits the screen" means, checked on a real window: the window keeps the size it was given, no
widget lies outside it or outside its parent (content scrolled inside a scroll area excepted), and a
widget that must be seen is wholly visible. Shared by the offscreen tests and the real X window run
under Xvfb (tests/ui/xvfb_fit.py)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


def _scrolled(widget: QWidget) -> bool:
    """Inside a scroll area's viewport: its content may lie beyond the view by design."""
    parent = widget.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return True
        parent = area
    return False


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__}{'#' + widget.objectName() if widget.objectName() else ''}" \
           f"{' ' + repr(str(text)[:30]) if text else ''}"


def widgets_outside(window: QWidget) -> list[str]:
    """Every shown widget that reaches beyond the window or beyond its own parent, described."""
    bounds = window.rect()
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or _scrolled(widget):
            continue
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        parent = widget.parentWidget()
        if not bounds.contains(rect):
            found.append(f"{_name(widget)} at {rect.getRect()} beyond the window {bounds.getRect()}")
        elif parent is not None and parent is not window and not _within(widget, parent):
            found.append(f"{_name(widget)} at {widget.geometry().getRect()} beyond its parent {_name(parent)} "
                         f"{parent.rect().getRect()}")
    return found


def _within(widget: QWidget, parent: QWidget) -> bool:
    # Qt places a toolbar's » button one pixel past the toolbar's edge; nothing is lost by that.
    slack = 1 if widget.objectName().startswith("qt_") else 0
    return parent.rect().adjusted(0, 0, slack, slack).contains(widget.geometry())


def wholly_visible(widget: QWidget) -> bool:
    """Shown, not clipped by a parent (a scroll area's viewport, a splitter) nor covered by a sibling."""
    return widget.isVisible() and widget.width() > 0 and widget.visibleRegion().boundingRect() == widget.rect() \
        and widget.visibleRegion().rectCount() == 1
