"""GUI-thread gaps while the tiny model generates a 30 s take on the engine's worker thread.

A 10 ms QTimer on the GUI thread records the time between its ticks for the whole generation (model
already loaded, as after a first take); any gap well above 10 ms is a moment the window would freeze.
Prints `ui_max_gap_ms` and `ui_p99_gap_ms`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tiny import offline_world, tiny_model  # noqa: E402

DURATION_S = 30.0


def main() -> None:
    world = offline_world()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = str(world / "xdg")
    folder = tiny_model(world)

    import numpy as np
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from sketchpad.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(world / "settings.ini"), QSettings.Format.IniFormat),
                        engine_factory=_cpu_or_auto_engine)
    window.show()
    window.start_engine()
    window.idea.models.select(str(folder))
    window.idea.prompt.setPlainText("warm lofi piano")

    def run(duration: float) -> None:
        window.idea.duration.setValue(duration)
        done = []
        window.generation.takes_ready.connect(lambda *_: done.append(True))
        window.generation.problem.connect(lambda message: sys.exit(f"generation failed: {message}"))
        window.generation.generate()
        while not done:
            app.processEvents()
            time.sleep(0.001)

    run(1.0)  # engine up, model loaded
    clock, gaps = QElapsedTimer(), []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: (gaps.append(clock.nsecsElapsed() / 1e6), clock.restart()))
    clock.start()
    timer.start()
    began = time.perf_counter()
    finished = []
    window.generation.takes_ready.connect(lambda *_: finished.append(True))
    window.idea.duration.setValue(DURATION_S)
    window.generation.generate()
    while not finished:
        app.processEvents()
        time.sleep(0.0005)
    timer.stop()
    spent = time.perf_counter() - began
    values = np.array(gaps[1:])

    print(f"# {len(values)} ticks over {spent:.1f} s of generation on {window.service.device_text}")
    print(f"ui_max_gap_ms: {values.max():.1f}")
    print(f"ui_p99_gap_ms: {np.percentile(values, 99):.1f}")
    window.close()


def _cpu_or_auto_engine():
    from sketchpad.engine.engine import Engine

    return Engine(os.environ.get("SKETCHPAD_DEVICE") or None, offline=True)


if __name__ == "__main__":
    main()
