"""From the idea panel's settings to takes in the list: submitting, progress, cancel, results, errors;
what a request will download and how long it will take here, said before it starts."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QSettings, Signal

from sketchpad.engine.errors import EngineError
from sketchpad.engine.request import AudioInput, GenerationRequest
from sketchpad.engine_link.messages import MelodySource, ModelFacts
from sketchpad.ui.common.engine_service import EngineService, Generated
from sketchpad.ui.common.jobs import JobHandle, Progress
from sketchpad.ui.common.paths import write_log
from sketchpad.ui.generate.downloads import hub_offline, network_notice
from sketchpad.ui.generate.estimate import SpeedBook, describe
from sketchpad.ui.generate.idea_panel import IdeaPanel
from sketchpad.workflow.takes import Take


class GenerationController(QObject):
    takes_ready = Signal(int, object)  # request number, list of GenerationResult
    problem = Signal(str)  # a request that was not sent: what is missing
    failed = Signal(str, str)  # a request that failed: message, cause ("model" while loading, else "generation")
    notice = Signal(str)  # at the start of a request that must download first: what, and how long it may wait
    busy_changed = Signal(bool)
    submitted = Signal(object)  # the GenerationRequest just sent (its prompt may name the sketch's tempo)

    def __init__(self, panel: IdeaPanel, service: EngineService, settings: QSettings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel, self.service = panel, service
        self.speeds = SpeedBook(settings)
        self.offline = False  # the offline preference; the window keeps it current
        self.job: JobHandle | None = None
        self._requests = itertools.count(1)
        self.request_number = 0
        self.last_request: GenerationRequest | None = None
        self.keep_row: int | None = None  # a variation generated again: only this row of the results is kept
        self._loading = False  # the current request's model is not loaded yet: a failure is the model's
        service.model_loaded.connect(self._model_loaded)  # a method: disconnected when this controller goes
        panel.generate_requested.connect(self.generate)
        panel.cancel_requested.connect(self.cancel)
        for changed in (panel.duration.valueChanged, panel.variations.valueChanged, panel.models.model_changed):
            changed.connect(self.show_estimate)
        self.show_estimate()

    def show_estimate(self) -> None:
        """Under Generate: how long the panel's request would take here, from this model's measured pace."""
        text = self.speeds.text_for(self.panel.models.model, self.panel.duration.value(), self.panel.variations.value())
        self.panel.estimate.setText(text)
        self.panel.estimate.setVisible(bool(text))

    def _model_loaded(self, facts: ModelFacts) -> None:
        self.panel.models.note_loaded(facts, facts.key)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def generate(self) -> JobHandle | None:
        """Generate from the panel as it stands; the job, or None when something is missing."""
        if self.busy:
            return None
        if not self.panel.prompt_text and not self.panel.melody.has_melody:
            self.problem.emit("Describe the music in the prompt first (or give a melody).")
            return None
        if not self.panel.models.model:
            self.problem.emit("Choose a model first.")
            return None
        melody = self.panel.melody.trimmed() if self.panel.melody.offered else None
        source = MelodySource(*melody) if melody is not None else None
        return self._submit(self.panel.build_request, source, "Generating")

    def continue_from(self, take: Take, samples: np.ndarray) -> JobHandle | None:
        """Generate a continuation of `samples` (from `take`), lasting the panel's duration beyond them."""
        if self.busy:
            self.problem.emit("Wait for the current generation to finish, or cancel it.")
            return None
        start = AudioInput(np.ascontiguousarray(samples, dtype=np.float32), take.result.sample_rate)
        duration = round(start.seconds + self.panel.requested_seconds(), 3)
        return self._submit(lambda: self.panel.build_request(model=take.model, duration=duration, continuation=start),
                            None, f"Continuing from {start.seconds:.1f} s")

    def regenerate(self, take: Take) -> JobHandle | None:
        """Generate `take` again alone. The engine draws every row of a request from one seed together, so
        a row cannot be drawn by itself: the whole request runs again with its seed and only this take's row
        is kept (it costs the time of the whole request)."""
        if self.busy:
            self.problem.emit("Wait for the current generation to finish, or cancel it.")
            return None
        if not take.reproducible:
            self.problem.emit("This take cannot be generated again: it was made from a melody, a continuation "
                              "or a generation cut short, whose audio is not kept with it.")
            return None
        params = take.result.params
        row, rows = take.batch
        request = GenerationRequest(
            model=take.model, prompts=tuple(str(prompt) for prompt in params["batch_prompts"]),
            duration=float(params["duration"]), top_k=int(params["top_k"]), top_p=float(params["top_p"]),
            temperature=float(params["temperature"]), cfg_coef=float(params["cfg_coef"]), seed=int(params["seed"]),
            loop="loop" in params,
            sections=tuple((float(start), str(text)) for start, text in params.get("sections", ())))
        what = f"Generating #{row + 1} of {rows} again (seed {request.seed})" if rows > 1 else \
            f"Generating again (seed {request.seed})"
        return self._submit(lambda: request, None, what, keep_row=row)

    def _submit(self, build: Callable[[], GenerationRequest], melody: MelodySource | None, what: str, *,
                keep_row: int | None = None) -> JobHandle | None:
        try:
            request = build()  # checked as it is made: a bad value is said here, before the engine sees it
        except EngineError as error:
            self.problem.emit(str(error))
            return None
        self.last_request, self.keep_row = request, keep_row
        self.request_number = next(self._requests)
        waiting = "" if self.service.is_ready else " (starting the engine first)"
        expected = self.speeds.seconds_for(request.model, request.duration, len(request.prompts))
        if expected is not None:
            waiting += f", {describe(expected)}"
        job = self.job = self.service.generate(request, melody_source=melody)
        self._loading = True
        job.queued.connect(lambda ahead: self.panel.progress.update_progress(
            Progress(f"Waiting for {ahead} earlier job{'s' if ahead != 1 else ''}")))
        job.started.connect(lambda: self.panel.progress.update_progress(Progress("Starting")))
        job.progress.connect(self.panel.progress.update_progress)
        job.loaded.connect(self._model_ready)
        job.result.connect(self._result)
        job.error.connect(self._error)
        job.cancelled.connect(self._cancelled)
        self.panel.progress.begin(f"{what}{waiting}")
        self._set_busy(True)
        self.submitted.emit(request)
        notice = network_notice(request.model, self.service.offers,
                                melody=melody is not None or self.panel.models.abilities(request.model)[0] is True,
                                offline=hub_offline(self.offline))
        if notice:
            self.notice.emit(notice)
        return job

    def _model_ready(self, _facts: ModelFacts) -> None:
        self._loading = False  # the engine says so for this job: a failure from here on is the generation's

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.panel.progress.update_progress(Progress("Cancelling..."))

    def _set_busy(self, busy: bool) -> None:
        self.panel.set_busy(busy)
        self.busy_changed.emit(busy)

    def _result(self, value: Generated) -> None:
        self.job = None
        self._set_busy(False)
        if self.last_request is not None:
            request = self.last_request
            self.speeds.record(request.model, request.duration, len(request.prompts), value.seconds)
            self.show_estimate()
        results = value.results if self.keep_row is None else value.results[self.keep_row:self.keep_row + 1]
        count = len(results)
        # One figure: the panel's "took" says how long it was (the engine's own time feeds the estimate).
        self.panel.progress.finish(f"Done: {count} take{'s' if count != 1 else ''}")
        self.takes_ready.emit(self.request_number, results)

    def _error(self, message: str, details: str) -> None:
        self.job = None
        self._set_busy(False)
        self.panel.progress.finish("Failed")
        with contextlib.suppress(OSError):  # the message below still reaches the person
            write_log(f"generation failed: {message}", details)
        self.failed.emit(f"Generation failed: {message}", "model" if self._loading else "generation")

    def _cancelled(self) -> None:
        self.job = None
        self._set_busy(False)
        self.panel.progress.finish("Cancelled")
