"""The engine process's loop: one job at a time on the main thread; a reader thread takes messages.

The reader answers `cancel`, `status` and `shutdown` at once, even while a job runs, and queues the
rest. When the window's end of the pipe closes (it quit, or was killed), the process ends at once:
nothing it was doing is worth finishing, and no engine outlives its window.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from sketchpad import __version__
from sketchpad.engine.errors import EngineError, GenerationCancelledError, InvalidRequestError
from sketchpad.engine_host.channel import Channel, Reporter, claim_stdout, memory_report
from sketchpad.engine_host.priority import run_in_background
from sketchpad.engine_link import messages
from sketchpad.engine_link.arrays import ArrayExchange
from sketchpad.engine_link.wire import PROTOCOL_VERSION, Message, ProtocolError, read_message
from sketchpad.workflow.melody import melody_for_model

Handler = Callable[[Message, Reporter], dict[str, Any]]


class Host:
    def __init__(self, channel: Channel, exchange: ArrayExchange, *, device: str | None, offline: bool,
                 precision: str | None = None) -> None:
        self.channel, self.exchange = channel, exchange
        self.device, self.offline, self.precision = device, offline, precision
        self.engine: Any = None  # sketchpad.engine.engine.Engine, built on the main thread
        self._pending: queue.Queue[Message] = queue.Queue()
        self._lock = threading.Lock()
        self._waiting = 0
        self._current: Reporter | None = None
        self._cancelled: set[int] = set()
        self._handlers: dict[str, Handler] = {
            "load": self._load, "unload": self._unload, "generate": self._generate, "decode": self._decode,
            "echo": self._echo}

    # The reader thread
    def read(self, stream: BinaryIO) -> None:
        try:
            while (message := read_message(stream)) is not None:
                self._take(message)
        except ProtocolError as error:
            print(f"sketchpad engine: {error}", file=sys.stderr, flush=True)
        os._exit(0)

    def _take(self, message: Message) -> None:
        kind, job_id = message["type"], message.get("id")
        if kind == "shutdown":
            os._exit(0)
        if kind == "cancel":
            with self._lock:
                if self._current is not None and self._current.job_id == job_id:
                    self._current.request_cancel()
                elif isinstance(job_id, int):
                    self._cancelled.add(job_id)
        elif kind == "status":
            self._send_memory(job_id)
        elif kind in messages.JOB_REQUESTS and isinstance(job_id, int):
            with self._lock:
                ahead = self._waiting + (self._current is not None)
                self._waiting += 1
            self._pending.put(message)
            if ahead:
                self.channel.send({"type": "queued", "id": job_id, "position": ahead})
        else:
            self._send_error(job_id, InvalidRequestError(f"The engine does not know the request {kind!r}."), "")

    # The main thread
    def serve(self) -> int:
        try:
            from sketchpad.engine.engine import Engine
            from sketchpad.engine.runtime import import_audiocraft

            self.engine = Engine(self.device, offline=self.offline, precision=self.precision)
            import_audiocraft()  # now rather than inside the first request's progress
        except Exception as error:  # noqa: BLE001 - told to the window, which shows it
            self.channel.send({"type": "failed", **messages.error_to_message(error),
                               "details": traceback.format_exc()})
            return 1
        self.channel.send({"type": "ready", "device": self.engine.describe_device(), "memory": self._memory(),
                           "precision": self.engine.precision})
        while True:
            message = self._pending.get()
            with self._lock:
                self._waiting -= 1
            self._run(message)

    def _run(self, message: Message) -> None:
        job_id = int(message["id"])
        with self._lock:
            if job_id in self._cancelled:
                self._cancelled.discard(job_id)
                self.channel.send({"type": "cancelled", "id": job_id})
                return
            report = self._current = Reporter(self.channel, job_id)
        self.channel.send({"type": "started", "id": job_id})
        try:
            value = self._handlers[message["type"]](message, report)
            sent = time.time()  # before the arrays are written: the receiver measures the whole transfer
            self.channel.send({"type": "result", "id": job_id, "value": self.exchange.embed(value), "sent": sent})
        except GenerationCancelledError:
            self.channel.send({"type": "cancelled", "id": job_id, "steps_after_cancel": report.steps_after_cancel})
        except Exception as error:  # noqa: BLE001 - every failure is answered; the engine stays up
            self._send_error(job_id, error, traceback.format_exc())
        finally:
            with self._lock:
                self._current = None
            self._send_memory(None)

    def _send_error(self, job_id: int | None, error: BaseException, details: str) -> None:
        if isinstance(error, MemoryError):
            error = EngineError("The computer ran out of memory. Try a smaller model, a shorter duration or "
                                "fewer variations; the engine is ready to try again.")
        self.channel.send({"type": "error", "id": job_id, **messages.error_to_message(error), "details": details})

    def _memory(self) -> dict[str, Any]:
        return memory_report(self.engine.memory_in_use() if self.engine is not None else None)

    def _send_memory(self, job_id: int | None) -> None:
        self.channel.send({"type": "memory", "id": job_id, **self._memory()})

    # The requests
    def _loaded(self, model: str, job_id: int, report: Reporter) -> Any:
        loaded = self.engine.load(model, progress=lambda stage, done, total: report(
            f"Loading the model: {stage}", done, total))
        facts = messages.ModelFacts(loaded.key, loaded.supports_melody, loaded.channels, loaded.sample_rate,
                                    loaded.max_duration)
        self.channel.send({"type": "loaded", "id": job_id, "facts": facts.to_message()})
        return facts

    def _load(self, message: Message, report: Reporter) -> dict[str, Any]:
        report("Loading the model", 0, 0)
        return {"facts": self._loaded(str(message["model"]), int(message["id"]), report).to_message()}

    def _unload(self, message: Message, report: Reporter) -> dict[str, Any]:
        self.engine.unload(message.get("model"))
        return {"memory": self._memory()}

    def _generate(self, message: Message, report: Reporter) -> dict[str, Any]:
        request = messages.request_from_message(self.exchange.resolve(message["request"]))
        melody = messages.melody_from_message(self.exchange.resolve(message.get("melody_source")))
        report("Loading the model", 0, 0)
        facts = self._loaded(request.model, int(message["id"]), report)
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
            self.channel.send({"type": "partial", "id": job_id, **self.exchange.embed({"audio": audio}),
                               "start": int(start)})

        return send

    def _echo(self, message: Message, report: Reporter) -> dict[str, Any]:
        return {"payload": self.exchange.resolve(message.get("payload"))}

    def _decode(self, message: Message, report: Reporter) -> dict[str, Any]:
        decoder = str(message["decoder"])
        stage = "Decoding with " + ("MultiBand Diffusion" if decoder == "mbd" else "EnCodec")
        report(stage, 0, 0)
        tokens = self.exchange.resolve(message["tokens"])
        audio = self.engine.decode(str(message["model"]), tokens, decoder, mbd=message.get("mbd"),
                                   seed=int(message.get("seed") or 0), cancel=report.cancel,
                                   progress=lambda done, total: report(stage, done, total))
        return {"audio": audio}


def main(argv: Sequence[str] | None = None) -> int:
    run_in_background()  # below the window's priority before torch is imported (engine_host/priority.py)
    parser = argparse.ArgumentParser(prog="sketchpad-engine", description="Sketchpad's engine process.")
    parser.add_argument("--exchange", required=True, help="the folder arrays pass through")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--offline", action="store_true")
    parser.add_argument("--precision", default="auto", choices=("auto", "fast", "exact"),
                        help="fast (approximate, the CPU's default) or exact (audiocraft's numbers)")
    args = parser.parse_args(argv)
    channel = Channel(claim_stdout())
    channel.send({"type": "hello", "protocol": PROTOCOL_VERSION, "version": __version__, "pid": os.getpid()})
    host = Host(channel, ArrayExchange(args.exchange), device=None if args.device == "auto" else args.device,
                offline=args.offline, precision=args.precision)
    threading.Thread(target=host.read, args=(sys.stdin.buffer,), name="engine-reader", daemon=True).start()
    return host.serve()
