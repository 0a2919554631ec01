"""The take being generated, seen and heard before it is finished.

The engine decodes the tokens made so far in pieces (engine/partial_audio.py); the first take's pieces
are copied into a buffer of the take's full length, which the waveform shows as it grows. Listening
plays what exists so far; where that ends (a CPU generates slower than real time), the player stops
and waits at the edge, and goes on from there when the next piece lands, instead of running on into
silence. While it plays, it is given the longer audio shortly before it would run out, and the waveform's
playhead follows it. When the take is done and kept, what is playing goes on as that take (`pass_to`),
so the takes list's Stop and the waveform's playhead go on working.

Every take of the request is gathered (the engine decodes them together). If the generation fails
part-way (the engine crashed or was killed), what had arrived is offered as partial takes
(`interrupted`): a composer may like those seconds. A cancelled generation keeps nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from sketchpad.core import decoders
from sketchpad.engine.request import GenerationRequest, GenerationResult
from sketchpad.ui.common.engine_service import EngineService, Generated, PartialTake
from sketchpad.ui.common.jobs import JobHandle
from sketchpad.ui.common.playback import Playback
from sketchpad.ui.takes.waveform_panel import WaveformPanel

REFILL_S = 0.5  # while playing, the player is handed the longer audio once less than this is left
AT_EDGE_S = 0.05  # a stop this close to the end of what it was given is the edge, not the person's Stop


def partial_results(request: GenerationRequest, audio: np.ndarray, sample_rate: int) -> list[GenerationResult]:
    """What a generation cut short had made: one result per take, `audio` [takes, channels, samples] as far
    as it arrived, marked partial, with the request's settings (no tokens: they never reached the window)."""
    seconds = audio.shape[2] / sample_rate
    return [GenerationResult(
        audio=np.ascontiguousarray(audio[index]), tokens=np.zeros((0, 0), dtype=np.int32), sample_rate=sample_rate,
        params={"model": request.model, "prompt": prompt, "batch_prompts": list(request.prompts),
                "batch_index": index, "duration": request.duration, "top_k": request.top_k, "top_p": request.top_p,
                "temperature": request.temperature, "cfg_coef": request.cfg_coef, "seed": request.seed,
                "melody": None, "continuation": request.continuation.describe() if request.continuation else None,
                "decoder": decoders.ENCODEC, "sample_rate": sample_rate, "channels": int(audio.shape[1]),
                "partial": True, "partial_seconds": round(seconds, 3)})
        for index, prompt in enumerate(request.prompts)]


class LiveTake(QObject):
    changed = Signal()  # more audio exists (or the live take ended)
    interrupted = Signal(object)  # list of GenerationResult: the partial takes of a generation that failed

    def __init__(self, service: EngineService, playback: Playback, waveform: WaveformPanel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.playback, self.waveform = playback, waveform
        self.job: JobHandle | None = None
        self.request: GenerationRequest | None = None
        self.buffers: np.ndarray | None = None  # every take of the request, [takes, channels, samples]
        self.row = 0  # the take shown and heard (a variation generated again is not the first)
        self.rate = 0
        self.available = 0  # samples of the take that exist, from its start
        self.complete = False
        self.duration = 0.0
        self.waits = 0  # times the player reached the edge and waited (for tests and the curious)
        self._listening = False
        self._given = 0  # samples the player was handed
        self._heard = 0.0  # the player's last position, seconds
        self._waiting = False
        self.service, self._following = service, True
        service.generation_started.connect(self.follow)
        waveform.listen_requested.connect(self.play)
        playback.position.connect(self._position)
        playback.state_changed.connect(self._state)
        self.changed.connect(self._show)

    def detach(self) -> None:
        """Stop following the engine, which may outlive this window (a shared engine)."""
        if self._following:  # a window may be closed twice
            self._following = False
            self.service.generation_started.disconnect(self.follow)
            self._end()

    @property
    def buffer(self) -> np.ndarray | None:
        """The take shown and heard, [channels, samples] of its full length."""
        return None if self.buffers is None else self.buffers[min(self.row, self.buffers.shape[0] - 1)]

    @property
    def heard_seconds(self) -> float:
        """Where the player last was in the take."""
        return self._heard

    @property
    def seconds_ready(self) -> float:
        return self.available / self.rate if self.rate else 0.0

    def follow(self, job: JobHandle, request: GenerationRequest) -> None:
        self._end()
        self.job, self.request, self.duration, self.row = job, request, request.duration, 0
        job.partial.connect(lambda piece: self._piece(job, piece))
        job.result.connect(lambda generated: self._done(job, generated))
        job.error.connect(lambda *_: self._failed(job))
        job.cancelled.connect(lambda: self._end(job))

    def play(self) -> bool:
        """Play the take from its start, as far as it exists; False when nothing exists yet."""
        if self.buffer is None or not self.available:
            return False
        self._listening = True
        return self._hand_over(0.0)

    def _hand_over(self, at: float) -> bool:
        assert self.buffer is not None
        self._given, self._waiting = self.available, False
        return self.playback.play(np.ascontiguousarray(self.buffer[:, :self._given]), self.rate, start=at, source=self)

    def _piece(self, job: JobHandle, piece: PartialTake) -> None:
        if job is not self.job or not piece.sample_rate:
            return
        if self.buffers is None:
            self.rate = piece.sample_rate
            takes, channels = piece.audio.shape[:2]
            self.buffers = np.zeros((takes, channels, int(round(self.duration * self.rate))), dtype=np.float32)
        self._fill(piece.audio, piece.start)

    def _done(self, job: JobHandle, generated: Generated) -> None:
        if job is not self.job:
            return
        finals = np.stack([result.audio for result in generated.results])
        self.rate = generated.results[0].sample_rate
        if self.buffers is None or self.buffers.shape != finals.shape:
            self.buffers = np.zeros_like(finals)
        self.complete = True
        self._fill(finals, 0)  # the whole takes, exactly as they will be kept
        self.available, self.job = self.buffers.shape[2], None

    def _fill(self, audio: np.ndarray, start: int) -> None:
        """`audio` [takes, channels, samples] from sample `start` of every take."""
        assert self.buffers is not None
        end = min(start + audio.shape[2], self.buffers.shape[2])
        if end > start:
            takes, channels = self.buffers.shape[:2]
            self.buffers[:, :, start:end] = audio[:takes, :channels, :end - start]
            self.available = max(self.available, end)
        self.changed.emit()
        self._top_up()

    def _position(self, seconds: float) -> None:
        if self.playback.source is self:
            self._heard = seconds
            if self.waveform.take is None and self.waveform.view is not None:
                self.waveform.view.set_playhead(seconds)  # the live take is the one shown
            self._top_up()

    def pass_to(self, take: object, audio: np.ndarray, sample_rate: int) -> bool:
        """The take is done and kept as `take`: if it is being listened to, go on playing it as that take,
        from where the player is, so what is shown and what is heard stay one (True if it was heard)."""
        if self.playback.source is not self or not self._listening:
            return False
        self._listening = self._waiting = False
        return self.playback.play(audio, sample_rate, start=self._heard, source=take)

    def _top_up(self) -> None:
        """Hand the player the longer audio: at once when it waits at the edge, else shortly before it
        would reach the end of what it has."""
        if not self._listening or self.available <= self._given:
            return
        if self._waiting:
            self._hand_over(self._given / self.rate)
        elif self.playback.source is self and self._given / self.rate - self._heard < REFILL_S:
            self._hand_over(self._heard)

    def _state(self, state: str) -> None:
        if state != "stopped" or not self._listening or self._waiting:
            return
        at_edge = self._heard >= self._given / self.rate - AT_EDGE_S
        if at_edge and self._given < (self.buffer.shape[1] if self.buffer is not None else 0) and not (
                self.complete and self._given >= self.available):
            self._waiting = True
            self.waits += 1
            if self.available > self._given:
                self._hand_over(self._given / self.rate)
        else:
            self._listening = False  # the take played to its end, or the person pressed Stop

    def _show(self) -> None:
        if self.buffer is None:
            self.waveform.show_live(None, 0, "")
        elif not self.complete:
            self.waveform.show_live(self.buffer[:, :self.available], self.rate,
                                    f"Generating: {self.seconds_ready:.1f} of {self.duration:g} s ready")

    def _failed(self, job: JobHandle) -> None:
        """The generation failed part-way: what had arrived becomes partial takes, then the live take ends."""
        if job is not self.job:
            return
        kept = None
        if self.buffers is not None and self.available and self.request is not None:
            kept = partial_results(self.request, self.buffers[:, :, :self.available], self.rate)
        self._end(job)
        if kept:
            self.interrupted.emit(kept)

    def _end(self, job: JobHandle | None = None) -> None:
        if job is not None and job is not self.job:
            return
        self._listening = self._waiting = False
        if self.playback.source is self and not self.complete:
            self.playback.stop()
        self.job, self.buffers, self.available, self.complete = None, None, 0, False
        self.changed.emit()
