"""The arrangement heard through the player: fed from the sketch, track settings live, playhead and meters,
the master fader and the metronome.

Clip and track-list changes re-feed the player once per turn of the event loop (a drag of 200 steps
renders once per step at most, and only the clips that changed); gain, pan, mute and solo go straight
to `Player.set_track`, and the master fader to `Player.set_master_gain`, so they are heard from the next
audio block without a restart. The metronome clicks at the sketch's tempo and metre while it is on
(and there is a tempo); tempo and metre changes are heard from the next block too. The meters are
rendered here, on the GUI thread, by the same pure mixer function the audio callback runs, over the
frames the player advanced since the last tick: what is shown is what was played, and the callback
is left alone.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from sketchpad.audio.metronome import Click, make_click
from sketchpad.audio.mixer import MixPlan, PlacedBuffer, is_audible, plan_mix, render
from sketchpad.audio.player import PlayerState
from sketchpad.sketch import Change, ChangeKind, Sketch
from sketchpad.ui.arrangement.feed import ArrangementFeed
from sketchpad.ui.common.playback import PLAYER_RATE, Playback
from sketchpad.ui.files.document import SketchDocument

TICK_MS = 33
METER_MAX_FRAMES = 8192  # after a stall or a seek, meter only the latest stretch


class ArrangementPlayback(QObject):
    position = Signal(int)  # the playhead in frames
    playing_changed = Signal(bool)
    meters = Signal(object, object)  # master [2, n], {track id: [2, n]}: what was just played
    problem = Signal(str)

    def __init__(self, document: SketchDocument, playback: Playback, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.playback = document, playback
        self.sketch: Sketch | None = None
        self.frame = 0
        self.playing = False
        self.loop_enabled = False
        self.metronome = False
        self._click: Click | None = None
        self._click_key: tuple[float, int] | None = None
        self._feed = ArrangementFeed()
        self._buffers: list[PlacedBuffer] = []
        self._track_plans: dict[str, MixPlan] = {}
        self._fed: object = None  # the player object last fed: a new one (new output device) is fed again
        self._preview = False  # the player is previewing a take: its position is not the arrangement's
        self._refeed = QTimer(self, singleShot=True, interval=0)
        self._refeed.timeout.connect(self.feed)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        playback.state_changed.connect(self._preview_state)
        document.replaced.connect(self._rebind)
        document.follow(self._changed)
        self._rebind()

    # Following the document
    def _rebind(self) -> None:
        self.sketch = self.document.sketch
        self._feed.clear()
        self.stop()
        self.seek(0)
        self.feed()
        self._apply_loop()
        self._apply_metronome()

    def detach(self) -> None:
        self._timer.stop()
        self.document.unfollow(self._changed)

    def _changed(self, change: Change) -> None:
        if change.what is ChangeKind.TRACK:
            self._retune(change.track_ids)
        elif change.what is ChangeKind.SKETCH:  # loop, tempo, metre, master gain, title
            self._apply_loop()
            self._apply_metronome()
            self.playback.ensure_player().set_master_gain(self.sketch.master_gain_db)
        else:
            self._refeed.start()

    def _retune(self, track_ids: tuple[str, ...]) -> None:
        player = self.playback.ensure_player()
        for track_id in track_ids:
            track = self.sketch.track(track_id)
            player.set_track(track_id, gain_db=track.gain_db, pan=track.pan, mute=track.mute, solo=track.solo)
        self._plan_tracks()

    @property
    def buffers(self) -> list[PlacedBuffer]:
        """The clips the player was last fed, rendered as heard and placed."""
        return self._buffers

    def feed(self) -> None:
        """Render what changed and hand the whole arrangement to the player."""
        self._refeed.stop()
        player = self.playback.ensure_player()
        self._buffers = self._feed.feed(player, self.sketch)
        player.set_metronome(self._click)  # a new player (another output device) clicks as the old did
        self._fed = player
        self._plan_tracks()

    def _plan_tracks(self) -> None:
        mixes = self._feed.mixes(self.sketch)
        soloing = any(mix.solo for mix in mixes.values())
        self._track_plans = {
            track_id: plan_mix([b for b in self._buffers if b.track == track_id], {track_id: mix})
            for track_id, mix in mixes.items() if is_audible(mix, soloing)
        }

    # Transport
    def set_loop_enabled(self, enabled: bool) -> None:
        self.loop_enabled = enabled
        self._apply_loop()

    def set_metronome(self, enabled: bool) -> None:
        self.metronome = enabled
        self._apply_metronome()

    def _apply_metronome(self) -> None:
        sketch = self.sketch
        on = self.metronome and sketch.tempo is not None and sketch.sample_rate == PLAYER_RATE
        key = (sketch.tempo, sketch.metre[0]) if on else None
        if key != self._click_key:  # a master fader drag is a sketch change too: no new click for it
            self._click_key = key
            self._click = make_click(PLAYER_RATE, sketch.tempo, sketch.metre[0]) if on else None
        self.playback.ensure_player().set_metronome(self._click)

    def _apply_loop(self) -> None:
        player = self.playback.ensure_player()
        if self.loop_enabled and self.sketch.loop is not None:
            player.set_loop(*self.sketch.loop)
        else:
            player.clear_loop()

    def play(self) -> bool:
        if self.sketch.sample_rate != PLAYER_RATE:
            self.problem.emit(f"This sketch is at {self.sketch.sample_rate} Hz; the player plays {PLAYER_RATE} Hz.")
            return False
        self.playback.stop()  # a take preview gives way to the arrangement
        player = self.playback.open_player()
        if player is None:
            return False
        if self._fed is not player or self._refeed.isActive():
            self.feed()
        self._preview = False
        player.seek(self.frame)
        player.play()
        self._timer.start()
        return True

    def pause(self) -> None:
        if self.playback.player is not None and not self._preview:
            self.playback.player.pause()

    def stop(self) -> None:
        if self.playback.player is not None and not self._preview:
            self.playback.player.stop()

    def seek(self, frame: int) -> None:
        self.frame = max(0, int(frame))
        player = self.playback.player
        if player is not None and not self._preview:
            player.seek(self.frame)
        self.position.emit(self.frame)

    # Following the player
    def _preview_state(self, state: str) -> None:
        if state == "playing":
            self._preview = True
            self._set_playing(False)

    def _tick(self) -> None:
        player = self.playback.player
        if player is None or self._preview:
            self._set_playing(False)
            return
        playing = player.state is PlayerState.PLAYING
        frame = player.position
        if playing and frame != self.frame:
            self._meter(self.frame, frame)
        if frame != self.frame:
            self.frame = frame
            self.position.emit(frame)
        self._set_playing(playing)
        if player.state in (PlayerState.DEVICE_LOST, PlayerState.NO_DEVICE):
            self._timer.stop()
            self.problem.emit("The output device stopped; playback ended. Check the device in Preferences.")

    def _set_playing(self, playing: bool) -> None:
        if playing != self.playing:
            self.playing = playing
            self.playing_changed.emit(playing)

    def _meter(self, before: int, now: int) -> None:
        start = before if 0 < now - before <= METER_MAX_FRAMES else max(0, now - 1024)
        frames = now - start
        if frames <= 0:
            return
        scratch = np.empty(frames, dtype=np.float32)
        master = np.empty((2, frames), dtype=np.float32)
        render(self.playback.player.transport.plan, start, master, scratch)
        tracks = {}
        for track_id, plan in self._track_plans.items():
            tracks[track_id] = np.empty((2, frames), dtype=np.float32)
            render(plan, start, tracks[track_id], scratch)
        self.meters.emit(master, tracks)

