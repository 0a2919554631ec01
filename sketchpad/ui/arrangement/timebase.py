"""The sketch's tempo, metre and master gain wherever they are shown or used, and the arrangement's snap
and metronome toggles.

The transport's fields and fader send edits through the document (one undo step per gesture); the
transport, the idea panel (durations in bars) and the metronome follow the sketch as edits and undo
change it. A request whose prompt names a tempo ("80 bpm") gives it to a sketch that has none yet, as
one undoable step. The snap and metronome toggles are remembered between runs.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

from PySide6.QtCore import QObject, QSettings

from sketchpad.engine.request import GenerationRequest
from sketchpad.sketch import Change, ChangeKind, Edit, SetMasterGain, SetMetre, SetTempo, one_step
from sketchpad.ui.arrangement.playback import ArrangementPlayback
from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.arrangement.transport_bar import TransportBar
from sketchpad.ui.common import preferences as stored
from sketchpad.ui.files.document import SketchDocument
from sketchpad.ui.generate.controller import GenerationController
from sketchpad.ui.generate.idea_panel import IdeaPanel
from sketchpad.workflow.tempo import metre_in, tempo_in


class TimebaseController(QObject):
    def __init__(self, document: SketchDocument, timeline: Timeline, transport: TransportBar,
                 playback: ArrangementPlayback, idea: IdeaPanel, generation: GenerationController,
                 settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.timeline, self.transport = document, timeline, transport
        self.playback, self.idea, self.settings = playback, idea, settings
        self.choices = stored.load_timeline_choices(settings)
        timeline.set_snap(self.choices.snap)
        transport.set_metronome(self.choices.metronome)
        playback.set_metronome(self.choices.metronome)
        timeline.snap_action.toggled.connect(self._snap_toggled)
        transport.metronome_toggled.connect(self._metronome_toggled)
        transport.tempo_edited.connect(self._tempo_edited)
        transport.metre_edited.connect(self._metre_edited)
        transport.master_gain_edited.connect(self._master_edited)
        transport.leave = timeline.focus_clips  # Enter in a field: the timeline's keys work again
        generation.submitted.connect(self._request_sent)
        document.replaced.connect(self.show)
        document.follow(self._changed)
        self.show()

    def detach(self) -> None:
        self.document.unfollow(self._changed)

    # The sketch, shown
    def _changed(self, change: Change) -> None:
        if change.what is ChangeKind.SKETCH:
            self.show()

    def show(self) -> None:
        sketch = self.document.sketch
        self.transport.set_timebase(sketch.sample_rate, sketch.tempo, sketch.metre)
        self.transport.set_master_gain(sketch.master_gain_db)
        self.idea.set_timebase(sketch.tempo, sketch.metre)

    # The sketch, changed
    def _push(self, edit: Edit) -> None:
        try:
            self.document.push(edit)
        except ValueError:
            self.show()  # refused (out of range): the fields show the sketch's values again

    def _tempo_edited(self, tempo: float | None) -> None:
        if tempo != self.document.sketch.tempo:
            self._push(SetTempo(tempo))

    def _metre_edited(self, metre: tuple[int, int]) -> None:
        if metre != self.document.sketch.metre:
            self._push(SetMetre(metre))

    def _master_edited(self, gain_db: float, gesture: object) -> None:
        if gain_db != self.document.sketch.master_gain_db:
            self._push(SetMasterGain(gain_db, gesture=gesture))

    def _request_sent(self, request: GenerationRequest) -> None:
        """A prompt naming a tempo (and maybe a metre) sets them on a sketch without a tempo yet."""
        sketch = self.document.sketch
        prompt = request.prompts[0] if request.prompts else ""
        tempo = tempo_in(prompt)
        if sketch.tempo is not None or tempo is None:
            return
        edits: list[Edit] = [SetTempo(tempo)]
        metre = metre_in(prompt)
        if metre is not None and metre != sketch.metre:
            edits.append(SetMetre(metre))
        with contextlib.suppress(ValueError):
            self.document.push(one_step(edits, "Tempo from the prompt"))

    # Toggles, remembered
    def _snap_toggled(self, enabled: bool) -> None:
        self._keep(snap=enabled)

    def _metronome_toggled(self, enabled: bool) -> None:
        self.playback.set_metronome(enabled)
        self._keep(metronome=enabled)

    def _keep(self, **changes: bool) -> None:
        self.choices = replace(self.choices, **changes)
        stored.save_timeline_choices(self.settings, self.choices)
