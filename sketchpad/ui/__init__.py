"""The Qt user interface. pyqtgraph is told to use PySide6 before anything imports it."""

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
