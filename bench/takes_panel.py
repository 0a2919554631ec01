"""Open a sketch with 20,000 kept takes in the takes list, then star one; print how long each took.

    QT_QPA_PLATFORM=offscreen uv run python bench/takes_panel.py [--takes 20000] [--per-request 4] [--stars 10]

Prints `takes_open_ms` (the open sketch replaced by one with that many kept takes, through the keeper that
the window uses, to the end of the list's first paint) and `takes_star_ms` (the median of starring a take
as the star button does: the undoable edit, the list drawn again and painted), with
`takes_star_worst_ms`. Targets: open <= 1000 ms, star <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

RATE = 32000


def build(count: int, per_request: int):
    from sketchpad.sketch import ClipMedia, KeptTake, Sketch

    audio = np.zeros((1, 64), np.float32)
    tokens = np.zeros((4, 1), np.int64)
    takes = []
    for index in range(count):
        media = ClipMedia(RATE, {"encodec": audio}, origin="generated", tokens=tokens, model="bench",
                          params={"prompt": f"idea {index // per_request}", "seed": index, "decoder": "encodec"})
        takes.append(KeptTake(media, name=f"Take {index % per_request + 1}/{per_request}",
                              group=index // per_request + 1, variation=index % per_request, variations=per_request))
    return Sketch(sample_rate=RATE, title="bench", takes=takes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--takes", type=int, default=20_000)
    parser.add_argument("--per-request", type=int, default=4)
    parser.add_argument("--stars", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from sketchpad.ui.files.document import SketchDocument
    from sketchpad.ui.takes.keeper import TakeKeeper
    from sketchpad.ui.takes.panel import TakesPanel

    app = QApplication.instance() or QApplication([])
    document = SketchDocument()
    panel = TakesPanel()
    panel.resize(360, 800)
    panel.show()
    keeper = TakeKeeper(document, panel)
    app.processEvents()
    sketch = build(args.takes, args.per_request)

    began = time.perf_counter()
    document.replace(sketch)
    app.processEvents()
    panel.list.viewport().repaint()
    open_ms = (time.perf_counter() - began) * 1000

    stars = []
    rng = np.random.default_rng(0)
    for take_id in rng.choice([take.id for take in sketch.takes], args.stars, replace=False):
        panel.select(panel.takes[str(take_id)])
        app.processEvents()
        began = time.perf_counter()
        panel.star_button.click()
        app.processEvents()
        panel.list.viewport().repaint()
        stars.append((time.perf_counter() - began) * 1000)
        assert document.sketch.takes[[t.id for t in document.sketch.takes].index(str(take_id))].starred
    print(f"takes: {len(document.sketch.takes)} in {len(document.sketch.takes) // args.per_request} requests")
    print(f"takes_open_ms: {open_ms:.1f}")
    print(f"takes_star_ms: {statistics.median(stars):.1f}")
    print(f"takes_star_worst_ms: {max(stars):.1f}")
    keeper.detach()


if __name__ == "__main__":
    main()
