"""sketchpad.audio stays below the UI and beside the engine: no Qt, no torch, no sibling internals."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import sketchpad.audio


def test_audio_imports_neither_qt_nor_torch_nor_siblings() -> None:
    modules = [f"sketchpad.audio.{m.name}" for m in pkgutil.iter_modules(sketchpad.audio.__path__)]
    assert len(modules) >= 10
    script = "\n".join([*(f"import {m}" for m in modules), "import sys",
                        "print(' '.join(sorted(sys.modules)))"])
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                check=True).stdout.split())
    forbidden = {"torch", "PySide6", "audiocraft", "sketchpad.ui", "sketchpad.engine", "sketchpad.sketch"}
    assert not {name for name in loaded if name.split(".")[0] in forbidden or name in forbidden
                or any(name.startswith(f + ".") for f in forbidden)}
