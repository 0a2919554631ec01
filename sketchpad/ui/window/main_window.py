"""The main window: the idea panel, waveform and takes over the arrangement; menus, shortcuts, drops.

The window assembles panels and controllers; the wiring of each area lives in its controller
(arrangement, files, autosave, decoder A/B, the model choice), the menus in menus, the layout in layout,
its size and splitters in window_state.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent, QDropEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from sketchpad.audio import devices
from sketchpad.engine import catalog
from sketchpad.engine_link.client import EngineOptions
from sketchpad.ui.arrangement.controller import ArrangementController
from sketchpad.ui.arrangement.decoder_switch import DecoderSwitch
from sketchpad.ui.arrangement.decoders import DecoderController
from sketchpad.ui.arrangement.playback import ArrangementPlayback
from sketchpad.ui.arrangement.stems import StemsController
from sketchpad.ui.arrangement.stereo_view import StereoView
from sketchpad.ui.arrangement.tempo_offer import TempoOffer
from sketchpad.ui.arrangement.timebase import TimebaseController
from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.arrangement.transport_bar import TransportBar
from sketchpad.ui.common import preferences as stored
from sketchpad.ui.common.drops import FileDrops, file_drop_paths
from sketchpad.ui.common.engine_service import EngineService
from sketchpad.ui.common.jobs import JobQueue
from sketchpad.ui.common.paths import data_folder
from sketchpad.ui.common.playback import Playback
from sketchpad.ui.files.autosave import AutosaveController
from sketchpad.ui.files.controller import FileController
from sketchpad.ui.files.document import SketchDocument
from sketchpad.ui.files.export_dialog import ExportDialog
from sketchpad.ui.generate.controller import GenerationController
from sketchpad.ui.generate.idea_panel import IdeaPanel
from sketchpad.ui.generate.live_take import LiveTake
from sketchpad.ui.generate.remembered import IdeaMemory
from sketchpad.ui.takes.keeper import TakeKeeper
from sketchpad.ui.takes.panel import TakesPanel
from sketchpad.ui.takes.waveform_panel import WaveformPanel
from sketchpad.ui.window import window_state
from sketchpad.ui.window.about import show_about
from sketchpad.ui.window.actions import Actions
from sketchpad.ui.window.actions import MainAction as A
from sketchpad.ui.window.errors import Banner
from sketchpad.ui.window.layout import build_layout
from sketchpad.ui.window.menus import build_menus
from sketchpad.ui.window.model_choice import ModelChoice
from sketchpad.ui.window.preferences_dialog import PreferencesDialog
from sketchpad.ui.window.status_bar import SketchStatusBar
from sketchpad.workflow.takes import Take

UNTITLED = "Untitled.sketch"  # in the data folder: where a never-saved sketch autosaves


def engine_options(prefs: stored.Preferences) -> EngineOptions:
    return EngineOptions(device=prefs.compute_device or "auto", offline=prefs.offline, precision=prefs.precision,
                         log_path=data_folder() / "engine.log", server=prefs.engine_server,
                         token=prefs.server_token)


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings, engine: EngineService | None = None,
                 untitled: Path | None = None) -> None:
        """`engine`: an engine service shared with others (tests); without one the window starts its own
        engine process and ends it when it closes."""
        super().__init__()
        self.settings = settings
        self.prefs = stored.load_preferences(settings)
        self.owns_engine = engine is None
        self.service = engine if engine is not None else EngineService(engine_options(self.prefs), self)
        self.file_jobs = JobQueue(self, name="sketchpad-files")  # saving, opening, importing: one at a time
        self.document = SketchDocument(self)
        self.playback = Playback(self.prefs.output_device, self)

        self.banner = Banner()
        self.idea = IdeaPanel(data_folder() / "takes")
        self.idea.melody.input_device = self.prefs.input_device
        self.idea.set_history(stored.load_prompt_history(settings))
        self.idea_memory = IdeaMemory(self.idea, settings, self)
        self.waveform = WaveformPanel()
        self.takes = TakesPanel()
        self.timeline = Timeline(self.document)
        self.transport = TransportBar()
        self.stereo = StereoView()
        self.decoder_switch = DecoderSwitch()
        self.generation = GenerationController(self.idea, self.service, settings, self)
        self.live_take = LiveTake(self.service, self.playback, self.waveform, self)  # heard while it generates
        self.generation.offline = self.prefs.offline
        self.model_choice = ModelChoice(self.idea, settings, lambda: self.prefs, self.banner, self)
        self.arrangement_playback = ArrangementPlayback(self.document, self.playback, self)
        self.arrangement = ArrangementController(self.document, self.timeline, self.transport, self.stereo,
                                                 self.arrangement_playback, self.takes, self.file_jobs, self)
        self.timebase = TimebaseController(self.document, self.timeline, self.transport, self.arrangement_playback,
                                           self.idea, self.generation, settings, self)  # tempo, metre, master
        self.decoders = DecoderController(self.document, self.timeline, self.service, self.decoder_switch,
                                          lambda: self.prefs, self)
        self.stems = StemsController(self.document, self.timeline, self.service, self, self)
        self.tempo_offer = TempoOffer(self.document, self.file_jobs, lambda text, action: self.banner.show_message(
            text, "info", "tempo", action), self.timeline.push, self)
        self.files = FileController(self, self.document, settings, self.file_jobs,
                                    untitled or data_folder() / UNTITLED, self)
        self.autosave = AutosaveController(self.files, self.file_jobs, parent=self)
        self.keeper = TakeKeeper(self.document, self.takes, self.generation, self)  # every take, kept
        layout = build_layout(
            banner=self.banner, idea=self.idea, waveform=self.waveform, takes=self.takes, transport=self.transport,
            decoder_switch=self.decoder_switch, timeline=self.timeline, stereo=self.stereo)
        self.setCentralWidget(layout.central)
        self.splitters = layout.splitters
        self.setStatusBar(SketchStatusBar(self.service, self))
        self.actions = self._register_actions()
        self.recent_menu = build_menus(self.menuBar(), self.actions, lambda: stored.load_recent_files(settings),
                                       self.files.open_path)
        self._connect()
        self.model_choice.choose_initial(self.idea_memory.model)
        window_state.restore(self, settings, self.splitters)
        self._fitted = False
        self.setWindowTitle(self.files.title())
        self.setAcceptDrops(True)
        self.drops = FileDrops(self, self.timeline, self.drop_files)  # files dropped on the timeline become clips
        QApplication.instance().installEventFilter(self.drops)

    def _connect(self) -> None:
        self.generation.problem.connect(self.show_problem)
        self.generation.failed.connect(self.show_problem)
        self.generation.notice.connect(lambda text: self.banner.show_message(text, "info", "network"))
        self.generation.busy_changed.connect(self._busy_changed)
        self.generation.takes_ready.connect(self._generated)
        # Methods, not lambdas: a shared engine service outlives this window and drops them when it closes.
        self.service.failed.connect(self._engine_failed)
        self.service.stopped.connect(self._engine_stopped)
        self.service.ready.connect(self._engine_ready)
        self.idea.melody.problem.connect(self.show_problem)
        self.idea.melody.preview_requested.connect(lambda samples, rate: self.playback.play(samples, rate))
        self.takes.selected.connect(self.waveform.show_take)
        self.takes.play_requested.connect(self.play_take)
        self.takes.stop_requested.connect(self.playback.stop)
        self.arrangement.take_added.connect(self.decoders.apply_default)  # a placed take plays the chosen decoder
        self.takes.regenerate_requested.connect(self.generation.regenerate)
        self.generation.submitted.connect(self._live_row)
        self.live_take.interrupted.connect(self._partial_takes)
        self.keeper.generated.connect(self._heard_goes_on)
        for problem in (self.arrangement.problem, self.decoders.problem, self.files.problem, self.keeper.problem,
                        self.stems.problem):
            problem.connect(self.show_problem)
        self.files.title_changed.connect(self.setWindowTitle)
        self.waveform.use_as_melody.connect(self._use_as_melody)
        self.arrangement.imported.connect(self._imported)
        self.idea.melody.source_set.connect(self.tempo_offer.look_at)
        self.waveform.continue_from.connect(self.generation.continue_from)
        self.playback.position.connect(self._playhead)
        self.playback.problem.connect(self.show_problem)

    def _register_actions(self) -> Actions:
        files = self.files
        actions = Actions(self, {
            A.NEW: files.new, A.OPEN: files.ask_open, A.SAVE: files.save, A.SAVE_AS: files.save_as,
            A.IMPORT_AUDIO: lambda: self.arrangement.ask_import(self), A.IMPORT_MELODY: self.idea.melody.ask_file,
            A.EXPORT: self.open_export, A.PREFERENCES: self.open_preferences, A.QUIT: self.close,
            A.GENERATE: self.generation.generate, A.CANCEL: self.generation.cancel, A.UNLOAD: self.unload_models,
            A.RESTART_ENGINE: self.restart_engine, A.STOP: self.transport.stop_requested.emit,
            A.REWIND: self.transport.rewind_requested.emit, A.ABOUT: lambda: show_about(self),
        })
        actions[A.CANCEL].setEnabled(False)
        stack = self.document.undo_stack
        actions.add(A.UNDO, stack.createUndoAction(self, "Undo")).setShortcuts(QKeySequence.StandardKey.Undo)
        actions.add(A.REDO, stack.createRedoAction(self, "Redo")).setShortcuts(
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for name, action in self.timeline.actions_by_name.items():
            actions.add(name, action)
        actions.add(A.TOGGLE_DECODER, self.decoders.toggle_action, window_shortcut=True)
        for name, action in self.decoders.actions.items():
            actions.add(A.play_with(name), action)
        actions.add(A.SPLIT_STEMS, self.stems.action)
        actions.add(A.TOGGLE_CLIP_MUTE, self.stems.mute_action)
        self.timeline.extra_clip_actions = [self.decoders.toggle_action, *self.decoders.actions.values(),
                                            self.stems.action, self.stems.mute_action]
        actions.add(A.PLAY_PAUSE, self.transport.play_pause_action)
        actions.add(A.LOOP, self.transport.loop_action)
        actions.add(A.METRONOME, self.transport.metronome_action)
        return actions

    def start_engine(self) -> None:
        """Called once the window is up: start the engine process, then build the pyqtgraph views.

        pyqtgraph takes a few hundred milliseconds to import, once, here on the GUI thread: importing it on
        another thread crashed the app (it makes Qt fonts and pens while the GUI thread paints)."""
        self.service.start()
        self._build_views()

    def _build_views(self) -> None:
        self.waveform.build_view().seek_requested.connect(self._seek)
        self.stereo.build_goniometer()

    # Reactions
    def offer_recovery(self, path: str | None = None) -> None:
        """At start: open `path` (offering its newer autosave), or offer an unsaved sketch's autosave back;
        then a melody take a crash cut short."""
        if path:
            self.files.open_path(path)
        else:
            self.autosave.offer_recovery()
        self.idea.melody.offer_interrupted(self._ask_yes)

    def _ask_yes(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Sketchpad", question, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def _engine_failed(self, message: str) -> None:
        self._engine_problem(f"The engine could not start: {message}")

    def _engine_stopped(self, message: str) -> None:
        self._engine_problem(message)

    def _engine_problem(self, message: str) -> None:
        """Said in the banner; a server's problem offers this computer in one click (nothing is lost)."""
        if not self.service.options.server:
            self.show_problem(message, "engine")
            return
        self.banner.show_message(message, "error", "engine", ("Generate on this computer", self.generate_here))

    def generate_here(self) -> None:
        self.apply_preferences(replace(self.prefs, engine_server=""))
        self.service.start()

    def _engine_ready(self, _device: str) -> None:
        self.idea.models.forget_loaded()  # a new engine holds nothing
        self.model_choice.offers_arrived(self.service.offers)
        self.banner.clear("engine")

    def show_problem(self, message: str, cause: str = "") -> None:
        """`cause`: what puts it right clears it ("model", "generation", "engine"; see Banner.clear)."""
        self.banner.show_message(message, "error", cause)

    def _busy_changed(self, busy: bool) -> None:
        self.actions[A.GENERATE].setEnabled(not busy)
        self.actions[A.CANCEL].setEnabled(busy)
        if busy:
            self.banner.dismiss()
            if self.idea.prompt_text:
                self.idea.set_history(stored.remember_prompt(self.settings, self.idea.prompt_text))

    def _generated(self, _request: int, _results: list) -> None:
        self.banner.clear("model", "generation", "network")  # it generated: those problems are over

    def _heard_goes_on(self, takes: list) -> None:
        """Heard while it generated: it goes on as the kept take, which is the one shown now."""
        self.live_take.pass_to(takes[0], takes[0].result.audio, takes[0].result.sample_rate)

    def _live_row(self, _request: object) -> None:
        self.live_take.row = self.generation.keep_row or 0  # a variation generated again is shown and heard

    def _partial_takes(self, results: list) -> None:
        """A generation failed part-way: what had arrived is kept, marked partial."""
        takes = self.keeper.keep(results)
        if takes:
            self.statusBar().showMessage(f"Kept what was generated before it stopped: {takes[0].seconds:.1f} s "
                                         f"({len(takes)} partial take{'s' if len(takes) != 1 else ''})", 10_000)

    def restart_engine(self) -> None:
        """Generate > Restart Engine, said in the status bar: restarting, then ready again."""
        self.statusBar().restarting()
        self.service.restart()

    def play_take(self, take: Take) -> None:
        view = self.waveform.view
        start = view.playhead if view is not None and self.waveform.take is take else 0.0
        start = 0.0 if start >= take.seconds - 0.05 else start
        self.playback.play(take.result.audio, take.result.sample_rate, start=start, source=take)

    def _seek(self, seconds: float) -> None:
        self.waveform.view.set_playhead(seconds)
        if self.playback.source is self.waveform.take and self.playback.is_playing:
            self.playback.seek(seconds)

    def _playhead(self, seconds: float) -> None:
        if self.playback.source is not None and self.playback.source is self.waveform.take and self.waveform.view:
            self.waveform.view.set_playhead(seconds)

    def _use_as_melody(self, samples, rate: int, name: str) -> None:
        self.idea.melody.set_source(samples, rate, name)
        if not self.idea.melody.offered:
            self.show_problem("The selection is in the melody slot, but the chosen model does not take a melody; "
                              "choose a melody model to use it.")

    def _imported(self, clip_ids: list[str]) -> None:
        """An imported file: its tempo, metre and key said, and offered to a sketch without a tempo."""
        if clip_ids:
            clip = self.document.sketch.clip(clip_ids[0])
            name = Path(clip.media.source_file).name if clip.media.source_file else clip.name
            self.tempo_offer.look_at(name, clip.audio, clip.media.sample_rate)

    def open_export(self) -> ExportDialog:
        folder = self.files.path.parent if self.files.path is not None else None
        dialog = ExportDialog(self.document.sketch, selection=self.timeline.selection_range(), folder=folder,
                              settings=self.settings, parent=self)
        dialog.open()
        return dialog

    def open_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.prefs, self, model_folders=[
            folder for folder in stored.load_model_folders(self.settings) if catalog.is_model_folder(folder)],
            rescan=self.rescan_devices)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.chosen()))
        dialog.open()
        return dialog

    def apply_preferences(self, prefs: stored.Preferences) -> None:
        self.prefs = prefs
        stored.save_preferences(self.settings, prefs)
        self.generation.offline = prefs.offline
        self.idea.melody.input_device = prefs.input_device
        self.playback.set_output_device(prefs.output_device)
        if prefs.model_folder:
            self.idea.models.add_folders_in(prefs.model_folder)
        self.decoders.preferences_changed()
        if self.owns_engine:
            prefs.apply_environment()  # the next engine reads the cache location and offline mode from it
            self.service.configure(engine_options(prefs))  # a new device, precision or offline choice

    def rescan_devices(self) -> str:
        """Let PortAudio look for devices again; every stream must be closed first (a restart of PortAudio
        ends them), so playback stops. Not while recording: why not, in words."""
        if self.idea.melody.recorder.is_recording:
            return "Stop the recording first: looking for devices again closes every sound device."
        self.playback.close()  # the next play opens the player again, on whatever is there now
        devices.rescan()
        return ""

    def unload_models(self) -> None:
        """Give the memory of the loaded models back (they load again with the next request)."""
        job = self.service.unload()
        job.result.connect(lambda _memory: (self.statusBar().model_unloaded(), self.idea.models.forget_loaded()))
        job.error.connect(lambda message, _details: self.show_problem(f"Could not unload the model: {message}"))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._fitted:  # once: the frame (title bar) is known once the window manager has framed it
            self._fitted = True
            window_state.watch_frame(self)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = file_drop_paths(event.mimeData())
        if paths:
            self.drop_files(paths)
            event.acceptProposedAction()

    def drop_files(self, paths: list[Path]) -> None:
        job = self.idea.melody.import_file(paths[0])
        job.result.connect(lambda _decoded: None if self.idea.melody.offered else self.show_problem(
            "The file is in the melody slot, but the chosen model does not take a melody."))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.files.may_discard(self.close):
            event.ignore()
            return
        QApplication.instance().removeEventFilter(self.drops)
        window_state.save(self, self.settings, self.splitters)
        if self.idea.melody.recorder.is_recording:
            self.idea.melody.recorder.stop()
        self.playback.close()
        self.arrangement.detach()
        self.live_take.detach()
        self.timebase.detach()
        self.keeper.detach()
        self.autosave.timer.stop()
        self.files.detach()
        if self.owns_engine:
            self.service.shutdown()  # also mid-generation: no engine outlives its window
        elif self.generation.job is not None:
            self.generation.job.cancel()
        self.file_jobs.shutdown()  # waits for a save still being written
        self.idea.melody.jobs.shutdown()
        super().closeEvent(event)
