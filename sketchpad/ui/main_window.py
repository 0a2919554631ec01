"""The main window: the idea panel beside the waveform, takes and timeline; menus, shortcuts, drops."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QScrollArea, QSplitter, QVBoxLayout, QWidget

from sketchpad import __version__
from sketchpad.engine import catalog
from sketchpad.ui import preferences as stored
from sketchpad.ui.arrangement import ArrangementOutline
from sketchpad.ui.document import SketchDocument
from sketchpad.ui.engine_service import EngineFactory, EngineService, default_factory
from sketchpad.ui.errors import Banner, data_folder
from sketchpad.ui.generation import GenerationController
from sketchpad.ui.idea_panel import IdeaPanel
from sketchpad.ui.playback import Playback
from sketchpad.ui.preferences_dialog import PreferencesDialog
from sketchpad.ui.status_bar import SketchStatusBar
from sketchpad.ui.takes import Take, TakesPanel
from sketchpad.ui.waveform_panel import WaveformPanel
from sketchpad.ui.window_actions import file_drop_paths


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings, engine_factory: EngineFactory | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.prefs = stored.load_preferences(settings)
        self.setWindowTitle(f"Sketchpad {__version__}")
        self.resize(1280, 800)
        self.service = EngineService(engine_factory or default_factory(self.prefs.compute_device, self.prefs.offline),
                                     self)
        self.document = SketchDocument(self)
        self.playback = Playback(self.prefs.output_device, self)

        self.banner = Banner()
        self.idea = IdeaPanel(data_folder() / "takes")
        self.idea.melody.input_device = self.prefs.input_device
        self.idea.set_history(stored.load_prompt_history(settings))
        self.waveform = WaveformPanel()
        self.takes = TakesPanel()
        self.arrangement = ArrangementOutline(self.document.sketch)
        self.generation = GenerationController(self.idea, self.service, self)
        self._build_layout()
        self.setStatusBar(SketchStatusBar(self.service, self))
        self._build_menus()
        self._connect()
        self._choose_initial_model()
        self.setAcceptDrops(True)
        QApplication.instance().installEventFilter(self)  # file drops land anywhere in the window

    # Construction
    def _build_layout(self) -> None:
        scroll = QScrollArea()
        scroll.setWidget(self.idea)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(360)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.takes)
        lower.addWidget(self.arrangement)
        lower.setSizes([520, 360])
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.waveform)
        right.addWidget(lower)
        right.setSizes([380, 360])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(scroll)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([380, 900])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.banner)
        layout.addWidget(main, 1)
        self.setCentralWidget(central)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.import_action = file_menu.addAction("Import melody...", self.idea.melody._ask_file)
        self.preferences_action = file_menu.addAction("Preferences...", self.open_preferences)
        self.preferences_action.setShortcut(QKeySequence.StandardKey.Preferences)
        file_menu.addSeparator()
        file_menu.addAction("Quit", QKeySequence.StandardKey.Quit, self.close)
        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.document.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.document.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        make_menu = bar.addMenu("&Generate")
        self.generate_action = QAction("Generate", self, shortcut=QKeySequence("Ctrl+Return"))
        self.generate_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.generate_action.triggered.connect(self.generation.generate)
        self.cancel_action = QAction("Cancel", self, shortcut=QKeySequence(Qt.Key.Key_Escape), enabled=False)
        self.cancel_action.triggered.connect(self.generation.cancel)
        make_menu.addActions([self.generate_action, self.cancel_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addAction("About Sketchpad", self._about)

    def _connect(self) -> None:
        self.generation.problem.connect(self.show_problem)
        self.generation.busy_changed.connect(self._busy_changed)
        self.generation.takes_ready.connect(self._takes_ready)
        self.service.failed.connect(lambda message: self.show_problem(f"The engine could not start: {message}"))
        self.idea.melody.problem.connect(self.show_problem)
        self.idea.melody.preview_requested.connect(lambda samples, rate: self.playback.play(samples, rate))
        self.idea.models.model_changed.connect(self._model_changed)
        self.takes.selected.connect(self.waveform.show_take)
        self.takes.play_requested.connect(self.play_take)
        self.takes.stop_requested.connect(self.playback.stop)
        self.takes.add_requested.connect(self.add_to_timeline)
        self.arrangement.takes_dropped.connect(self._takes_dropped)
        self.waveform.use_as_melody.connect(self._use_as_melody)
        self.waveform.continue_from.connect(self.generation.continue_from)
        self.playback.position.connect(self._playhead)
        self.playback.problem.connect(self.show_problem)

    def _choose_initial_model(self) -> None:
        for folder in stored.load_model_folders(self.settings):
            if catalog.is_model_folder(folder):
                self.idea.models.add_folder(folder)
        if self.prefs.model_folder:
            self.idea.models.add_folders_in(self.prefs.model_folder)
        self.idea.models.select(self.prefs.default_model or catalog.DEFAULT_MODEL)
        self._model_changed(self.idea.models.model)

    def start_engine(self) -> None:
        """Called once the window is up: import torch on the worker, then build what was deferred."""
        self.service.start()
        self.waveform.build_view().seek_requested.connect(self._seek)
        QTimer.singleShot(0, self._after_start)

    def _after_start(self) -> None:
        self.idea.models.refresh_status()
        if not self.prefs.default_model and self.idea.models.model == catalog.DEFAULT_MODEL:
            best = catalog.default_model()
            if best != catalog.DEFAULT_MODEL:
                self.idea.models.select(best)

    # Reactions
    def show_problem(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _busy_changed(self, busy: bool) -> None:
        self.generate_action.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)
        if busy:
            self.banner.dismiss()
            if self.idea.prompt_text:
                self.idea.set_history(stored.remember_prompt(self.settings, self.idea.prompt_text))

    def _takes_ready(self, group: int, results: list) -> None:
        self.takes.add_group(group, results)

    def _model_changed(self, model: str) -> None:
        melody, _stereo = self.idea.models.abilities(model)
        if Path(model).is_absolute():
            stored.remember_model_folder(self.settings, model)
        if melody is False:
            name = catalog.find(model).id.removeprefix("facebook/") if catalog.find(model) else Path(model).name
            self.idea.melody.set_offered(False, f"{name} does not take a melody. Choose a melody model (such as "
                                                "musicgen-melody) to guide it with a hummed or imported tune.")
        elif melody is None:
            self.idea.melody.set_offered(True, "This model folder's abilities are known once it has loaded; "
                                               "a melody only works with a melody model.")
        else:
            self.idea.melody.set_offered(True, "")

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

    def add_to_timeline(self, take: Take, track_id: str | None = None) -> None:
        try:
            self.document.add_take(take, track_id)
        except (ValueError, KeyError) as error:
            self.show_problem(f"The take could not be added to the timeline: {error}")

    def _takes_dropped(self, mime, track_id: str | None) -> None:
        for take in self.takes.take_ids_from(mime):
            self.add_to_timeline(take, track_id)

    def open_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.prefs, self)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.chosen()))
        dialog.open()
        return dialog

    def apply_preferences(self, prefs: stored.Preferences) -> None:
        self.prefs = prefs
        stored.save_preferences(self.settings, prefs)
        self.idea.melody.input_device = prefs.input_device
        self.playback.set_output_device(prefs.output_device)
        if prefs.model_folder:
            self.idea.models.add_folders_in(prefs.model_folder)

    def _about(self) -> None:
        QMessageBox.about(self, "About Sketchpad", f"Sketchpad {__version__}: a music sketchpad with MusicGen.\n"
                                                   f"Error log and recordings: {data_folder()}")

    # File drops anywhere on the window
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and self._inside(watched):
            paths = file_drop_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                if kind == QEvent.Type.Drop:
                    self.drop_files(paths)
                return True
        return super().eventFilter(watched, event)

    def _inside(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and (watched is self or self.isAncestorOf(watched))

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = file_drop_paths(event.mimeData())
        if paths:
            self.drop_files(paths)
            event.acceptProposedAction()

    def drop_files(self, paths: list[Path]) -> None:
        if self.idea.melody.import_file(paths[0]) and not self.idea.melody.offered:
            self.show_problem("The file is in the melody slot, but the chosen model does not take a melody.")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        QApplication.instance().removeEventFilter(self)
        if self.idea.melody.recorder.is_recording:
            self.idea.melody.recorder.stop()
        self.playback.close()
        self.arrangement.detach()
        self.service.shutdown()
        super().closeEvent(event)
