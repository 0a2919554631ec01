"""The main window's arrangement of panels: idea, waveform and takes on top; the arrangement below.

Top: the idea panel (scrolling), the waveform of the selected take, the takes list. Bottom, full
width: the transport bar and decoder switch over the timeline, the stereo view beside it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QSplitter, QVBoxLayout, QWidget

STEREO_WIDTH = 280


def build_layout(*, banner: QWidget, idea: QWidget, waveform: QWidget, takes: QWidget, transport: QWidget,
                 decoder_switch: QWidget, timeline: QWidget, stereo: QWidget) -> QWidget:
    scroll = QScrollArea()
    scroll.setWidget(idea)
    scroll.setWidgetResizable(True)
    scroll.setMinimumWidth(340)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    top = QSplitter(Qt.Orientation.Horizontal)
    for widget in (scroll, waveform, takes):
        top.addWidget(widget)
    top.setStretchFactor(1, 1)
    top.setSizes([360, 620, 380])

    controls = QHBoxLayout()
    controls.setContentsMargins(0, 0, 0, 0)
    controls.addWidget(transport, 1)
    separator = QFrame()
    separator.setFrameShape(QFrame.Shape.VLine)
    controls.addWidget(separator)
    controls.addWidget(decoder_switch, 1)
    arrangement = QSplitter(Qt.Orientation.Horizontal)
    arrangement.addWidget(timeline)
    arrangement.addWidget(stereo)
    arrangement.setStretchFactor(0, 1)
    arrangement.setSizes([1000, STEREO_WIDTH])
    lower = QWidget()
    column = QVBoxLayout(lower)
    column.setContentsMargins(0, 4, 0, 0)
    column.setSpacing(2)
    column.addLayout(controls)
    column.addWidget(arrangement, 1)

    main = QSplitter(Qt.Orientation.Vertical)
    main.addWidget(top)
    main.addWidget(lower)
    main.setStretchFactor(1, 1)
    main.setSizes([380, 420])
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(8, 8, 8, 4)
    layout.addWidget(banner)
    layout.addWidget(main, 1)
    return central
