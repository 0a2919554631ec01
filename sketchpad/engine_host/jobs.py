"""What the engine does for each request, whatever carries the request: the local engine process's pipes
(host.py) or a server (sketchpad/server). Transport-free: answers go out through a `send` callable.

`Reporter` is a job's progress and its cancel point; `JobRunner` runs load/unload/generate/decode/echo;
`offers` says what an engine can do, for `hello`/`ready`/`status`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psutil

from sketchpad.engine import catalog
from sketchpad.engine.errors import GenerationCancelledError, InvalidRequestError
from sketchpad.engine_link import messages
from sketchpad.engine_link.wire import PROTOCOL_VERSION, Message
from sketchpad.workflow.melody import melody_for_model

PROGRESS_INTERVAL_S = 0.05  # the window redraws progress at most this often; every step still checks cancel

Send = Callable[[Message], None]


class Reporter:
    """Progress of one job, sent no more often than the window can use; the job's cancel point too."""

    def __init__(self, send: Send, job_id: int) -> None:
        self.send, self.job_id = send, job_id
        self.cancel = threading.Event()
        self.steps = 0  # progress calls so far: one per generation or decoding step
        self.steps_at_cancel: int | None = None
        self._last_stage = ""
        self._last_sent = 0.0

    def request_cancel(self) -> None:
        """From another thread: the job stops at its next step (the engine checks `cancel` there)."""
        if self.steps_at_cancel is None:
            self.steps_at_cancel = self.steps
        self.cancel.set()

    @property
    def steps_after_cancel(self) -> int | None:
        return None if self.steps_at_cancel is None else self.steps - self.steps_at_cancel

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        if self.cancel.is_set():
            raise GenerationCancelledError("Cancelled.")
        self.steps += 1
        now = time.monotonic()
        if stage != self._last_stage or done >= total or now - self._last_sent >= PROGRESS_INTERVAL_S:
            self._last_stage, self._last_sent = stage, now
            self.send({"type": "progress", "id": self.job_id, "stage": stage, "done": int(done), "total": int(total)})


def memory_report(engine: Any) -> dict[str, Any]:
    """The engine process's resident size and what it holds on its device (None on the CPU)."""
    return {"rss": psutil.Process().memory_info().rss,
            "device_bytes": engine.memory_in_use() if engine is not None else None}


def offers(engine: Any, models: list[str] | None = None) -> dict[str, Any]:
    """What this engine offers a client: its device and precisions, the models it can load without a
    download (or, for a server, the names its operator allows), and what else is on its disk. The
    window decides from this, never from its own disk, so the same code serves a remote engine."""
    from sketchpad.engine.precision import PRECISIONS

    def quietly(check: Callable[..., bool], *args: Any) -> bool:
        try:
            return bool(check(*args))
        except Exception:  # noqa: BLE001 - a broken cache reads as "not on disk"
            return False

    listed = models if models is not None else [info.id for info in catalog.CATALOG]
    return {
        "protocol": PROTOCOL_VERSION,
        "device": engine.describe_device(),
        "precision": engine.precision,
        "precisions": list(PRECISIONS),
        "models": [{"name": name, "on_disk": quietly(catalog.is_on_disk, name)} for name in listed],
        "remote": models is not None,
        "text_encoder_on_disk": quietly(catalog.text_encoder_on_disk),
        "melody_extractor_on_disk": quietly(catalog.melody_extractor_on_disk),
        "stems": quietly(catalog.melody_extractor_on_disk),  # the same htdemucs file
        "mbd_on_disk": quietly(lambda: catalog.cached_file(catalog.MBD_REPO, catalog.MBD_FILE) is not None),
    }


STILL_WORKING_S = 5.0


@contextmanager
def still_working(report: Reporter, stage: str) -> Iterator[None]:
    """While a step that reports nothing runs (a model downloading from the hub, for minutes), say every few
    seconds that the job is alive: the window ends an engine whose job stays silent too long (client.py)."""
    done = threading.Event()

    def tick() -> None:
        while not done.wait(STILL_WORKING_S):
            report.send({"type": "progress", "id": report.job_id, "stage": stage, "done": 0, "total": 0})

    ticker = threading.Thread(target=tick, name="engine-still-working", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()


class JobRunner:
    """Runs one request at a time on the engine; extra answers (`loaded`, `partial`) go out by `send`."""

    def __init__(self, engine: Any, send: Send) -> None:
        self.engine, self.send = engine, send
        self._handlers: dict[str, Callable[[Message, Reporter], dict[str, Any]]] = {
            "load": self._load, "unload": self._unload, "generate": self._generate, "decode": self._decode,
            "echo": self._echo, "split": self._split}

    def run(self, message: Message, report: Reporter) -> dict[str, Any]:
        handler = self._handlers.get(message.get("type", ""))
        if handler is None:
            raise InvalidRequestError(f"The engine does not know the request {message.get('type')!r}.")
        return handler(message, report)

    def facts(self, model: str, job_id: int, report: Reporter) -> messages.ModelFacts:
        with still_working(report, "Loading the model"):
            loaded = self.engine.load(model, progress=lambda stage, done, total: report(
                f"Loading the model: {stage}", done, total))
        facts = messages.ModelFacts(loaded.key, loaded.supports_melody, loaded.channels, loaded.sample_rate,
                                    loaded.max_duration)
        self.send({"type": "loaded", "id": job_id, "facts": facts.to_message()})
        return facts

    def _load(self, message: Message, report: Reporter) -> dict[str, Any]:
        report("Loading the model", 0, 0)
        return {"facts": self.facts(str(message["model"]), int(message["id"]), report).to_message()}

    def _unload(self, message: Message, report: Reporter) -> dict[str, Any]:
        self.engine.unload(message.get("model"))
        return {"memory": memory_report(self.engine)}

    def _generate(self, message: Message, report: Reporter) -> dict[str, Any]:
        request = messages.request_from_message(message["request"])
        melody = messages.melody_from_message(message.get("melody_source"))
        report("Loading the model", 0, 0)
        facts = self.facts(request.model, int(message["id"]), report)
        if melody is not None:
            request = request.with_melody(melody_for_model(
                melody.samples, melody.sample_rate, model_rate=facts.sample_rate,
                window_seconds=facts.window_seconds, duration=request.duration))
        report("Generating", 0, 1)
        began = time.monotonic()
        partial = self._partial_sender(int(message["id"])) if message.get("partial") else None
        results = self.engine.generate(request, cancel=report.cancel, partial=partial,
                                       progress=lambda done, total: report("Generating", done, total))
        return {"takes": [messages.result_to_message(result) for result in results],
                "facts": facts.to_message(), "seconds": time.monotonic() - began}

    def _partial_sender(self, job_id: int) -> Callable[[Any, int], None]:
        """Audio heard while generating, as `partial {id, audio [takes, channels, samples], start}`."""

        def send(audio: Any, start: int) -> None:
            self.send({"type": "partial", "id": job_id, "audio": audio, "start": int(start)})

        return send

    def _echo(self, message: Message, report: Reporter) -> dict[str, Any]:
        return {"payload": message.get("payload")}

    def _split(self, message: Message, report: Reporter) -> dict[str, Any]:
        stage = "Splitting into stems"
        report(stage, 0, 0)
        rate = int(message["sample_rate"])
        stems = self.engine.split(message["audio"], rate, cancel=report.cancel,
                                  progress=lambda done, total: report(stage, done, total))
        return {"stems": stems, "sample_rate": rate}

    def _decode(self, message: Message, report: Reporter) -> dict[str, Any]:
        decoder = str(message["decoder"])
        stage = "Decoding with " + ("MultiBand Diffusion" if decoder == "mbd" else "EnCodec")
        report(stage, 0, 0)
        audio = self.engine.decode(str(message["model"]), message["tokens"], decoder, mbd=message.get("mbd"),
                                   seed=int(message.get("seed") or 0), cancel=report.cancel,
                                   progress=lambda done, total: report(stage, done, total), loop=message.get("loop"))
        return {"audio": audio}
