"""An engine on another machine, behind `sketchpad serve` (sketchpad/server): the same face as EngineProcess.

Standard library only (http.client, ssl): the window's process talks to a server without Ray or torch.
`start()` asks the server what it offers (`GET /v2/offers`) on a thread and hands over `hello` and
`ready {device, precision, offers}`; each `request()` is one `POST /v2/jobs` on a thread of its own whose
streamed body is the protocol's frames, handed to `on_message` as they arrive. `send({"type": "cancel",
"id": ...})` cancels a job on the server, `send({"type": "status"})` answers `memory`.

Faults are one sentence: at start (unreachable, wrong token, another protocol) the connection says
`failed {message}` and "exits" ({"type": "exited", "problem": ...}), as an engine that cannot start
would; during a job (a dropped connection, a model the server does not offer) that job gets an `error`
and the next request works.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from sketchpad.engine_link.wire import PROTOCOL_VERSION, FrameDecoder, Message, ProtocolError, encode, version_of

TOKEN_VARIABLE = "SKETCHPAD_SERVER_TOKEN"  # the server's token, for `sketchpad serve` and its clients
CONNECT_TIMEOUT_S = 10.0
READ_CHUNK = 1 << 20
TERMINAL = frozenset({"result", "error", "cancelled"})
JOB_HEADER = "Sketchpad-Job"
PROTOCOL_HEADER = "Sketchpad-Protocol"


class RemoteError(Exception):
    """Talking to the server failed; the text is one sentence for a person."""


class ServerAddress:
    """`http://host:port` or `https://host:port` (a path prefix is kept), checked once."""

    def __init__(self, url: str, token: str | None = None) -> None:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(f"{url!r} is not a server address: give one like http://gpu-box:8000")
        self.url, self.token = url.strip().rstrip("/"), token or None
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        try:
            self.port = parts.port or (443 if self.https else 80)
        except ValueError as error:
            raise RemoteError(f"{url!r} is not a server address: {error}") from None
        self.prefix = parts.path.rstrip("/")

    def connect(self, timeout: float | None = CONNECT_TIMEOUT_S) -> http.client.HTTPConnection:
        if self.https:
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def headers(self, **extra: str) -> dict[str, str]:
        headers = {"User-Agent": "sketchpad", PROTOCOL_HEADER: str(PROTOCOL_VERSION), **extra}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers


def describe_failure(address: ServerAddress, error: BaseException) -> str:
    """An exception from talking to the server, as one sentence."""
    if isinstance(error, RemoteError):
        return str(error)
    if isinstance(error, ssl.SSLError):
        return f"A secure connection to {address.url} failed: {error.reason or error}."
    if isinstance(error, socket.timeout | TimeoutError):
        return f"The server at {address.url} did not answer in time."
    if isinstance(error, socket.gaierror):
        return f"The server's name in {address.url} is not known (check the address)."
    if isinstance(error, ConnectionRefusedError):
        return f"Nothing answers at {address.url}: is the server running (sketchpad serve)?"
    if isinstance(error, ConnectionError | http.client.IncompleteRead | http.client.RemoteDisconnected):
        return f"The connection to the server at {address.url} dropped."
    if isinstance(error, OSError):
        return f"The server at {address.url} cannot be reached: {error.strerror or error}."
    return f"Talking to the server at {address.url} failed: {error}."


def refused(address: ServerAddress, response: http.client.HTTPResponse) -> RemoteError:
    """A non-200 answer, as one sentence."""
    try:
        detail = json.loads(response.read(65536) or b"{}").get("detail", "")
    except (ValueError, AttributeError, OSError):
        detail = ""
    if response.status == 401:
        return RemoteError(f"The server at {address.url} refused the token: check it (--token, or "
                           "SKETCHPAD_SERVER_TOKEN).")
    if response.status == 409 and detail:  # another protocol version: the server says which side to update
        return RemoteError(f"The server at {address.url} cannot work with this app: {detail}.")
    if response.status == 404:
        return RemoteError(f"{address.url} is not a Sketchpad server (or an older one); it has no engine here.")
    return RemoteError(f"The server at {address.url} refused the request ({response.status}"
                       f"{': ' + str(detail) if detail else ''}).")


def fetch_offers(address: ServerAddress, timeout: float = CONNECT_TIMEOUT_S) -> dict[str, Any]:
    """What the server offers, or RemoteError saying why not (unreachable, token, protocol)."""
    connection = address.connect(timeout)
    try:
        connection.request("GET", f"{address.prefix}/v2/offers", headers=address.headers())
        response = connection.getresponse()
        if response.status != 200:
            raise refused(address, response)
        try:
            offers = json.loads(response.read())
        except ValueError:
            raise RemoteError(f"{address.url} is not a Sketchpad server (its answer is not ours).") from None
    except (OSError, http.client.HTTPException) as error:
        raise RemoteError(describe_failure(address, error)) from error
    finally:
        connection.close()
    protocol = version_of(offers.get("protocol")) if isinstance(offers, dict) else None
    if protocol != PROTOCOL_VERSION:
        raise RemoteError(f"The server at {address.url} speaks protocol {protocol}, this Sketchpad "
                          f"{PROTOCOL_VERSION}: update the {'server' if (protocol or 0) < PROTOCOL_VERSION else 'app'} "
                          "so both are the same version.")
    return offers


def _memory(offers: dict[str, Any]) -> dict[str, Any]:
    """The serving replica's memory, as the local engine reports its own."""
    memory = offers.get("memory") if isinstance(offers.get("memory"), dict) else {}
    return {"rss": int(memory.get("rss") or 0), "device_bytes": memory.get("device_bytes")}


class RemoteEngine:
    """A server's engine for the window or the CLI: start, request, send, stop, as EngineProcess."""

    def __init__(self, address: ServerAddress, on_message: Callable[[Message], None]) -> None:
        self.address = address
        self.on_message = on_message
        self.offers: dict[str, Any] | None = None
        self.pid: int | None = None  # no local process
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._jobs: dict[int, _Job] = {}
        self._state = "new"  # new, starting, ready, gone

    @property
    def running(self) -> bool:
        return self._state in ("starting", "ready")

    def start(self) -> None:
        self._state = "starting"
        threading.Thread(target=self._start, name="engine-link-remote", daemon=True).start()

    def _start(self) -> None:
        began = time.monotonic()
        try:
            offers = fetch_offers(self.address)
        except RemoteError as error:  # as a local engine that cannot start: `failed`, then it is gone
            self.on_message({"type": "failed", "kind": "EngineError", "message": str(error), "details": ""})
            self._exit(str(error))
            return
        self.offers = offers
        if self._state != "starting":
            return
        self._state = "ready"
        self.on_message({"type": "hello", "protocol": offers["protocol"], "remote": self.address.url, "pid": None})
        self.on_message({"type": "ready", "device": f"{offers.get('device')} on {self.address.host}",
                         "precision": offers.get("precision"), "offers": offers, "memory": _memory(offers),
                         "seconds": time.monotonic() - began})

    def request(self, kind: str, **fields: Any) -> int:
        """Send a job request; its id comes back in every answer about it."""
        job_id = next(self._ids)
        job = _Job(self, job_id, encode({"type": kind, "id": job_id, **fields}))
        with self._lock:
            self._jobs[job_id] = job
        job.start()
        return job_id

    def send(self, message: Message) -> bool:
        """`cancel {id}` and `status`; False when the connection is gone."""
        if not self.running:
            return False
        kind = message.get("type")
        if kind == "cancel":
            with self._lock:
                job = self._jobs.get(message.get("id"))  # type: ignore[arg-type]
            if job is not None:
                job.cancel()
        elif kind == "status":
            threading.Thread(target=self._status, args=(message.get("id"),), daemon=True).start()
        return True

    def _status(self, job_id: Any) -> None:
        try:
            offers = fetch_offers(self.address)
        except RemoteError:
            return
        self.on_message({"type": "memory", "id": job_id, **_memory(offers)})

    def stop(self, timeout: float = 3.0) -> None:
        """Cancel what runs and end the connection (the server keeps serving others)."""
        if self._state == "gone":
            return
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.cancel()
        self._exit("", expected=True)

    def kill(self) -> None:
        """Drop every connection at once (the jobs end on the server too)."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.close()
        self._exit("The connection to the server was closed.", expected=False)

    def _exit(self, problem: str, *, expected: bool = False) -> None:
        with self._lock:
            if self._state == "gone":
                return
            self._state = "gone"
        self.on_message({"type": "exited", "code": 0 if expected else 1, "expected": expected, "problem": problem})

    def _finished(self, job_id: int) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)


class _Job:
    """One request's connection: the body up, the frames down, on a thread of its own."""

    def __init__(self, engine: RemoteEngine, job_id: int, body: bytes) -> None:
        self.engine, self.job_id, self.body = engine, job_id, body
        self.server_job: str | None = None
        self.cancelled = threading.Event()
        self._connection: http.client.HTTPConnection | None = None

    def start(self) -> None:
        threading.Thread(target=self._run, name=f"engine-link-job-{self.job_id}", daemon=True).start()

    def cancel(self) -> None:
        """Ask the server to stop the job; if that cannot be asked, closing the connection stops it."""
        self.cancelled.set()
        if self.server_job is None:
            return  # _run sees the flag as soon as the server has named the job
        threading.Thread(target=self._ask_cancel, daemon=True).start()

    def _ask_cancel(self) -> None:
        address = self.engine.address
        try:
            connection = address.connect()
            connection.request("POST", f"{address.prefix}/v2/jobs/{self.server_job}/cancel", body=b"",
                               headers=address.headers())
            ok = connection.getresponse().status == 200
            connection.close()
        except (OSError, http.client.HTTPException):
            ok = False
        if not ok:
            self.close()

    def close(self) -> None:
        connection = self._connection
        if connection is not None and connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    def _run(self) -> None:
        address, deliver = self.engine.address, self.engine.on_message
        ended = False
        try:
            self._connection = connection = address.connect()
            connection.request("POST", f"{address.prefix}/v2/jobs", body=self.body, headers=address.headers(
                **{"Content-Type": "application/vnd.sketchpad.frames"}))
            response = connection.getresponse()
            if response.status != 200:
                raise refused(address, response)
            self.server_job = response.getheader(JOB_HEADER)
            if self.cancelled.is_set():
                self.cancel()
            if connection.sock is not None:
                connection.sock.settimeout(None)  # a long job may be quiet while its model loads
            decoder = FrameDecoder()
            while not ended:
                data = response.read1(READ_CHUNK)
                if not data:
                    break
                for message in decoder.feed(data):
                    deliver(message)
                    ended = ended or (message.get("type") in TERMINAL and message.get("id") == self.job_id)
            if not ended:
                problem = (f"The connection to the server at {address.url} dropped in the middle of the job; "
                           "try again.")
                if self.cancelled.is_set():
                    deliver({"type": "cancelled", "id": self.job_id, "steps_after_cancel": None})
                    ended = True
                else:
                    raise RemoteError(problem)
        except ProtocolError as error:
            self._fail(f"The server at {address.url} sent something this Sketchpad cannot read ({error}).")
        except RemoteError as error:
            self._fail(str(error))
        except (OSError, http.client.HTTPException) as error:
            if self.cancelled.is_set():
                deliver({"type": "cancelled", "id": self.job_id, "steps_after_cancel": None})
            elif isinstance(error, ConnectionRefusedError | socket.gaierror | ssl.SSLError):
                self._fail(describe_failure(address, error))
            else:
                self._fail(f"The connection to the server at {address.url} dropped in the middle of the job; "
                           "try again.")
        except Exception as error:  # noqa: BLE001 - whatever happened, the job gets its one answer
            self._fail(f"Talking to the server at {address.url} failed in the middle of the job "
                       f"({type(error).__name__}: {error}); try again.")
        finally:
            if self._connection is not None:
                self._connection.close()
            self.engine._finished(self.job_id)

    def _fail(self, problem: str) -> None:
        self.engine.on_message({"type": "error", "id": self.job_id, "kind": "EngineCrashedError",
                                "message": problem, "details": ""})
