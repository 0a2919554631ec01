"""Recording a take: the audio callback only queues copies; a writer thread streams them to disk."""

from __future__ import annotations

import enum
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sounddevice as sd

from sketchpad.audio import devices
from sketchpad.audio.levels import Level, LevelFeed
from sketchpad.audio.take_file import TakeFile
from sketchpad.core.write_errors import explain

CHECKPOINT_SECONDS = 0.5  # at most this much audio is lost if the app dies mid-take
STALL_SECONDS = 2.0  # no block for this long while recording: the device has gone


class TakeEnd(enum.StrEnum):
    STOPPED = "stopped"
    MAX_LENGTH = "max_length"
    CANCELLED = "cancelled"
    DEVICE_LOST = "device_lost"
    WRITE_FAILED = "write_failed"


@dataclass(frozen=True)
class TakeResult:
    path: Path | None  # None when cancelled or nothing was captured
    frames: int
    sample_rate: int
    channels: int
    overflows: int
    ended: TakeEnd
    message: str

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


_END = object()  # queued when the stream has finished, for whatever reason


class Recorder:
    """One take from one input device into `path` (a float WAV). Use start(), then stop() or cancel().

    start() raises AudioDeviceError when there is no input device or it refuses the rate. Problems after
    that (device vanished, disk full) end the take, keep what reached the disk, and are told in the result.
    """

    def __init__(self, path: str | Path, *, device: devices.Device = None, sample_rate: int | None = None,
                 channels: int = 1, max_seconds: float = 600.0, block_frames: int = 1024) -> None:
        self.path = Path(path)
        self.device = devices.resolve(device, "input")
        if sample_rate is None:
            self.sample_rate = devices.pick_rate(self.device, "input", channels, None)
        else:
            devices.check_rate(self.device, "input", channels, sample_rate)
            self.sample_rate = int(sample_rate)
        self.channels = channels
        self.max_frames = int(max_seconds * self.sample_rate)
        self.block_frames = block_frames
        self.levels = LevelFeed()
        self.overflows = 0
        self.frames_captured = 0  # written by the audio callback only
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._ending: TakeEnd | None = None  # set by stop()/cancel() before the stream is stopped
        self._result: TakeResult | None = None
        self._done = threading.Event()
        self._take: TakeFile | None = None
        self._stream: sd.InputStream | None = None
        self._writer: threading.Thread | None = None

    @property
    def level(self) -> Level:
        return self.levels.latest

    @property
    def frames_on_disk(self) -> int:
        return self._take.frames_on_disk if self._take else 0

    @property
    def is_recording(self) -> bool:
        return self._stream is not None and not self._done.is_set()

    def start(self) -> None:
        if self._stream is not None:
            raise RuntimeError("a Recorder records one take; make a new one for the next")
        self._take = TakeFile(self.path, self.sample_rate, self.channels)
        try:
            self._stream = sd.InputStream(device=self.device.index, samplerate=self.sample_rate,
                                          channels=self.channels, dtype="float32", blocksize=self.block_frames,
                                          callback=self._callback, finished_callback=self._finished)
            self._writer = threading.Thread(target=self._write_loop, name="take-writer", daemon=True)
            self._writer.start()
            self._stream.start()
        except sd.PortAudioError as exc:
            self._take.discard()
            self._stream = None
            raise devices.AudioDeviceError(f"{self.device.name} could not start recording: {exc}") from exc

    def _callback(self, indata: np.ndarray, frames: int, time_info: object, status: sd.CallbackFlags) -> None:
        # Runs on PortAudio's thread: count, copy, queue. Nothing here waits or touches the disk.
        if status.input_overflow:
            self.overflows += 1
        room = self.max_frames - self.frames_captured
        block = indata[:room].copy() if frames > room else indata.copy()
        self.frames_captured += len(block)
        self._queue.put(block)
        if self.frames_captured >= self.max_frames:
            raise sd.CallbackStop

    def _finished(self) -> None:
        self._queue.put(_END)

    def _write_loop(self) -> None:
        take = self._take
        assert take is not None
        every = max(1, int(CHECKPOINT_SECONDS * self.sample_rate))
        failure: str | None = None
        lost = False
        while True:
            try:
                item = self._queue.get(timeout=STALL_SECONDS)
            except queue.Empty:
                if lost or self._ending is not None:
                    break  # PortAudio never reported the end; do not wait for it forever
                lost = True
                self._abort_stream()
                continue
            if item is _END:
                break
            if failure is not None:
                continue  # keep draining so the callback's queue does not grow; the take is already over
            block = item  # type: ignore[assignment]
            self.levels.publish(block)
            try:
                take.write(block)
                if take.frames - take.frames_on_disk >= every:
                    take.checkpoint()
            except (OSError, RuntimeError) as exc:
                why = explain(exc, take.path)
                failure = f"writing the take stopped after {take.frames / self.sample_rate:.1f} s: {why}"
                self._abort_stream()
        self._result = self._conclude(take, failure, lost)
        self._done.set()

    def _conclude(self, take: TakeFile, failure: str | None, lost: bool) -> TakeResult:
        if self._ending is TakeEnd.CANCELLED:
            take.discard()
            return self._make(None, TakeEnd.CANCELLED, "the take was cancelled and deleted")
        try:
            take.finish()
        except (OSError, RuntimeError) as exc:
            failure = failure or f"finishing the take failed: {explain(exc, take.path)}"
        seconds = f"{take.frames_on_disk / self.sample_rate:.1f} s"
        if take.frames_on_disk == 0:
            take.discard()
            return self._make(None, TakeEnd.DEVICE_LOST if lost else TakeEnd.STOPPED, "nothing was recorded")
        if failure is not None:
            return self._make(take.path, TakeEnd.WRITE_FAILED, f"{failure}; kept {seconds}")
        if self._ending is TakeEnd.STOPPED:
            return self._make(take.path, TakeEnd.STOPPED, f"recorded {seconds}")
        if self.frames_captured >= self.max_frames:
            return self._make(take.path, TakeEnd.MAX_LENGTH, f"reached the maximum length; kept {seconds}")
        return self._make(take.path, TakeEnd.DEVICE_LOST,
                          f"the input device {self.device.name!r} stopped delivering audio; kept {seconds}")

    def _make(self, path: Path | None, ended: TakeEnd, message: str) -> TakeResult:
        frames = self._take.frames_on_disk if self._take is not None and path is not None else 0
        return TakeResult(path=path, frames=frames, sample_rate=self.sample_rate,
                          channels=self.channels, overflows=self.overflows, ended=ended, message=message)

    def _abort_stream(self) -> None:
        stream = self._stream
        if stream is not None:
            try:
                stream.abort()
            except sd.PortAudioError:
                self._queue.put(_END)  # PortAudio had already lost it; make sure the writer still ends

    def wait(self, timeout: float | None = None) -> TakeResult | None:
        """Block until the take ends on its own (max length, device lost); None if `timeout` passes first."""
        if not self._done.wait(timeout):
            return None
        self._close_stream()
        return self._result

    def stop(self) -> TakeResult:
        return self._end(TakeEnd.STOPPED)

    def cancel(self) -> TakeResult:
        return self._end(TakeEnd.CANCELLED)

    def _end(self, how: TakeEnd) -> TakeResult:
        if self._stream is None:
            raise RuntimeError("the recorder was never started")
        if not self._done.is_set():
            self._ending = how
            try:
                self._stream.stop()
            except sd.PortAudioError:
                self._queue.put(_END)
        elif how is TakeEnd.CANCELLED and self._result is not None and self._result.path is not None:
            self._result.path.unlink(missing_ok=True)
            self._result = self._make(None, TakeEnd.CANCELLED, "the take was cancelled and deleted")
        self._done.wait()
        self._close_stream()
        assert self._result is not None
        return self._result

    def _close_stream(self) -> None:
        if self._writer is not None:
            self._writer.join()
        if self._stream is not None and not self._stream.closed:
            self._stream.close(ignore_errors=True)
