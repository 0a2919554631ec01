"""Makes this repository's `tests` package importable from a driver file loaded by the app.

The repository is on sys.path already (the editable install), but after site-packages, where a
dependency (flashy) installs a top-level `tests` package of its own; ours must come first.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[3])
if ROOT in sys.path:
    sys.path.remove(ROOT)
sys.path.insert(0, ROOT)
if "tests" in sys.modules and not str(getattr(sys.modules["tests"], "__file__", "")).startswith(ROOT):
    del sys.modules["tests"]
