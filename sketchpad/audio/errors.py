"""The audio layer's exceptions, each with a message a person can read as it is."""

from __future__ import annotations


class AudioFileError(ValueError):
    """A file could not be used as audio; str() is one line naming the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class AudioDeviceError(RuntimeError):
    """No usable device, or a device refused the settings (rate, channels)."""


class SilentTakeError(ValueError):
    """A melody take holds nothing above the silence threshold, so there is nothing to condition on."""
