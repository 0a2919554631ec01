"""The tempo, metre and key of imported audio (sketchpad/audio/analysis.py), said after an import or a
melody import, and, for a sketch without a tempo, offered as one click that sets both (one undo step).

The analysis runs on the file thread (librosa takes a moment, and a few seconds the first time); an
offer about a sketch that has since got a tempo, or been replaced, is not made.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import numpy as np
from PySide6.QtCore import QObject, Signal

from sketchpad.audio.analysis import Analysis, analyse
from sketchpad.sketch import EditGroup, SetMetre, SetTempo
from sketchpad.ui.common.jobs import JobContext, JobQueue, Progress
from sketchpad.ui.files.document import SketchDocument

ANALYSED_SECONDS = 180.0  # the first three minutes say what a file's tempo and key are

Show = Callable[[str, tuple[str, Callable[[], object]] | None], None]


class TempoOffer(QObject):
    analysed = Signal(str, object)  # what was analysed (a file's name), Analysis

    def __init__(self, document: SketchDocument, jobs: JobQueue, show: Show, push: Callable[[object], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.jobs, self.show, self.push = document, jobs, show, push

    def look_at(self, name: str, samples: np.ndarray, sample_rate: int) -> None:
        """Analyse `samples` [channels, frames] in the background; then say what they hold."""
        head = samples[:, :int(ANALYSED_SECONDS * sample_rate)]

        def job(_context: JobContext) -> Generator[Progress, None, Analysis]:
            yield Progress(f"Listening for the tempo and key of {name}", 0, 1)
            return analyse(head, sample_rate)  # mixed to mono, then brought to the analysis rate, there

        sketch = self.document.sketch
        handle = self.jobs.submit(job)
        handle.result.connect(lambda found: self._found(name, found, sketch))

    def _found(self, name: str, found: Analysis, sketch: object) -> None:
        self.analysed.emit(name, found)
        if found.tempo is None and found.key is None:
            return
        parts = [f"{found.tempo:.1f} bpm" if found.tempo is not None else "",
                 f"in {found.metre}" if found.metre and found.tempo is not None else "",
                 found.key or ""]
        text = f"“{name}” sounds like " + ", ".join(part for part in parts if part) + "."
        offer = self.document.sketch is sketch and sketch.tempo is None and found.tempo is not None
        if not offer:
            self.show(text, None)
            return
        tempo = round(found.tempo, 1)
        metre = (found.beats_per_bar or 4, 4)
        self.show(f"{text} The sketch has no tempo yet.",
                  (f"Use {tempo:g} bpm, {metre[0]}/{metre[1]}", lambda: self._apply(sketch, tempo, metre, name)))

    def _apply(self, sketch: object, tempo: float, metre: tuple[int, int], name: str) -> None:
        if self.document.sketch is not sketch:
            return
        self.push(EditGroup([SetTempo(tempo), SetMetre(metre)], f"Tempo and metre of {name}"))
