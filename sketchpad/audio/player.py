"""The live player: one output stream whose callback runs the transport over the current mix plan."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence

import numpy as np
import sounddevice as sd

from sketchpad.audio import devices
from sketchpad.audio.metronome import Click
from sketchpad.audio.mixer import PlacedBuffer, TrackMix, plan_mix
from sketchpad.audio.transport import Transport
from sketchpad.core.resample import resample

FADE_SECONDS = 0.005  # long enough to hide a click, short enough not to be heard as a fade
PREVIEW_TRACK = "__preview__"


class PlayerState(enum.StrEnum):
    NO_DEVICE = "no_device"  # nothing to play on; everything else still works, silently
    DEVICE_LOST = "device_lost"
    STOPPED = "stopped"
    PLAYING = "playing"
    PAUSED = "paused"


class Player:
    """Plays an arrangement of placed buffers, or previews one buffer, at `sample_rate`.

    Every method is for the GUI thread. open() never raises for a missing or refusing device: the
    state becomes NO_DEVICE and `message` says why.
    """

    def __init__(self, sample_rate: int, *, device: devices.Device = None, block_frames: int = 512) -> None:
        self.sample_rate = int(sample_rate)
        self.device_choice = device
        self.block_frames = block_frames
        self.transport = Transport(max_block=block_frames, fade_frames=int(FADE_SECONDS * sample_rate))
        self.message = "not opened"
        self._stream: sd.OutputStream | None = None
        self._lost = False
        self._closing = False
        self._buffers: tuple[PlacedBuffer, ...] = ()
        self._tracks: dict[str, TrackMix] = {}
        self._master_db = 0.0
        self._click: Click | None = None
        self._saved_position: int | None = None  # the arrangement's playhead while a preview plays

    def open(self) -> bool:
        """Open the output stream; False (and a message) when there is no usable output device."""
        if self._stream is not None:
            return True
        try:
            info = devices.resolve(self.device_choice, "output")
            channels = min(2, info.output_channels)
            devices.check_rate(info, "output", channels, self.sample_rate)
            stream = sd.OutputStream(device=info.index, samplerate=self.sample_rate, channels=channels,
                                     dtype="float32", blocksize=self.block_frames, callback=self._callback,
                                     finished_callback=self._finished)
            stream.start()
        except (devices.AudioDeviceError, sd.PortAudioError) as exc:
            self.message = f"no sound output: {exc}"
            return False
        self._stream, self._lost, self._closing = stream, False, False
        self.message = f"playing on {info.name} at {self.sample_rate} Hz"
        return True

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            self._closing = True
            stream.close(ignore_errors=True)

    def _callback(self, outdata: np.ndarray, frames: int, time_info: object, status: sd.CallbackFlags) -> None:
        if status.output_underflow:
            self.transport.underflows += 1
        self.transport.process(outdata)

    def _finished(self) -> None:
        if not self._closing:
            self._lost = True  # PortAudio ended the stream itself: the device went away

    @property
    def state(self) -> PlayerState:
        if self._lost:
            return PlayerState.DEVICE_LOST
        if self._stream is None:
            return PlayerState.NO_DEVICE
        return PlayerState(self.transport.state.value)

    @property
    def position(self) -> int:
        """The playhead in frames, as last advanced by the callback."""
        return self.transport.position

    @property
    def underflows(self) -> int:
        return self.transport.underflows

    def set_arrangement(self, buffers: Sequence[PlacedBuffer], tracks: Mapping[str, TrackMix],
                        master_gain_db: float = 0.0) -> None:
        self._buffers, self._tracks, self._master_db = tuple(buffers), dict(tracks), float(master_gain_db)
        self._republish()

    def set_master_gain(self, gain_db: float) -> None:
        """The master fader; heard from the next callback block."""
        self._master_db = float(gain_db)
        self._republish()

    def set_metronome(self, click: Click | None) -> None:
        """Click along with the arrangement (None: no click); silent while a take is previewed."""
        self._click = click
        if self._saved_position is None:
            self.transport.click = click

    def set_track(self, track: str, **changes: object) -> None:
        """Change gain_db, pan, mute or solo of one track; heard from the next callback block."""
        current = self._tracks.get(track, TrackMix())
        self._tracks[track] = dataclasses.replace(current, **changes)
        self._republish()

    def _republish(self) -> None:
        if self._saved_position is None:
            self.transport.plan = plan_mix(self._buffers, self._tracks, self._master_db)  # one atomic swap
            self.transport.click = self._click

    def preview(self, samples: np.ndarray, sample_rate: int | None = None) -> None:
        """Play one buffer (a clip or a melody take) from its start; play() afterwards resumes the sketch."""
        data = np.asarray(samples, dtype=np.float32)
        data = data[np.newaxis, :] if data.ndim == 1 else data[:2]
        if sample_rate is not None and sample_rate != self.sample_rate:
            data = resample(data, sample_rate, self.sample_rate)
        if self._saved_position is None:
            self._saved_position = self.transport.position
        self.transport.stop()
        self.transport.click = None  # a take is heard alone, without the arrangement's metronome
        self.transport.plan = plan_mix([PlacedBuffer(np.ascontiguousarray(data), 0, PREVIEW_TRACK)], {})
        self.transport.seek(0)
        self.transport.play()

    def play(self) -> None:
        if self._saved_position is not None:
            self._end_preview()
        self.transport.play()

    def pause(self) -> None:
        self.transport.pause()

    def stop(self) -> None:
        self.transport.stop()

    def seek(self, frame: int) -> None:
        if self._saved_position is not None:
            self._end_preview()
        self.transport.seek(frame)

    def set_loop(self, start: int, end: int) -> None:
        self.transport.set_loop(start, end)

    def clear_loop(self) -> None:
        self.transport.clear_loop()

    def _end_preview(self) -> None:
        position, self._saved_position = self._saved_position, None
        self.transport.stop()
        self._republish()
        self.transport.seek(position or 0)
