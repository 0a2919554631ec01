"""Split into Stems: a clip's audio separated by the engine (demucs' htdemucs) into drums, bass, other and
vocals, which land on four new tracks under the clip's track, aligned sample for sample with it, while the
original clip stays where it was, muted; one undo step takes it all back.

The split runs as an engine job (progress, cancel) while playback and editing go on; a clip deleted or
a sketch closed meanwhile simply drops the result.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QWidget

from sketchpad.sketch import AddTrack, Clip, EditGroup, SetClipMuted, Track
from sketchpad.sketch.importing import media_from_audio
from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.common.engine_service import EngineService
from sketchpad.ui.common.jobs import JobHandle, Progress
from sketchpad.ui.files.document import SketchDocument

STEM_LABELS = {"drums": "Drums", "bass": "Bass", "other": "Other", "vocals": "Vocals"}


class StemsController(QObject):
    problem = Signal(str)
    landed = Signal(str)  # the split clip's id, once its stems are on the timeline

    def __init__(self, document: SketchDocument, timeline: Timeline, service: EngineService,
                 window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.timeline, self.service, self.window = document, timeline, service, window
        self.action = QAction("Split into Stems", self)
        self.action.setToolTip("Separate the clip into drums, bass, other and vocals on new tracks")
        self.action.triggered.connect(self.split_selected)
        # Muting a clip came with stems (the original stays, silent): this brings it back, or mutes any clip.
        self.mute_action = QAction("Mute or Unmute Clip", self)
        self.mute_action.triggered.connect(self.toggle_mute_selected)
        self.job: JobHandle | None = None
        self.dialog: QProgressDialog | None = None

    def split_selected(self) -> None:
        ids = self.timeline.selected_clip_ids()
        if len(ids) != 1:
            self.problem.emit("Select one clip to split into stems.")
            return
        self.split(ids[0])

    def toggle_mute_selected(self) -> None:
        sketch = self.document.sketch
        clips = [sketch.clip(clip_id) for clip_id in self.timeline.selected_clip_ids()]
        if not clips:
            return
        muted = not all(clip.muted for clip in clips)  # mixed: mute them all first, as a mute button does
        edits = [SetClipMuted(clip.id, muted=muted) for clip in clips if clip.muted != muted]
        self.timeline.push(edits[0] if len(edits) == 1 else EditGroup(edits, "Mute clips" if muted else "Unmute clips"))

    def split(self, clip_id: str) -> JobHandle | None:
        if self.job is not None:
            self.problem.emit("A clip is being split into stems already; wait for it or cancel it.")
            return None
        clip = self.document.sketch.clip(clip_id)
        audio = clip.audio[:, clip.trim_in:clip.trim_in + clip.length]  # what the clip plays, before gain
        job = self.job = self.service.split(audio, clip.media.sample_rate)
        name = clip.name or "the clip"
        dialog = self.dialog = QProgressDialog(f"Splitting “{name}” into drums, bass, other and vocals…",
                                               "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Split into Stems")
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # editing and listening go on meanwhile
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(job.cancel)
        job.progress.connect(self._progress)
        job.result.connect(lambda stems: self._land(clip_id, stems))
        job.error.connect(lambda message, _details: self.problem.emit(f"Could not split “{name}” into stems: "
                                                                      f"{message}"))
        job.finished.connect(self._finished)
        dialog.show()
        return job

    def _progress(self, progress: Progress) -> None:
        if self.dialog is not None and progress.total:
            self.dialog.setMaximum(progress.total)
            self.dialog.setValue(min(progress.done, progress.total - 1))  # the dialog closes itself at the end

    def _finished(self) -> None:
        self.job = None
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect()
            dialog.close()
            dialog.deleteLater()

    def _land(self, clip_id: str, stems: dict) -> None:
        sketch = self.document.sketch
        try:
            track, _index = sketch.find_clip(clip_id)
        except KeyError:
            return  # deleted, or another sketch opened, while splitting
        clip = sketch.clip(clip_id)
        below = sketch.tracks.index(track) + 1
        base = clip.name or track.name
        edits = []
        for offset, (stem, audio) in enumerate(stems.items()):
            media = media_from_audio(audio, clip.media.sample_rate, sketch.sample_rate,
                                     source_file=f"{base} ({stem})")
            placed = Clip(media, start=clip.start, gain_db=clip.gain_db, fade_in=clip.fade_in,
                          fade_out=clip.fade_out, name=f"{base} {STEM_LABELS.get(stem, stem)}")
            edits.append(AddTrack(Track(name=f"{base} {STEM_LABELS.get(stem, stem)}", gain_db=track.gain_db,
                                        pan=track.pan, clips=[placed]), index=below + offset))
        edits.append(SetClipMuted(clip_id, muted=True))
        try:
            self.timeline.push(EditGroup(edits, f"Split {base} into stems"))
        except (ValueError, KeyError) as error:
            self.problem.emit(f"The stems could not be placed: {error}")
            return
        self.landed.emit(clip_id)
