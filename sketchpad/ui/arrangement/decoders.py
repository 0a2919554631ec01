"""Decoder A/B for generated clips: decode the stored tokens with the other decoder in the background,
keep the result, and switch the clip to it as one undoable step.

The decode runs as an engine job (the engine owns the models), so playback and editing go on; the
audio lands through AttachDecoderAudio + SetClipDecoder. Decoded audio is also kept here by media,
decoder and MBD source, so switching back after an undo never decodes twice.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from sketchpad.core import decoders
from sketchpad.sketch import AttachDecoderAudio, Clip, Edit, SetClipDecoder, one_step
from sketchpad.ui.arrangement.decoder_switch import DecoderSwitch
from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.common.engine_service import EngineService
from sketchpad.ui.common.jobs import JobHandle
from sketchpad.ui.common.preferences import Preferences
from sketchpad.ui.files.document import SketchDocument


class DecoderController(QObject):
    problem = Signal(str)
    switched = Signal(str, str)  # clip id, decoder now played

    def __init__(self, document: SketchDocument, timeline: Timeline, service: EngineService, switch: DecoderSwitch,
                 preferences: Callable[[], Preferences], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.timeline, self.service, self.switch = document, timeline, service, switch
        self.preferences = preferences
        self.unavailable: str | None = None  # why MBD could not be loaded, once known
        self._cache: dict[tuple[str, str, str], np.ndarray] = {}  # (media id, decoder, mbd source): audio
        self._decoding: dict[tuple[str, str, str], JobHandle] = {}  # (media id, decoder, mbd source): job
        self.toggle_action = QAction("Toggle decoder A/B", self)
        self.toggle_action.setShortcut(QKeySequence(Qt.Key.Key_B))
        self.toggle_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.toggle_action.triggered.connect(self.toggle_selected)
        self.actions = {name: QAction(f"Play with {label}", self) for name, label in decoders.LABELS.items()}
        for name, action in self.actions.items():
            action.triggered.connect(lambda _checked=False, name=name: self.switch_selected(name))
        switch.chosen.connect(self.switch_selected)
        timeline.selection_changed.connect(self._show_selection)

    def selected_clip(self) -> Clip | None:
        ids = self.timeline.selected_clip_ids()
        return self.document.sketch.clip(ids[0]) if len(ids) == 1 else None

    def _show_selection(self) -> None:
        clip = self.selected_clip()
        self.switch.show_clip(clip)
        if clip is not None and clip.media.origin == "generated":
            self.switch.set_note(self.unavailable or f"Playing {decoders.label(clip.decoder)}")

    def toggle_selected(self) -> None:
        for clip_id in self.timeline.selected_clip_ids():
            clip = self.document.sketch.clip(clip_id)
            if clip.media.tokens is not None:
                self.switch_clip(clip_id, decoders.other(clip.decoder))

    def switch_selected(self, decoder: str) -> None:
        for clip_id in self.timeline.selected_clip_ids():
            self.switch_clip(clip_id, decoder)

    def apply_default(self, clip_id: str) -> None:
        """A newly placed generated clip plays the decoder chosen in the preferences."""
        default = self.preferences().default_decoder
        if default != self.document.sketch.clip(clip_id).decoder:
            self.switch_clip(clip_id, default)

    def switch_clip(self, clip_id: str, decoder: str) -> JobHandle | None:
        """Play `decoder` for the clip: at once if its audio is there, else after a background decode (the job)."""
        clip = self.document.sketch.clip(clip_id)
        media = clip.media
        if media.origin != "generated" or media.tokens is None or media.model is None:
            self.problem.emit(f"“{clip.name}” is not a generated clip; only generated clips can change decoder.")
            return None
        if clip.decoder == decoder:
            return None
        made_on, here = media.params.get("server") or "", self.service.options.server
        if made_on != here:  # its model is the one where it was made: decoding elsewhere would be another's
            where = f"the server {made_on}" if made_on else "this computer"
            self.problem.emit(f"“{clip.name}” was made on {where}; choose it in Preferences > Generate on to "
                              f"switch its decoder (generation now runs on {self.service.where}).")
            return None
        # a folder here means nothing to a server, which decodes with its own MultiBand Diffusion
        source = self.preferences().mbd_folder if decoder == decoders.MBD and not here else ""
        cached = self._cache.get((media.id, decoder, source))
        if decoder in media.audio or cached is not None:
            self._land(clip_id, decoder, cached)
            return None
        key = (media.id, decoder, source)
        earlier = self._decoding.pop(key, None)
        if earlier is not None:
            earlier.cancel()  # the newer request for the same audio wins
        seed = int(media.params.get("seed", 0) or 0)
        job = self._decoding[key] = self.service.decode(media.model, media.tokens, decoder, mbd=source or None,
                                                        seed=seed, loop=media.params.get("loop"))
        job.progress.connect(lambda progress: self.switch.set_busy(progress.stage, progress.done, progress.total))
        job.result.connect(lambda audio: self._decoded(job, key, clip_id, audio))
        job.error.connect(lambda message, _details: self._failed(job, key, decoder, message))
        job.cancelled.connect(lambda: self._cancelled(job, key))
        self.switch.show_clip(self.selected_clip())  # the buttons show what plays until the decode lands
        self.switch.set_busy(f"Decoding with {decoders.label(decoder)}…")
        return job

    def _current(self, job: JobHandle, key: tuple[str, str, str]) -> bool:
        """Whether `job` is still the one wanted for `key` (and forget it: it has ended)."""
        if self._decoding.get(key) is not job:
            return False
        del self._decoding[key]
        return True

    def _land(self, clip_id: str, decoder: str, audio: np.ndarray | None) -> None:
        try:
            clip = self.document.sketch.clip(clip_id)
        except KeyError:
            return  # deleted (or another sketch opened) while decoding: the audio stays cached
        edits: list[Edit] = []
        if decoder not in clip.media.audio:
            edits.append(AttachDecoderAudio(clip_id, decoder, audio))
        edits.append(SetClipDecoder(clip_id, decoder=decoder))
        label = f"Play {clip.name} with {decoders.label(decoder)}"
        try:
            self.timeline.push(one_step(edits, label))
        except (ValueError, KeyError) as error:
            self.problem.emit(f"The clip could not switch to {decoders.label(decoder)}: {error}")
            return
        self.switched.emit(clip_id, decoder)
        self._show_selection()

    def _decoded(self, job: JobHandle, key: tuple[str, str, str], clip_id: str, audio: np.ndarray) -> None:
        if not self._current(job, key):
            return
        self.switch.set_busy(None)
        self._cache[key] = np.asarray(audio, dtype=np.float32)
        self._land(clip_id, key[1], self._cache[key])

    def _failed(self, job: JobHandle, key: tuple[str, str, str], decoder: str, message: str) -> None:
        if not self._current(job, key):
            return
        self.switch.set_busy(None)
        if decoder == decoders.MBD:
            self.unavailable = message  # shown on the switch until the preferences change
        self.switch.show_clip(self.selected_clip())
        self.switch.set_note(message)
        self.problem.emit(f"Could not decode with {decoders.label(decoder)}: {message}")

    def _cancelled(self, job: JobHandle, key: tuple[str, str, str]) -> None:
        if self._current(job, key):
            self.switch.set_busy(None)
            self.switch.set_note("Decoding cancelled")

    def preferences_changed(self) -> None:
        """Another MBD folder may work where the last did not: ask again next time."""
        self.unavailable = None
        self._show_selection()
