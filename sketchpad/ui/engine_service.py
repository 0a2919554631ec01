"""The engine, created and used only on the worker thread, behind a GUI-thread facade.

Importing the engine imports torch (seconds), so nothing here touches it until `start()` queues the job
that builds it, after the window is up. Until then the UI works from the catalog alone.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from sketchpad.ui.jobs import Job, JobContext, JobQueue, Progress

if TYPE_CHECKING:
    from sketchpad.engine.engine import Engine
    from sketchpad.engine.request import GenerationRequest, GenerationResult

EngineFactory = Callable[[], "Engine"]


def default_factory(device: str | None, offline: bool) -> EngineFactory:
    def build() -> Engine:
        from sketchpad.engine.engine import Engine

        return Engine(None if device in (None, "", "auto") else device, offline=offline)

    return build


@dataclass(frozen=True)
class ModelFacts:
    """What is known about a model once it has loaded."""

    key: str
    melody: bool
    channels: int
    sample_rate: int
    window_seconds: float


@dataclass(frozen=True)
class Generated:
    results: list[GenerationResult]
    facts: ModelFacts
    seconds: float  # wall time of the generation itself, for the next estimate


def _facts(loaded: Any) -> ModelFacts:
    return ModelFacts(loaded.key, loaded.supports_melody, loaded.channels, loaded.sample_rate,
                      loaded.max_duration)


class EngineService(QObject):
    """One engine on one worker thread. Signals carry job ids; `ready` fires once the engine exists."""

    ready = Signal(str)  # the compute device, described
    failed = Signal(str)  # the engine could not start
    model_loaded = Signal(object)  # ModelFacts

    def __init__(self, factory: EngineFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = JobQueue(self, name="sketchpad-engine")
        self.engine: Engine | None = None
        self.device_text = "starting..."
        self._factory = factory
        self._start_id: int | None = None
        self.jobs.result.connect(self._on_result)
        self.jobs.error.connect(self._on_error)

    def start(self) -> int:
        """Queue building the engine (imports torch on the worker thread)."""
        factory = self._factory

        def build(context: JobContext) -> Generator[Progress, None, Any]:
            yield Progress("Starting the engine")
            engine = factory()
            self.engine = engine  # set here, on the worker, so the next queued job already sees it
            gc.freeze()  # torch's many long-lived objects out of the collector's sight: no long GUI pauses
            return engine.describe_device()

        self._start_id = self.jobs.submit(build)
        return self._start_id

    @property
    def is_ready(self) -> bool:
        return self.engine is not None

    def submit(self, job: Job, *, lane: str | None = None) -> int:
        return self.jobs.submit(job, lane=lane)

    def generate(self, request: GenerationRequest, *, melody_source: tuple[Any, int] | None = None) -> int:
        """Load (with its own progress) and generate; the result is a Generated. Supersedes any earlier one."""

        def run(context: JobContext) -> Generator[Progress, None, Generated]:
            engine = self._engine_or_wait(context)
            yield Progress("Loading the model", 0, 0)
            loaded = engine.load(request.model, progress=lambda stage, done, total: context.report(
                f"Loading the model: {stage}", done, total))
            facts = _facts(loaded)
            gc.freeze()
            self.model_loaded.emit(facts)
            final = request
            if melody_source is not None:
                final = _with_melody(request, melody_source, facts)
            yield Progress("Generating", 0, 1)
            began = time.monotonic()
            results = engine.generate(final, cancel=context.cancel,
                                      progress=lambda done, total: context.report("Generating", done, total))
            return Generated(results, facts, time.monotonic() - began)

        return self.jobs.submit(run, lane="generate")

    def decode(self, model: str, tokens: Any, decoder: str, *, mbd: str | None, seed: int, lane: str) -> int:
        """Decode stored tokens with `decoder` (never generates); the result is float32 [channels, samples]."""

        def run(context: JobContext) -> Generator[Progress, None, Any]:
            engine = self._engine_or_wait(context)
            yield Progress(f"Decoding with {decoder}", 0, 0)
            return engine.decode(model, tokens, decoder, mbd=mbd, seed=seed, cancel=context.cancel,
                                 progress=lambda done, total: context.report(f"Decoding with {decoder}", done, total))

        return self.jobs.submit(run, lane=lane)

    def _engine_or_wait(self, context: JobContext) -> Engine:
        # Jobs run in order after the start job, so the engine exists unless starting it failed.
        if self.engine is None:
            raise RuntimeError("The engine is not running; see the earlier message about starting it.")
        context.check()
        return self.engine

    def memory_in_use(self) -> int | None:
        return self.engine.memory_in_use() if self.engine is not None else None

    def is_loaded(self, model: str) -> bool:
        return self.engine is not None and self.engine.models.is_loaded(model, self.engine.device)

    def cancel(self, job_id: int) -> None:
        self.jobs.cancel(job_id)

    def shutdown(self) -> None:
        self.jobs.shutdown()

    @Slot(int, object)
    def _on_result(self, job_id: int, value: object) -> None:
        if job_id == self._start_id:
            self.device_text = str(value)
            self.ready.emit(self.device_text)

    @Slot(int, str, str)
    def _on_error(self, job_id: int, message: str, details: str) -> None:
        if job_id == self._start_id:
            self.device_text = "engine not running"
            self.failed.emit(message)


def _with_melody(request: GenerationRequest, source: tuple[Any, int], facts: ModelFacts) -> GenerationRequest:
    """Trim silence, normalise and resample the chosen melody for this model, on the worker thread."""
    import dataclasses

    from sketchpad.audio.melody import prepare_melody
    from sketchpad.engine.request import AudioInput

    samples, rate = source
    prepared = prepare_melody(samples, rate, target_rate=facts.sample_rate,
                              max_seconds=min(request.duration, facts.window_seconds))
    return dataclasses.replace(request, melody=AudioInput(prepared.samples, prepared.sample_rate))
