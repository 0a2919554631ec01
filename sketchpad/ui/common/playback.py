"""Listening: the audio layer's Player, opened on first use, with a playhead the GUI can follow."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from sketchpad.audio.player import Player, PlayerState

PLAYER_RATE = 32000  # MusicGen's rate; other rates are resampled by the player
PLAYHEAD_MS = 33


class Playback(QObject):
    position = Signal(float)  # seconds into what is playing
    state_changed = Signal(str)
    problem = Signal(str)

    def __init__(self, output_device: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.output_device = output_device
        self.player: Player | None = None
        self.source: object = None  # what is playing (a take), so a seek knows what to restart
        self._samples: np.ndarray | None = None
        self._rate = PLAYER_RATE
        self._offset = 0.0
        self._length = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(PLAYHEAD_MS)
        self._timer.timeout.connect(self._tick)

    def ensure_player(self) -> Player:
        """The player object, made (not opened) if needed, so an arrangement can be fed before any device opens."""
        if self.player is None:
            self.player = Player(PLAYER_RATE, device=self.output_device or None)
        return self.player

    def open_player(self) -> Player | None:
        return self._ensure_open()

    def _ensure_open(self) -> Player | None:
        self.ensure_player()
        if not self.player.open():
            self.problem.emit(f"Cannot play: {self.player.message}. Choose an output device in Preferences.")
            return None
        return self.player

    def play(self, samples: np.ndarray, sample_rate: int, *, start: float = 0.0, source: object = None) -> bool:
        """Play float32 [channels, frames] from `start` seconds; False (and a message) without a device."""
        player = self._ensure_open()
        if player is None:
            return False
        data = np.atleast_2d(np.asarray(samples, dtype=np.float32))
        first = min(int(start * sample_rate), max(data.shape[1] - 1, 0))
        self._samples, self._rate, self.source = data, sample_rate, source
        self._offset, self._length = first / sample_rate, data.shape[1] / sample_rate
        player.preview(data[:, first:], sample_rate)
        self._timer.start()
        self.state_changed.emit("playing")
        return True

    def seek(self, seconds: float) -> None:
        """Restart what is playing from `seconds`."""
        if self._samples is not None and self.is_playing:
            self.play(self._samples, self._rate, start=seconds, source=self.source)

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()
        self._timer.stop()
        self.source = None
        self.state_changed.emit("stopped")

    @property
    def is_playing(self) -> bool:
        return self.player is not None and self.player.state is PlayerState.PLAYING and self._timer.isActive()

    @property
    def seconds(self) -> float:
        if self.player is None:
            return 0.0
        return min(self._offset + self.player.position / self.player.sample_rate, self._length)

    def _tick(self) -> None:
        player = self.player
        if player is None:
            return
        self.position.emit(self.seconds)
        if player.state is PlayerState.DEVICE_LOST:
            self._timer.stop()
            self.problem.emit("The output device stopped; playback ended. Check the device in Preferences.")
        elif self.seconds >= self._length:
            self.stop()

    def set_output_device(self, device: str) -> None:
        if device != self.output_device:
            self.close()
            self.output_device = device

    def close(self) -> None:
        self._timer.stop()
        if self.player is not None:
            self.player.close()
            self.player = None
