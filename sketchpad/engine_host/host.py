"""The engine process's loop: one job at a time on the main thread; a reader thread takes messages.

The reader answers `cancel`, `status` and `shutdown` at once, even while a job runs, and queues the
rest. When the window's end of the pipe closes (it quit, or was killed), or it sends anything that is not
a message of this protocol, the process ends at once: nothing it was doing is worth finishing, and no
engine outlives its window. A heartbeat goes out every second from its own thread, so the window can
tell a hung engine from a busy one.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, BinaryIO

from sketchpad import __version__
from sketchpad.engine.errors import EngineError, GenerationCancelledError, InvalidRequestError
from sketchpad.engine_host.channel import Channel, claim_stdout
from sketchpad.engine_host.jobs import JobRunner, Reporter, memory_report, offers
from sketchpad.engine_host.priority import run_in_background
from sketchpad.engine_link import messages
from sketchpad.engine_link.wire import PROTOCOL_VERSION, Message, read_message, version_of

HEARTBEAT_INTERVAL_S = 1.0
CANCELLED_REMEMBERED = 1024  # ids cancelled before they ran; older ones are forgotten (they were never sent)


class Host:
    def __init__(self, channel: Channel, *, device: str | None, offline: bool, precision: str | None = None) -> None:
        self.channel = channel
        self.device, self.offline, self.precision = device, offline, precision
        self.engine: Any = None  # sketchpad.engine.engine.Engine, built on the main thread
        self.runner: JobRunner | None = None
        self._pending: queue.Queue[Message] = queue.Queue()
        self._lock = threading.Lock()
        self._waiting = 0
        self._current: Reporter | None = None
        self._cancelled: OrderedDict[int, None] = OrderedDict()

    # The reader thread
    def read(self, stream: BinaryIO) -> None:
        """Until the window's end closes; anything unreadable ends the process too (never an orphan)."""
        try:
            while (message := read_message(stream)) is not None:
                self._take(message)
        except Exception as error:  # noqa: BLE001 - whatever the stream did, this engine is done
            print(f"sketchpad engine: the window sent something unreadable: {error}", file=sys.stderr, flush=True)
            os._exit(3)
        os._exit(0)

    def _take(self, message: Message) -> None:
        kind, job_id = message["type"], message.get("id")
        if kind == "hello":
            if version_of(message.get("protocol")) != PROTOCOL_VERSION:
                self.channel.send({"type": "failed", "kind": "ProtocolMismatch",
                                   "message": f"The window speaks protocol {message.get('protocol')!r}, this engine "
                                              f"{PROTOCOL_VERSION}: reinstall Sketchpad."})
                os._exit(4)
            return
        if kind == "shutdown":
            os._exit(0)
        if kind == "cancel":
            with self._lock:
                if self._current is not None and self._current.job_id == job_id:
                    self._current.request_cancel()
                elif isinstance(job_id, int):
                    self._cancelled[job_id] = None
                    while len(self._cancelled) > CANCELLED_REMEMBERED:
                        self._cancelled.popitem(last=False)
        elif kind == "status":
            self._send_status(job_id)
        elif kind in messages.JOB_REQUESTS and type(job_id) is int:
            with self._lock:
                ahead = self._waiting + (self._current is not None)
                self._waiting += 1
            self._pending.put(message)
            if ahead:
                self.channel.send({"type": "queued", "id": job_id, "position": ahead})
        else:
            self._send_error(job_id, InvalidRequestError(f"The engine does not know the request {kind!r}."), "")

    def beat(self) -> None:
        """The heartbeat's thread: alive means this process still runs Python, whatever its job does."""
        while True:
            time.sleep(HEARTBEAT_INTERVAL_S)
            self.channel.send({"type": "heartbeat"})

    # The main thread
    def serve(self) -> int:
        try:
            from sketchpad.engine.engine import Engine
            from sketchpad.engine.runtime import import_audiocraft

            self.engine = Engine(self.device, offline=self.offline, precision=self.precision)
            import_audiocraft()  # now rather than inside the first request's progress
            self.runner = JobRunner(self.engine, self.channel.send)
        except Exception as error:  # noqa: BLE001 - told to the window, which shows it
            self.channel.send({"type": "failed", **messages.error_to_message(error),
                               "details": traceback.format_exc()})
            return 1
        self.channel.send({"type": "ready", "device": self.engine.describe_device(),
                           "memory": memory_report(self.engine), "precision": self.engine.precision,
                           "offers": offers(self.engine)})
        while True:
            message = self._pending.get()
            with self._lock:
                self._waiting -= 1
            self._run(message)

    def _run(self, message: Message) -> None:
        job_id = int(message["id"])
        with self._lock:
            if job_id in self._cancelled:
                del self._cancelled[job_id]
                self.channel.send({"type": "cancelled", "id": job_id})
                return
            report = self._current = Reporter(self.channel.send, job_id)
        self.channel.send({"type": "started", "id": job_id})
        assert self.runner is not None
        try:
            value = self.runner.run(message, report)
            self.channel.send({"type": "result", "id": job_id, "value": value, "sent": time.time()})
        except GenerationCancelledError:
            self.channel.send({"type": "cancelled", "id": job_id, "steps_after_cancel": report.steps_after_cancel})
        except Exception as error:  # noqa: BLE001 - every failure is answered; the engine stays up
            self._send_error(job_id, error, traceback.format_exc())
        finally:
            with self._lock:
                self._current = None
            self._send_status(None)

    def _send_error(self, job_id: int | None, error: BaseException, details: str) -> None:
        if isinstance(error, MemoryError):
            error = EngineError("The computer ran out of memory. Try a smaller model, a shorter duration or "
                                "fewer variations; the engine is ready to try again.")
        self.channel.send({"type": "error", "id": job_id, **messages.error_to_message(error), "details": details})

    def _send_status(self, job_id: int | None) -> None:
        self.channel.send({"type": "memory", "id": job_id, **memory_report(self.engine)})


def main(argv: Sequence[str] | None = None) -> int:
    run_in_background()  # below the window's priority before torch is imported (engine_host/priority.py)
    parser = argparse.ArgumentParser(prog="sketchpad-engine", description="Sketchpad's engine process.")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--offline", action="store_true")
    parser.add_argument("--precision", default="auto", choices=("auto", "fast", "exact"),
                        help="fast (approximate, the CPU's default) or exact (audiocraft's numbers)")
    args = parser.parse_args(argv)
    channel = Channel(claim_stdout())
    channel.send({"type": "hello", "protocol": PROTOCOL_VERSION, "version": __version__, "pid": os.getpid()})
    host = Host(channel, device=None if args.device == "auto" else args.device, offline=args.offline,
                precision=args.precision)
    threading.Thread(target=host.read, args=(sys.stdin.buffer,), name="engine-reader", daemon=True).start()
    threading.Thread(target=host.beat, name="engine-heartbeat", daemon=True).start()
    return host.serve()
