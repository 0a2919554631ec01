"""The main window's arrangement of panels: idea, waveform and takes on top; the arrangement below.

Top: the idea panel (its settings scroll, Generate stays pinned), the waveform of the selected take,
the takes list. Bottom, full width: the transport bar and decoder switch (one line, or two when
narrow) over the timeline, the stereo view beside it. Every division is a splitter whose sides can be
dragged, and collapsed, so the window fits a 1024×768 screen; the window keeps where they were (`splitters`, by name).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from sketchpad.ui.common.fitting import FoldingRow

STEREO_WIDTH = 280


@dataclass(frozen=True)
class Layout:
    central: QWidget
    splitters: dict[str, QSplitter]  # "top", "arrangement", "main": their state is remembered


def _splitter(orientation: Qt.Orientation, *widgets: QWidget, name: str) -> QSplitter:
    splitter = QSplitter(orientation)
    splitter.setObjectName(name)
    splitter.setChildrenCollapsible(True)
    for widget in widgets:
        splitter.addWidget(widget)
    return splitter


def build_layout(*, banner: QWidget, idea: QWidget, waveform: QWidget, takes: QWidget, transport: QWidget,
                 decoder_switch: QWidget, timeline: QWidget, stereo: QWidget) -> Layout:
    top = _splitter(Qt.Orientation.Horizontal, idea, waveform, takes, name="top")
    top.setStretchFactor(1, 3)  # a narrower window takes most from the waveform, some from the takes
    top.setStretchFactor(2, 1)
    top.setCollapsible(1, False)  # the waveform shrinks; the idea panel and the takes may fold away
    top.setSizes([350, 700, 310])

    controls = FoldingRow(transport, decoder_switch)  # one line, or two in a narrow window
    arrangement = _splitter(Qt.Orientation.Horizontal, timeline, stereo, name="arrangement")
    arrangement.setStretchFactor(0, 1)
    arrangement.setCollapsible(0, False)
    arrangement.setSizes([1000, STEREO_WIDTH])
    lower = QWidget()
    column = QVBoxLayout(lower)
    column.setContentsMargins(0, 4, 0, 0)
    column.setSpacing(2)
    column.addWidget(controls)
    column.addWidget(arrangement, 1)

    main = _splitter(Qt.Orientation.Vertical, top, lower, name="main")
    main.setStretchFactor(1, 1)
    main.setSizes([380, 420])
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(8, 8, 8, 4)
    layout.addWidget(banner)
    layout.addWidget(main, 1)
    return Layout(central, {"top": top, "arrangement": arrangement, "main": main})
