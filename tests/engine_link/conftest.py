"""Real engine processes (`python -m sketchpad.engine_host`) spoken to through the real link."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from typing import Any

import pytest

from sketchpad.engine.request import GenerationRequest
from sketchpad.engine_link import messages
from sketchpad.engine_link.client import EngineOptions, EngineProcess

READY_TIMEOUT_S = 240.0
JOB_TIMEOUT_S = 120.0


class Link:
    """An engine process and everything it has said, in order."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.process = EngineProcess(options or EngineOptions(device="cpu", offline=True), self.inbox.put)

    def start(self) -> Link:
        self.process.start()
        self.ready = self.wait("ready", timeout=READY_TIMEOUT_S)
        return self

    def wait(self, kind: str, job_id: int | None = None, *, timeout: float = JOB_TIMEOUT_S) -> dict[str, Any]:
        """The next message of `kind` (about `job_id`); fails on the engine's error or exit."""
        for message in self.seen:
            if message["type"] == kind and (job_id is None or message.get("id") == job_id):
                self.seen.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while True:
            message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            if message["type"] == kind and (job_id is None or message.get("id") == job_id):
                return message
            if message["type"] == "failed" or (message["type"] == "exited" and kind != "exited"):
                raise AssertionError(f"the engine ended while waiting for {kind}: {message}")
            if message["type"] == "error" and message.get("id") == job_id and kind != "error":
                raise AssertionError(f"job {job_id} failed: {message['message']}\n{message.get('details')}")
            self.seen.append(message)

    def generate(self, model: str, *, duration: float = 1.0, seed: int = 7, prompts: tuple[str, ...] = ("lofi piano",),
                 melody: messages.MelodySource | None = None, partial: bool = False) -> int:
        request = GenerationRequest(model=model, prompts=prompts, duration=duration, seed=seed)
        extra = {"partial": True} if partial else {}
        return self.process.request("generate", request=messages.request_to_message(request),
                                    melody_source=messages.melody_to_message(melody), **extra)

    def stop(self) -> None:
        self.process.stop()


@pytest.fixture(scope="module")
def link(tiny_models) -> Iterator[Link]:
    """One engine process shared by a module's tests that leave it as they found it."""
    shared = Link().start()
    yield shared
    shared.stop()


@pytest.fixture
def own_link(tiny_models) -> Iterator[Link]:
    """An engine process of a test's own (for tests that kill it or fill its memory)."""
    mine = Link().start()
    yield mine
    mine.process.kill()
    mine.stop()
