"""The window's side: start the engine process, send it requests, hear everything it says.

`EngineProcess` is Qt-free: a reader thread receives the engine's messages (arrays already loaded)
and hands each to `on_message`; when the process ends, for whatever reason, it hands over a last
message {"type": "exited", "code": ..., "expected": ...}. Writing is safe from any thread.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sketchpad.engine_link.arrays import ArrayExchange
from sketchpad.engine_link.wire import PROTOCOL_VERSION, Message, ProtocolError, read_message, write_message

HOST_FLAG = "--engine-host"  # a frozen bundle has no `python -m`: its executable takes this flag instead
LOG_LIMIT_BYTES = 2 * 2**20


@dataclass(frozen=True)
class EngineOptions:
    device: str = "auto"
    offline: bool = False
    log_path: Path | None = None  # the engine's stderr; None keeps the window's
    precision: str = "auto"  # "fast", "exact", or "auto" (fast on the CPU): sketchpad/engine/precision.py


def host_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, HOST_FLAG]
    return [sys.executable, "-m", "sketchpad.engine_host"]


class EngineProcess:
    """One engine process. Start it once; after it exits, make a new one."""

    def __init__(self, options: EngineOptions, on_message: Callable[[Message], None]) -> None:
        self.options = options
        self.on_message = on_message
        self.exchange: ArrayExchange | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._ids = itertools.count(1)
        self._write_lock = threading.Lock()
        self._stopping = False
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        self.exchange = ArrayExchange.create()
        command = [*host_command(), "--exchange", str(self.exchange.folder), "--device", self.options.device]
        if self.options.offline:
            command.append("--offline")
        if self.options.precision != "auto":
            command += ["--precision", self.options.precision]
        stderr = _open_log(self.options.log_path)
        flags = subprocess.CREATE_NO_WINDOW if sys.platform == "win32" else 0
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                             creationflags=flags)
        finally:
            if stderr is not None:
                stderr.close()  # the child has its own copy
        self._reader = threading.Thread(target=self._read, name="engine-link", daemon=True)
        self._reader.start()

    def request(self, kind: str, **fields: Any) -> int:
        """Send a job request; its id comes back in every answer about it."""
        job_id = next(self._ids)
        assert self.exchange is not None, "start() first"
        self.send({"type": kind, "id": job_id, **self.exchange.embed(fields)})
        return job_id

    def send(self, message: Message) -> bool:
        """False when the process is gone (its exit is reported by the reader)."""
        process = self._process
        if process is None or process.stdin is None:
            return False
        try:
            with self._write_lock:
                write_message(process.stdin, message)
        except (OSError, ValueError):  # a closed pipe: the engine has ended
            return False
        return True

    def stop(self, timeout: float = 3.0) -> None:
        """Ask the engine to end, then make sure it has; waits at most about `timeout` seconds."""
        process = self._process
        if process is None:
            return
        self._stopping = True
        self.send({"type": "shutdown"})
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(timeout)

    def kill(self) -> None:
        """End the engine at once, as a crash would (for tests and a stuck engine)."""
        if self._process is not None:
            self._process.kill()

    def _read(self) -> None:
        process, exchange = self._process, self.exchange
        assert process is not None and process.stdout is not None and exchange is not None
        problem = ""
        try:
            hello = read_message(process.stdout)
            if hello is not None and hello.get("protocol") != PROTOCOL_VERSION:
                raise ProtocolError(f"the engine speaks protocol {hello.get('protocol')}, the window "
                                    f"{PROTOCOL_VERSION}: reinstall Sketchpad")
            message = hello
            while message is not None:
                self.on_message(exchange.resolve(message))
                message = read_message(process.stdout)
        except ProtocolError as error:
            problem = str(error)
            process.kill()
        finally:
            code = process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            exchange.close()
            self.on_message({"type": "exited", "code": code, "expected": self._stopping, "problem": problem})


def _open_log(path: Path | None) -> IO[bytes] | None:
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > LOG_LIMIT_BYTES:
        os.replace(path, path.with_suffix(path.suffix + ".1"))
    return open(path, "ab")  # noqa: SIM115 - handed to the child process, closed right after


def describe_exit(code: int) -> str:
    """Why an engine process ended, in words, from its exit status."""
    if code < 0:
        import signal

        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if name == "SIGKILL":
            return "it was killed (the system may have run out of memory)"
        if name == "SIGSEGV":
            return "it crashed (a segmentation fault in a library)"
        return f"it was stopped by {name}"
    return f"it exited with status {code}"
