"""Play, pause, stop, seek and loop around the mixer, as the audio callback runs them.

The GUI thread talks to the callback only through a deque of commands (append and popleft are atomic) and
by swapping references to immutable objects (the plan, the loop, the metronome's click). The callback
owns position and state; the GUI reads them. Nothing here takes a lock or allocates more than array views.
The click is added after the mix, at the timeline's positions (so it follows loops and seeks), and
before the start/stop ramps.
"""

from __future__ import annotations

import collections
import enum

import numpy as np

from sketchpad.audio.metronome import Click, add_clicks
from sketchpad.audio.mixer import EMPTY_PLAN, MixPlan, render
from sketchpad.core.mixlaw import fade_curve


class TransportState(enum.StrEnum):
    STOPPED = "stopped"
    PLAYING = "playing"
    PAUSED = "paused"


class Transport:
    def __init__(self, max_block: int, fade_frames: int) -> None:
        self.plan: MixPlan = EMPTY_PLAN
        self.loop: tuple[int, int] | None = None
        self.click: Click | None = None  # the metronome, when it is on
        self.state = TransportState.STOPPED
        self.position = 0
        self.underflows = 0
        self._commands: collections.deque[tuple[str, int]] = collections.deque()
        self._origin = 0  # where the last play began: stop returns there
        self._fade_in = fade_curve(fade_frames, fade_in=True)
        self._fade_out = fade_curve(fade_frames, fade_in=False)
        self._fade_index = -1  # >= 0 while a fade runs
        self._fading_in = False
        self._after_fade: tuple[str, int] | None = None  # what a fade-out leads to
        self._mix = np.zeros((2, max_block), dtype=np.float32)
        self._scratch = np.zeros(max_block, dtype=np.float32)
        self._envelope = np.ones(max_block, dtype=np.float32)

    # GUI side: each call queues one command the next callback applies, in order.
    def play(self) -> None:
        self._commands.append(("play", 0))

    def pause(self) -> None:
        self._commands.append(("pause", 0))

    def stop(self) -> None:
        self._commands.append(("stop", 0))

    def seek(self, frame: int) -> None:
        self._commands.append(("seek", max(0, int(frame))))

    def set_loop(self, start: int, end: int) -> None:
        if not 0 <= start < end:
            raise ValueError(f"a loop needs 0 <= start < end, got {start}..{end}")
        self.loop = (int(start), int(end))

    def clear_loop(self) -> None:
        self.loop = None

    # Callback side.
    def process(self, out: np.ndarray) -> None:
        """Fill `out` ([frames, channels], channels 1 or 2) with the next block."""
        while self._commands:
            self._apply(*self._commands.popleft())
        n = out.shape[0]
        mix = self._mix[:, :n]
        if self.state is not TransportState.PLAYING:
            out.fill(0.0)
            return
        self._render_block(mix)
        if self.state is TransportState.PLAYING and self._fade_index >= 0:
            self._apply_fade(mix)
        if out.shape[1] == 2:
            out[:] = mix.T
        else:  # a mono device hears both sides
            np.add(mix[0], mix[1], out=out[:, 0])
            out *= 0.5

    def _apply(self, command: str, frame: int) -> None:
        playing = self.state is TransportState.PLAYING
        if command == "play" and playing and self._after_fade is not None:
            self._start_fade(fading_in=True)  # a pause or stop still fading out: the later play wins
        elif command == "play" and not playing:
            if self.plan.end and self.position >= self.plan.end and self.loop is None:
                self.position = 0  # played to the end: play again from the top
            self._origin = self.position
            self.state = TransportState.PLAYING
            self._start_fade(fading_in=True)
        elif command in ("pause", "stop") and playing:
            self._start_fade(fading_in=False, then=(command, frame))
        elif command == "stop":
            self.state = TransportState.STOPPED
            self.position = self._origin
        elif command == "seek" and playing:
            self._start_fade(fading_in=False, then=("seek", frame))
        elif command == "seek":
            self.position = frame
            self._origin = frame

    def _start_fade(self, *, fading_in: bool, then: tuple[str, int] | None = None) -> None:
        self._fading_in = fading_in
        self._after_fade = then
        self._fade_index = 0

    def _render_block(self, mix: np.ndarray) -> None:
        n = mix.shape[1]
        done = 0
        click = self.click  # one reference for the whole block
        while done < n:
            want = n - done
            loop = self.loop
            if loop is not None and loop[0] <= self.position < loop[1]:
                want = min(want, loop[1] - self.position)
            render(self.plan, self.position, mix[:, done:done + want], self._scratch)
            if click is not None:
                add_clicks(click, self.position, mix[:, done:done + want])
            done += want
            self.position += want
            if loop is not None and self.position == loop[1]:
                self.position = loop[0]
        if self.loop is None and self.position >= self.plan.end:
            self._ran_off_end()

    def _ran_off_end(self) -> None:
        # The tail of this block is already silent, so there is nothing to fade.
        pending, self._after_fade, self._fade_index = self._after_fade, None, -1
        self.state = TransportState.STOPPED
        self.position = self.plan.end  # the playhead rests at the end, not past it
        if pending is not None and pending[0] == "seek":
            self.position = self._origin = pending[1]
        elif pending is not None and pending[0] == "stop":
            self.position = self._origin

    def _apply_fade(self, mix: np.ndarray) -> None:
        n = mix.shape[1]
        ramp = self._fade_in if self._fading_in else self._fade_out
        take = min(n, len(ramp) - self._fade_index)
        env = self._envelope[:n]
        env[:take] = ramp[self._fade_index:self._fade_index + take]
        env[take:] = 1.0 if self._fading_in else 0.0
        np.multiply(mix, env, out=mix)
        self._fade_index += take
        if self._fade_index < len(ramp):
            return
        self._fade_index = -1
        if self._after_fade is not None:
            command, frame = self._after_fade
            self._after_fade = None
            self._finish(command, frame, rendered=n - take)

    def _finish(self, command: str, frame: int, rendered: int) -> None:
        # The fade ended `rendered` frames before the block did; those were silenced, not heard.
        heard = max(0, self.position - rendered)
        if command == "pause":
            self.state = TransportState.PAUSED
            self.position = heard
        elif command == "stop":
            self.state = TransportState.STOPPED
            self.position = self._origin
        elif command == "seek":
            self.position = frame
            self._start_fade(fading_in=True)
