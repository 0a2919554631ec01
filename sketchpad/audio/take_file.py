"""The file a take streams into, kept readable on disk at every checkpoint in case the app dies."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import numpy as np
import soundfile as sf

from sketchpad.core.durable import fsync_folder

_UPDATE_HEADER_NOW = 0x1060  # libsndfile's SFC_UPDATE_HEADER_NOW: rewrite the length fields in place


class TakeFile:
    """A float WAV written block by block; `checkpoint()` makes everything so far readable after a crash."""

    def __init__(self, path: Path, sample_rate: int, channels: int) -> None:
        self.path = Path(path)
        self.frames = 0
        self.frames_on_disk = 0
        # Float keeps the mic's samples exactly; WAV is read by everything, including after a crash.
        self._file = sf.SoundFile(self.path, "w", samplerate=sample_rate, channels=channels,
                                  subtype="FLOAT", format="WAV")
        self.checkpoint()
        fsync_folder(self.path.parent)  # so the take's name survives a power cut, not only its data

    def write(self, block: np.ndarray) -> None:
        self._file.write(block)
        self.frames += len(block)

    def checkpoint(self) -> None:
        """Update the header's lengths, then flush and fsync, so a reader sees every frame written so far."""
        sf._snd.sf_command(self._file._file, _UPDATE_HEADER_NOW, sf._ffi.NULL, 0)
        self._file.flush()  # libsndfile's sf_write_sync: its buffers out, then fsync
        self.frames_on_disk = self.frames

    def finish(self) -> None:
        self._file.close()
        with open(self.path, "rb+") as handle:
            os.fsync(handle.fileno())
        self.frames_on_disk = self.frames

    def discard(self) -> None:
        with contextlib.suppress(Exception):
            self._file.close()
        with contextlib.suppress(OSError):
            self.path.unlink()
