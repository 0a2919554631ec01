"""How long a request will take on this computer, from how fast each model generated here before.

The engine reports the wall time of each generation (model loading excluded). Kept per model in
QSettings as seconds of work per second of audio per take, so a 4-minute idea is announced as
"about 6 min" before Generate is pressed. Batched variations cost less than that on a GPU, so the
estimate errs long there; windowed extension past 30 s costs about the same per second as the first
window, which the linear figure matches.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSettings

from sketchpad.ui.common import preferences as stored

SMOOTHING = 0.5  # weight of the newest measurement: a new device or a busier machine shows within two runs
SHORTEST_MEASURED = 0.5  # seconds of audio: shorter requests are mostly fixed costs, not a pace


def describe(seconds: float) -> str:
    """"about 40 s", "about 3 min", "about 1 h 20 min": rounded as a person would say it."""
    if seconds < 55:
        return f"about {max(5, int(5 * round(seconds / 5)))} s"
    minutes = seconds / 60
    if minutes < 59.5:
        return f"about {max(1, round(minutes))} min"
    hours, rest = divmod(round(minutes), 60)
    return f"about {hours} h {rest} min" if rest else f"about {hours} h"


class SpeedBook:
    """Seconds per second of audio per take, by model, read from and written to QSettings."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings
        self.speeds = stored.load_speeds(settings)

    def record(self, model: str, duration: float, takes: int, seconds: float) -> None:
        audio = duration * max(takes, 1)
        if duration < SHORTEST_MEASURED or not math.isfinite(seconds) or seconds <= 0:
            return
        pace = seconds / audio
        previous = self.speeds.get(model)
        self.speeds[model] = pace if previous is None else SMOOTHING * pace + (1 - SMOOTHING) * previous
        stored.save_speeds(self.settings, self.speeds)

    def seconds_for(self, model: str, duration: float, takes: int) -> float | None:
        """The expected wall time of a request, or None before this model has generated here."""
        pace = self.speeds.get(model)
        return None if pace is None else pace * duration * max(takes, 1)

    def text_for(self, model: str, duration: float, takes: int) -> str:
        """"About 3 min on this computer", or "" when there is nothing measured to go by."""
        seconds = self.seconds_for(model, duration, takes)
        return "" if seconds is None else f"{describe(seconds).capitalize()} on this computer"
