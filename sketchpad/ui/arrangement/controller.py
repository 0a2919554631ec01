"""Wiring of the arrangement: timeline, transport bar, stereo view and playback, takes and files dropped in.

Nothing here draws; it connects the arrangement's widgets to each other and to the document, and
turns drops and imports into undoable edits. Audio files are read on the file thread, never on the
GUI thread; the clips land when they are in.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from sketchpad.core.formats import dialog_filter
from sketchpad.sketch import Change, ChangeKind, Clip, ClipMedia, end_to_end, first_free_place
from sketchpad.ui.arrangement.playback import ArrangementPlayback
from sketchpad.ui.arrangement.stereo_view import StereoView
from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.arrangement.transport_bar import TransportBar
from sketchpad.ui.common.jobs import JobContext, JobHandle, JobQueue, Progress
from sketchpad.ui.files.document import SketchDocument
from sketchpad.ui.takes.panel import TakesPanel
from sketchpad.workflow.importing import import_clip_media
from sketchpad.workflow.takes import Take


class ArrangementController(QObject):
    problem = Signal(str)
    imported = Signal(list)  # clip ids placed by an import
    take_added = Signal(str)  # the clip a take became

    def __init__(self, document: SketchDocument, timeline: Timeline, transport: TransportBar, stereo: StereoView,
                 player: ArrangementPlayback, takes: TakesPanel, file_jobs: JobQueue,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.timeline, self.transport, self.stereo = document, timeline, transport, stereo
        self.player, self.takes, self.file_jobs = player, takes, file_jobs
        transport.play_requested.connect(player.play)
        transport.pause_requested.connect(player.pause)
        transport.stop_requested.connect(player.stop)
        transport.rewind_requested.connect(lambda: player.seek(0))
        transport.loop_toggled.connect(player.set_loop_enabled)
        player.position.connect(timeline.set_playhead)
        player.position.connect(transport.set_position)
        player.playing_changed.connect(transport.set_playing)
        player.meters.connect(self._meters)
        player.problem.connect(self.problem)
        stereo.levels.connect(transport.set_levels)
        timeline.seek_requested.connect(player.seek)
        timeline.selection_changed.connect(self._show_selected_image)
        player.playing_changed.connect(lambda playing: None if playing else self._show_selected_image())
        timeline.problem.connect(self.problem)
        timeline.take_dropped.connect(self._takes_dropped)
        takes.add_requested.connect(self.add_take)  # the takes list's "Add to timeline"
        timeline.files_dropped.connect(lambda paths, track_id, frame: self.import_files(paths, track_id, frame))
        document.replaced.connect(self._rebind)
        document.follow(self._changed)
        self._shown_tracks: list[tuple[str, str]] = []
        self._rebind()

    def _rebind(self) -> None:
        self.sketch = self.document.sketch
        if self.timeline.sketch is not self.sketch:
            self.timeline.reload()
        self.stereo.reset()
        self._show_tracks()

    def detach(self) -> None:
        self.document.unfollow(self._changed)
        self.player.detach()
        self.timeline.detach()

    def _changed(self, change: Change) -> None:
        if change.what in (ChangeKind.TRACKS, ChangeKind.TRACK, ChangeKind.SKETCH):
            self._show_tracks()

    def _show_tracks(self) -> None:
        tracks = [(track.id, track.name) for track in self.sketch.tracks]
        if tracks != self._shown_tracks:  # meters are rebuilt only when the rows change, not on every pan step
            self._shown_tracks = tracks
            self.stereo.set_tracks(tracks)
        self.transport.set_loop_enabled(self.player.loop_enabled)

    def _show_selected_image(self) -> None:
        """While nothing plays, the stereo view shows the selected clip's image (no sound device needed)."""
        if self.player.playing:
            return
        selected = self.timeline.selected_clip_ids()
        if len(selected) != 1:
            self.stereo.reset()
            return
        clip = self.sketch.clip(selected[0])
        self.stereo.show_still(clip.audio[:, clip.trim_in:clip.trim_in + clip.length], clip.name)

    def _meters(self, master, tracks: dict) -> None:
        self.stereo.feed(master)
        for track_id, block in tracks.items():
            self.stereo.feed_track(track_id, block)

    # Takes
    def add_take(self, take: Take, track_id: str | None = None, frame: int | None = None) -> Clip | None:
        try:
            clip = self.document.add_take(take, track_id, frame)
        except (ValueError, KeyError) as error:
            self.problem.emit(f"The take could not be added to the timeline: {error}")
            return None
        self.take_added.emit(clip.id)
        return clip

    def _takes_dropped(self, mime: QMimeData, track_id: str | None, frame: int) -> None:
        """Takes dropped on a track land there one after another; below the last track, on a new track
        (as a dropped file does): one undo step either way."""
        takes = self.takes.take_ids_from(mime)
        if not takes:
            return
        try:
            clips = self.document.add_takes(takes, track_id, frame, new_track=track_id is None)
        except (ValueError, KeyError) as error:
            self.problem.emit(f"The take could not be added to the timeline: {error}")
            return
        for clip in clips:
            self.take_added.emit(clip.id)

    # Audio files
    def ask_import(self, parent: QWidget | None = None) -> None:
        """File → Import Audio: onto the selected clip's track (or the first), at the playhead or, where
        something is there already, at the first free place after it that is long enough; never over
        another clip."""
        paths, _ = QFileDialog.getOpenFileNames(parent, "Import audio onto the timeline", "", dialog_filter())
        if paths:
            selected = self.timeline.selected_clip_ids()
            track_id = self.sketch.find_clip(selected[0])[0].id if selected else None
            if track_id is None and self.sketch.tracks:
                track_id = self.sketch.tracks[0].id
            self.import_files(paths, track_id, self.timeline.playhead, free_place=True)

    def import_files(self, paths: list, track_id: str | None, frame: int, *, free_place: bool = False) -> JobHandle:
        """Read `paths` on the file thread; they land one after another from `frame` (a new track for None);
        with `free_place`, from the first place on the track at or after `frame` where they overlap nothing."""
        rate = self.sketch.sample_rate

        def job(context: JobContext) -> Generator[Progress, None, list[ClipMedia]]:
            media = []
            for index, path in enumerate(paths):
                yield Progress(f"Importing {Path(path).name}", index, len(paths))
                media.append(import_clip_media(path, rate))
            return media

        handle = self.file_jobs.submit(job)
        handle.result.connect(lambda media: self._imported(media, track_id, max(0, int(frame)), free_place))
        handle.error.connect(lambda message, _details: self.problem.emit(
            f"The audio file could not be imported: {message}"))
        return handle

    def _imported(self, media: list[ClipMedia], track_id: str | None, frame: int, free_place: bool = False) -> None:
        pieces = [(item, Path(item.source_file or "audio").stem) for item in media]
        if free_place and any(track.id == track_id for track in self.sketch.tracks):
            frame = first_free_place(self.sketch.track(track_id), frame, sum(Clip(item).length for item in media))
        edit, clips = end_to_end(self.sketch, pieces, track_id, frame, "Import audio")
        try:
            self.timeline.push(edit)
        except (ValueError, KeyError) as error:
            self.problem.emit(f"The audio could not be placed: {error}")
            return
        self.imported.emit([clip.id for clip in clips])
