"""Drawing 10 minutes of stereo 32 kHz audio: first paint, then 20 zoom and scroll steps.

Prints `waveform_first_paint_ms` (set the audio and paint the view) and `waveform_step_ms` (the median
time of one zoom or scroll step, repaint included).
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

SECONDS = 600
RATE = 32000


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from sketchpad.ui.common.waveform import WaveformView

    rng = np.random.default_rng(0)
    t = np.arange(SECONDS * RATE) / RATE
    audio = np.stack([0.5 * np.sin(2 * np.pi * 220 * t) * np.sin(2 * np.pi * 0.1 * t),
                      0.3 * rng.standard_normal(t.size)]).astype(np.float32)
    view = WaveformView()
    view.resize(1400, 500)
    view.show()
    app.processEvents()

    began = time.perf_counter()
    view.set_audio(audio, RATE)
    view.repaint()
    app.processEvents()
    first = (time.perf_counter() - began) * 1000

    steps = []
    for index in range(20):
        began = time.perf_counter()
        if index < 8:
            view.zoom(1.6, 300.0)
        elif index < 16:
            view.scroll(0.3 if index % 2 else -0.2)
        else:
            view.zoom(1 / 2.5)
        view.repaint()
        app.processEvents()
        steps.append((time.perf_counter() - began) * 1000)
    print(f"# slowest step {max(steps):.1f} ms")
    print(f"waveform_first_paint_ms: {first:.0f}")
    print(f"waveform_step_ms: {statistics.median(steps):.1f}")


if __name__ == "__main__":
    main()
