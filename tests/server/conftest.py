"""A real `sketchpad serve` (Ray Serve on 127.0.0.1) for the session, with the suite's tiny models.

It is started as a person starts it, the console script in a fresh process, and ended the same way
(SIGTERM). When Ray cannot start on this machine the server tests skip and say why; in CI (`CI` set)
they fail instead, so a broken server is never silently skipped there.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.launching import console_script

TOKEN = "test-token-0123456789"
START_TIMEOUT_S = 300  # Ray, Serve, two replicas' torch imports: ~50 s on a busy 2-core machine


@dataclass(frozen=True)
class Server:
    url: str
    token: str
    process: subprocess.Popen
    log: Path
    models: dict[str, Path]

    def sketchpad(self, *args: str, token: str | None = TOKEN, timeout: float = 180) -> subprocess.CompletedProcess:
        """The `sketchpad` console script in a fresh process (the client side)."""
        extra = ["--token", token] if token else []
        env = {key: value for key, value in os.environ.items() if key != "SKETCHPAD_SERVER_TOKEN"}
        return subprocess.run([str(console_script()), *args, *extra], capture_output=True, text=True,
                              timeout=timeout, env=env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the Ray Serve tests must run in CI: {reason}")
    pytest.skip(f"Ray Serve cannot start here: {reason}")


@pytest.fixture(scope="session")
def server(tiny_models) -> Iterator[Server]:
    if importlib.util.find_spec("ray") is None or importlib.util.find_spec("fastapi") is None:
        _unavailable("ray[serve] is not installed; `uv sync` installs the dev group with it")
    port = free_port()
    log = tiny_models.root.parent / "serve.log"
    # Three models on a replica that keeps two: the least recently used is unloaded and comes back.
    models = {"tiny": tiny_models.mono, "tiny-stereo": tiny_models.stereo, "tiny-melody": tiny_models.melody}
    command = [str(console_script()), "serve", "--port", str(port), "--token", TOKEN, "--device", "cpu",
               "--offline", "--gpus", "0", "--max-models", "2", "--mbd", str(tiny_models.mbd)]
    for name, folder in models.items():
        command += ["--model", f"{name}={folder}"]
    with open(log, "w") as output:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=output, text=True,
                                   start_new_session=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not any("serving on" in line for line in lines):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            _unavailable(f"`sketchpad serve` did not start; its log ends:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    url = next(line for line in lines if "serving on" in line).split("serving on", 1)[1].split()[0]
    assert url == f"http://127.0.0.1:{port}"
    try:
        yield Server(url=url, token=TOKEN, process=process, log=log, models=models)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM (the server shuts Serve and Ray down), then the whole session it started, whatever is left."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(90)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # Ray's own processes, if any outlived it
    process.wait()


class Client:
    """A RemoteEngine and everything it has said, for tests that watch a job's messages."""

    def __init__(self, url: str, token: str | None = TOKEN) -> None:
        import queue

        from sketchpad.engine_link.remote import RemoteEngine, ServerAddress

        self.inbox: queue.Queue = queue.Queue()
        self.engine = RemoteEngine(ServerAddress(url, token), self.inbox.put)
        self.engine.start()

    def next(self, timeout: float = 60) -> dict:
        return self.inbox.get(timeout=timeout)

    def until(self, kinds: set[str], timeout: float = 120, job_id: int | None = None) -> tuple[dict, list[dict]]:
        """The first message of one of `kinds` (for `job_id`, if given), and every message before it."""
        seen, deadline = [], time.monotonic() + timeout
        while True:
            message = self.inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
            if message["type"] in kinds and (job_id is None or message.get("id") == job_id):
                return message, seen
            seen.append(message)

    def generate(self, model: str = "tiny", prompts: tuple[str, ...] = ("lofi piano",), duration: float = 0.5,
                 **options) -> int:
        from sketchpad.engine.request import GenerationRequest
        from sketchpad.engine_link import messages

        request = GenerationRequest(model=model, prompts=prompts, duration=duration, **options)
        return self.engine.request("generate", request=messages.request_to_message(request))


@pytest.fixture
def client(server) -> Iterator[Client]:
    wait_until_serving(server)
    made = Client(server.url)
    ready, _ = made.until({"ready", "exited"})
    assert ready["type"] == "ready", ready
    yield made
    made.engine.stop()


def wait_until_serving(server: Server, timeout: float = 180) -> dict:
    """The server's offers once it answers again (after a replica was killed, Serve starts another)."""
    from sketchpad.engine_link.remote import RemoteError, ServerAddress, fetch_offers

    deadline = time.monotonic() + timeout
    while True:
        try:
            return fetch_offers(ServerAddress(server.url, server.token))
        except RemoteError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
