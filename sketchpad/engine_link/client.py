"""The window's side: start the engine process, send it requests, hear everything it says.

`EngineProcess` is Qt-free: a reader thread receives the engine's messages (arrays in place, the
framing does that) and hands each to `on_message`; when the process ends, for whatever reason, it hands
over a last message {"type": "exited", "code": ..., "expected": ..., "problem": ...}. Writing is safe
from any thread. A watchdog ends an engine that has gone silent: no heartbeat for `silence_limit_s`, or a
started job that has said nothing about itself for `job_limit_s` (its main thread hung while its
heartbeat thread still runs). Whatever the engine sends that cannot be read ends it too.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sketchpad.engine_link.wire import PROTOCOL_VERSION, Message, ProtocolError, read_message, version_of, write_message

HOST_FLAG = "--engine-host"  # a frozen bundle has no `python -m`: its executable takes this flag instead
LOG_LIMIT_BYTES = 2 * 2**20
ENDING_MESSAGES = frozenset({"result", "error", "cancelled"})


@dataclass(frozen=True)
class EngineOptions:
    device: str = "auto"
    offline: bool = False
    log_path: Path | None = None  # the engine's stderr; None keeps the window's
    precision: str = "auto"  # "fast", "exact", or "auto" (fast on the CPU): sketchpad/engine/precision.py
    server: str = ""  # "" runs the engine on this computer; else a `sketchpad serve` address (engine_link/remote.py)
    token: str = ""  # the server's bearer token, if it asks for one
    silence_limit_s: float = 30.0  # no message at all (the engine beats every second): it is hung or stopped
    job_limit_s: float = 600.0  # a started job silent this long (it reports every step): its engine is hung


def host_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, HOST_FLAG]
    return [sys.executable, "-m", "sketchpad.engine_host"]


class EngineProcess:
    """One engine process. Start it once; after it exits, make a new one."""

    def __init__(self, options: EngineOptions, on_message: Callable[[Message], None]) -> None:
        self.options = options
        self.on_message = on_message
        self._process: subprocess.Popen[bytes] | None = None
        self._ids = itertools.count(1)
        self._write_lock = threading.Lock()
        self._stopping = False
        self._reader: threading.Thread | None = None
        self._watchdog = threading.Event()  # set when the reader is done
        self._heard = 0.0  # monotonic time of the last message
        self._jobs_heard: dict[int, float] = {}  # started jobs: when each last said something
        self._problem = ""

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        command = [*host_command(), "--device", self.options.device]
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
        self._heard = time.monotonic()
        self.send({"type": "hello", "protocol": PROTOCOL_VERSION})
        self._reader = threading.Thread(target=self._read, name="engine-link", daemon=True)
        self._reader.start()
        threading.Thread(target=self._watch, name="engine-watchdog", daemon=True).start()

    def request(self, kind: str, **fields: Any) -> int:
        """Send a job request (arrays anywhere in it); its id comes back in every answer about it."""
        job_id = next(self._ids)
        self.send({"type": kind, "id": job_id, **fields})
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
        process = self._process
        assert process is not None and process.stdout is not None
        try:
            hello = read_message(process.stdout)
            if hello is not None and version_of(hello.get("protocol")) != PROTOCOL_VERSION:
                raise ProtocolError(f"the engine speaks protocol {hello.get('protocol')!r}, the window "
                                    f"{PROTOCOL_VERSION}: reinstall Sketchpad")
            message = hello
            while message is not None:
                self._note(message)
                if message["type"] != "heartbeat":
                    self.on_message(message)
                message = read_message(process.stdout)
        except Exception as error:  # noqa: BLE001 - anything unreadable ends this engine, never the window
            self._end(f"it sent something unreadable ({error})")
        finally:
            code = process.wait()
            self._watchdog.set()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            self.on_message({"type": "exited", "code": code, "expected": self._stopping, "problem": self._problem})

    def _note(self, message: Message) -> None:
        now = self._heard = time.monotonic()
        job_id, kind = message.get("id"), message.get("type")
        if kind == "started" and isinstance(job_id, int):
            self._jobs_heard[job_id] = now
        elif kind in ENDING_MESSAGES:
            self._jobs_heard.pop(job_id, None)
        elif job_id in self._jobs_heard:
            self._jobs_heard[job_id] = now

    def _watch(self) -> None:
        while not self._watchdog.wait(0.5):
            now = time.monotonic()
            if now - self._heard > self.options.silence_limit_s:
                self._end(f"it stopped answering (no sign of life for {self.options.silence_limit_s:g} s)")
            elif any(now - heard > self.options.job_limit_s for heard in list(self._jobs_heard.values())):
                self._end(f"a job said nothing for {self.options.job_limit_s:g} s (the engine hung)")

    def _end(self, problem: str) -> None:
        if not self._problem and not self._stopping:
            self._problem = problem
        if self._process is not None:
            self._process.kill()


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
