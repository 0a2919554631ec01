"""The engine process, seen from the window: Qt signals on the GUI thread and a handle per job.

The window's process never imports torch. A torch job on a QThread of this process once froze the app
for good: pybind11 (in torch) remembers the Python thread state of the thread that first imports torch,
while PySide6 gives each queued slot call on a QThread a fresh thread state and deletes it afterwards,
so torch's next GIL acquire on that thread waited for a dead thread state while the thread itself held
the GIL (pybind11 issue #2888; docs/ARCHITECTURE.md tells the whole story). Even without that, torch's
Python code held the GIL for hundreds of milliseconds at a time and stalled the event loop.

So the engine lives in its own process (sketchpad.engine_host), started here, spoken to through
sketchpad.engine_link, and started again after a crash with the next request.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from sketchpad.engine.request import GenerationRequest, GenerationResult
from sketchpad.engine_link import messages
from sketchpad.engine_link.client import EngineOptions, EngineProcess, describe_exit
from sketchpad.engine_link.messages import MelodySource, ModelFacts
from sketchpad.engine_link.remote import RemoteEngine, RemoteError, ServerAddress
from sketchpad.ui.common.jobs import JobHandle, Progress
from sketchpad.ui.common.mailbox import Mailbox

MEMORY_POLL_MS = 2000


@dataclass(frozen=True)
class Generated:
    results: list[GenerationResult]
    facts: ModelFacts
    seconds: float  # wall time of the generation itself, for the next estimate


@dataclass(frozen=True)
class PartialTake:
    """Audio the engine decoded while still generating: a piece of every take of the request."""

    audio: np.ndarray  # float32 [takes, channels, samples]
    start: int  # the piece's first sample in the take
    sample_rate: int


@dataclass(frozen=True)
class EngineMemory:
    rss: int  # the engine process's resident size, bytes
    device_bytes: int | None  # held on the GPU; None on the CPU


def _generated(value: dict[str, Any]) -> Generated:
    return Generated([messages.result_from_message(take) for take in value["takes"]],
                     ModelFacts.from_message(value["facts"]), float(value["seconds"]))


_RESULTS = {
    "generate": _generated,
    "decode": lambda value: np.asarray(value["audio"], dtype=np.float32),
    "load": lambda value: ModelFacts.from_message(value["facts"]),
    "split": lambda value: {name: np.asarray(stem, dtype=np.float32) for name, stem in value["stems"].items()},
    "unload": lambda value: EngineMemory(int(value["memory"]["rss"]), value["memory"]["device_bytes"]),
}


class EngineService(QObject):
    """One engine process at a time. Requests made while it starts wait in its queue."""

    ready = Signal(str)  # the compute device, described
    failed = Signal(str)  # the engine could not start
    stopped = Signal(str)  # it ended unexpectedly: why, in words
    model_loaded = Signal(object)  # ModelFacts
    memory_changed = Signal(object)  # EngineMemory
    generation_started = Signal(object, object)  # JobHandle, GenerationRequest: its pieces come as `partial`

    def __init__(self, options: EngineOptions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.state = "stopped"  # stopped, starting, ready, failed
        self.device_text = "not started"
        self.memory: EngineMemory | None = None
        self.offers: dict[str, Any] = {}  # what the running engine said it offers (engine_host/jobs.offers)
        self.process: EngineProcess | None = None
        self._generation = 0
        self._generations = itertools.count(1)
        self._jobs: dict[int, tuple[str, JobHandle]] = {}
        self._rates: dict[int, int] = {}  # sample rate of each running job's model, once loaded
        self._restart_when_idle = False
        self._mailbox = Mailbox(self)  # (process generation, message) from the link's reader thread
        self._mailbox.arrived.connect(self._on_message)
        self._poll = QTimer(self)
        self._poll.setInterval(MEMORY_POLL_MS)
        self._poll.timeout.connect(self.refresh_memory)

    @property
    def is_ready(self) -> bool:
        return self.state == "ready"

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    @property
    def pid(self) -> int | None:
        """The local engine process's id; None for a server's engine (or none running)."""
        return getattr(self.process, "pid", None) if self.process is not None and self.process.running else None

    def start(self) -> None:
        """Start the engine process unless one is running or starting."""
        if self.process is not None and self.state in ("starting", "ready"):
            return
        if self.process is not None:  # one that failed to start, on its way out
            self.process.stop(1.0)
        generation = self._generation = next(self._generations)
        self.state, self.device_text = "starting", "starting..."
        post = lambda message: self._mailbox.post((generation, message))  # noqa: E731 - from the link's threads
        try:
            self.process = self._connect(post) if self.options.server else EngineProcess(self.options, post)
            self.process.start()
        except OSError as error:
            self._failed(f"The engine could not be started: {error.strerror or error}")
        except RemoteError as error:  # an address that is not one
            self._failed(str(error))

    def _connect(self, post: Any) -> RemoteEngine:
        return RemoteEngine(ServerAddress(self.options.server, self.options.token or None), post)

    @property
    def where(self) -> str:
        """Where generation runs, in words: "this computer", or the server's address."""
        return f"the server {self.options.server}" if self.options.server else "this computer"

    def restart(self) -> None:
        self._stop_process("The engine was restarted; try again.")
        self.start()

    def configure(self, options: EngineOptions) -> None:
        """New device or offline choice: a new engine, now if idle, else once the running jobs end."""
        if options == self.options:
            return
        self.options = options
        if self.process is None:
            return
        if self.busy:
            self._restart_when_idle = True
        else:
            self.restart()

    def shutdown(self, timeout: float = 3.0) -> None:
        """End the engine (also mid-job) and wait for it; call when the window closes."""
        self._poll.stop()
        self._stop_process("The engine was shut down.", timeout)

    # Requests
    def generate(self, request: GenerationRequest, *, melody_source: MelodySource | None = None) -> JobHandle:
        """Load the model (reporting it) and generate; the result is a Generated. Pieces of audio decoded
        while generating arrive as `partial` (PartialTake), in order, before the result."""
        handle = self._submit("generate", request=messages.request_to_message(request),
                              melody_source=messages.melody_to_message(melody_source), partial=True)
        self.generation_started.emit(handle, request)
        return handle

    def decode(self, model: str, tokens: np.ndarray, decoder: str, *, mbd: str | None, seed: int,
               loop: dict[str, int] | None = None) -> JobHandle:
        """Audio float32 [channels, samples] from stored tokens; never generates again. `loop`: a loop's take
        (its params' "loop") is folded as when it was generated."""
        return self._submit("decode", model=model, tokens=np.asarray(tokens), decoder=decoder, mbd=mbd, seed=seed,
                            loop=loop)

    def split(self, audio: np.ndarray, sample_rate: int) -> JobHandle:
        """Drums, bass, other and vocals of `audio` [channels, frames]: the result is a dict of arrays of
        its shape, at its rate, summing back to it (engine/stems.py)."""
        return self._submit("split", audio=np.asarray(audio, dtype=np.float32), sample_rate=int(sample_rate))

    def load(self, model: str) -> JobHandle:
        return self._submit("load", model=model)

    def unload(self, model: str | None = None) -> JobHandle:
        """Forget the loaded models (or one) and give their memory back; the result is an EngineMemory."""
        return self._submit("unload", model=model)

    def refresh_memory(self) -> None:
        if self.process is not None and self.state == "ready":
            self.process.send({"type": "status"})

    def _submit(self, kind: str, **fields: Any) -> JobHandle:
        self.start()
        process = self.process
        assert process is not None
        box: list[int] = []
        handle = JobHandle(lambda: process.send({"type": "cancel", "id": box[0]}) if box else None)
        if self.state == "failed":
            QTimer.singleShot(0, lambda: handle.fail(f"The engine is not running: {self.device_text}"))
            return handle
        job_id = process.request(kind, **fields)
        box.append(job_id)
        self._jobs[job_id] = (kind, handle)
        handle.finished.connect(lambda: self._forget(job_id))
        return handle

    def _forget(self, job_id: int) -> None:
        self._jobs.pop(job_id, None)
        self._rates.pop(job_id, None)
        if not self._jobs and self._restart_when_idle:
            self._restart_when_idle = False
            self.restart()

    # What the engine says
    def _on_message(self, arrival: tuple[int, dict[str, Any]]) -> None:
        generation, message = arrival
        if generation != self._generation:
            return  # an engine already replaced: its jobs were ended then
        kind = message["type"]
        if kind == "ready":
            self.state, self.device_text = "ready", str(message["device"])
            self.offers = dict(message.get("offers") or {})
            self._memory(message["memory"])
            self._poll.start()
            self.ready.emit(self.device_text)
        elif kind == "failed":
            self._failed(str(message["message"]), str(message.get("details", "")))
        elif kind == "memory":
            self._memory(message)
        elif kind == "exited":
            self._exited(message)
        elif kind == "loaded":
            facts = ModelFacts.from_message(message["facts"])
            self.model_loaded.emit(facts)
            if message.get("id") in self._jobs:
                self._rates[message["id"]] = facts.sample_rate
                self._jobs[message["id"]][1].loaded.emit(facts)
        elif message.get("id") in self._jobs:
            self._job_message(kind, message)

    def _job_message(self, kind: str, message: dict[str, Any]) -> None:
        request, handle = self._jobs[message["id"]]
        if kind == "queued":
            handle.queued.emit(int(message["position"]))
        elif kind == "started":
            handle.started.emit()
        elif kind == "progress":
            handle.report(Progress(str(message["stage"]), int(message["done"]), int(message["total"])))
        elif kind == "partial":
            handle.partial.emit(PartialTake(np.asarray(message["audio"], dtype=np.float32), int(message["start"]),
                                            self._rates.get(message["id"], 0)))
        elif kind == "result":
            value = _RESULTS[request](message["value"])
            if request == "generate" and self.options.server:  # a take remembers where it was made
                for take in value.results:
                    take.params["server"] = self.options.server
            handle.succeed(value)
        elif kind == "error":
            handle.fail(str(message["message"]), str(message.get("details", "")))
        elif kind == "cancelled":
            handle.stop()

    def _memory(self, data: dict[str, Any]) -> None:
        self.memory = EngineMemory(int(data["rss"]), data.get("device_bytes"))
        self.memory_changed.emit(self.memory)

    def _exited(self, message: dict[str, Any]) -> None:
        self.process = None
        self._poll.stop()
        if self.state == "failed":  # a failed start, already told
            return
        if message.get("expected"):
            self.state = "stopped"
            return
        why = message.get("problem") or describe_exit(int(message["code"]))
        text = (f"The engine stopped unexpectedly: {why}. Your sketch and takes are safe; the engine starts "
                "again with your next request.")
        starting = self.state == "starting"
        self.state, self.device_text = "stopped", "stopped"
        self._end_jobs(text)
        if starting:
            self.failed.emit(text)
        else:
            self.stopped.emit(text)

    def _failed(self, text: str, details: str = "") -> None:
        self._poll.stop()
        self.state, self.device_text = "failed", text
        self._end_jobs(text, details)
        self.failed.emit(text)

    def _end_jobs(self, text: str, details: str = "") -> None:
        jobs, self._jobs = self._jobs, {}
        for _request, handle in jobs.values():
            handle.fail(text, details)

    def _stop_process(self, text: str, timeout: float = 3.0) -> None:
        process, self.process = self.process, None
        self._generation = next(self._generations)  # whatever the old process still says is ignored
        self.state = "stopped"
        self._restart_when_idle = False
        self._end_jobs(text)
        if process is not None:
            process.stop(timeout)
