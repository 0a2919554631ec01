"""The engine behind Ray Serve on loopback against the local engine process, with the same model.

Prints:
- `local_first_audio_s`, `remote_first_audio_s` and `remote_first_audio_extra_s`: from a `generate`
  request (partial audio on, model already loaded) to its first `partial` message, median of 3, through
  the local engine process (pipes) and through `sketchpad serve`'s application (HTTP); the extra is the
  transport's cost; `remote_engine_seconds_extra_s` is how much longer the replica itself took to
  generate (its cores shared with Ray's own processes), which is not the transport.
- `remote_result_transfer_ms`: 60 s of stereo float32 coming back from the server (an `echo`), from the
  replica's clock when it sent the result to the client holding the arrays; median of 5.
- `serve_batch1_s`, `serve_batch4_s`, `serve_batch4_vs_1_x`: one client's generation against four
  clients asking at once (same model and settings, merged by Serve's batching into one generation of
  four takes; `serve_batch4_shared` says how many takes the shared generation held). 4.0 would be
  running them one after another.

`--size small` (default) is musicgen-small's geometry with random weights (bench/_fullsize.py); `--size
tiny` the tests' tiny model, for a quick look. Durations are short (`--seconds`, default 1.0) so a
2-core CPU finishes; on a GPU give more.
"""

from __future__ import annotations

import argparse
import queue
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """Everything an engine says, with its arrival time; a job's messages are kept until asked for."""

    def __init__(self) -> None:
        self.messages: queue.Queue = queue.Queue()
        self.kept: list[tuple[float, dict]] = []

    def put(self, message: dict) -> None:
        self.messages.put((time.time(), message))

    def until(self, kind: str, job_id: int | None = None, timeout: float = 1200) -> tuple[float, dict]:
        def wanted(message: dict) -> bool:
            return job_id is None or message.get("id") == job_id

        for index, (at, message) in enumerate(self.kept):
            if wanted(message) and message["type"] in (kind, "error", "cancelled"):
                del self.kept[index]
                return self._check(at, message, kind)
        while True:
            at, message = self.messages.get(timeout=timeout)
            if message["type"] in ("failed", "exited"):
                raise SystemExit(f"the engine failed: {message}")
            if wanted(message) and message["type"] in (kind, "error", "cancelled"):
                return self._check(at, message, kind)
            if message["type"] in ("result", "error", "cancelled", "partial"):
                self.kept.append((at, message))

    @staticmethod
    def _check(at: float, message: dict, kind: str) -> tuple[float, dict]:
        if message["type"] != kind:
            raise SystemExit(f"a job ended with {message['type']}: {message.get('message', '')}")
        return at, message


ENGINE_SECONDS: dict[str, list[float]] = {}  # the engine's own generation time, by transport


def first_audio(engine, inbox: Inbox, model: str, seconds: float) -> float:
    from sketchpad.engine.request import GenerationRequest
    from sketchpad.engine_link import messages

    request = GenerationRequest(model=model, prompts=("lofi piano",), duration=seconds, seed=1)
    began = time.time()
    job = engine.request("generate", request=messages.request_to_message(request), partial=True)
    at, _ = inbox.until("partial", job)
    _, result = inbox.until("result", job)
    ENGINE_SECONDS.setdefault(type(engine).__name__, []).append(result["value"]["seconds"])
    return at - began


def generate_wall(engine, inbox: Inbox, model: str, seconds: float, clients: int) -> tuple[float, int]:
    from sketchpad.engine.request import GenerationRequest
    from sketchpad.engine_link import messages

    began = time.time()
    jobs = [engine.request("generate", request=messages.request_to_message(
        GenerationRequest(model=model, prompts=(f"lofi piano {n}",), duration=seconds))) for n in range(clients)]
    shared = 0
    for job in jobs:
        _, result = inbox.until("result", job)
        shared = max(shared, len(result["value"]["takes"][0]["params"]["batch_prompts"]))
    return time.time() - began, shared


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=("small", "tiny"), default="small")
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    if args.size == "small":
        from _fullsize import fullsize_model, fullsize_world

        world = fullsize_world()
        folder = fullsize_model(world, "small")
    else:
        from _tiny import offline_world, tiny_model

        folder = tiny_model(offline_world())
    import numpy as np

    from sketchpad.engine_link.client import EngineOptions, EngineProcess
    from sketchpad.engine_link.remote import RemoteEngine, ServerAddress
    from sketchpad.server import app
    from sketchpad.server.config import ServerConfig

    print(f"model: musicgen-{args.size} geometry, random weights; {args.seconds:g} s per take; CPU", flush=True)
    local_inbox = Inbox()
    local = EngineProcess(EngineOptions(device="cpu", offline=True), local_inbox.put)
    local.start()
    local_inbox.until("ready")
    first_audio(local, local_inbox, str(folder), args.seconds)  # loads the model

    config = ServerConfig(models={"model": str(folder)}, port=free_port(), device="cpu", offline=True,
                          max_batch_prompts=4)  # the server's own batch wait (50 ms)
    app.start(config, num_cpus=2)
    try:
        inbox = Inbox()
        remote = RemoteEngine(ServerAddress(config.url), inbox.put)
        remote.start()
        inbox.until("ready")
        first_audio(remote, inbox, "model", args.seconds)  # loads the model in the replica
        # Alternated, both engines loaded and idle in between, so a busy machine weighs on both alike.
        local_times, remote_times = [], []
        for _ in range(3):
            local_times.append(first_audio(local, local_inbox, str(folder), args.seconds))
            remote_times.append(first_audio(remote, inbox, "model", args.seconds))
        local.stop()
        local_first, remote_first = statistics.median(local_times), statistics.median(remote_times)
        print(f"local_first_audio_s: {local_first:.3f}")
        print(f"remote_first_audio_s: {remote_first:.3f}")
        print(f"remote_first_audio_extra_s: {remote_first - local_first:.3f}")
        # How much of that is the replica's own work being slower (Ray's processes share the cores) rather
        # than the transport: the engine-side generation time, remote minus local (medians).
        engine_extra = (statistics.median(ENGINE_SECONDS["RemoteEngine"][-3:])
                        - statistics.median(ENGINE_SECONDS["EngineProcess"][-3:]))
        print(f"remote_engine_seconds_extra_s: {engine_extra:.3f}", flush=True)

        stereo = np.random.default_rng(0).standard_normal((2, 60 * 32000)).astype(np.float32)
        transfers = []
        for _ in range(5):
            job = remote.request("echo", payload={"audio": stereo})
            at, result = inbox.until("result", job)
            assert np.array_equal(result["value"]["payload"]["audio"], stereo)
            transfers.append((at - result["sent"]) * 1000)
        print(f"remote_result_transfer_ms: {statistics.median(transfers):.1f}", flush=True)

        one, _ = generate_wall(remote, inbox, "model", args.seconds, 1)
        threading.Event().wait(0.5)
        four, shared = generate_wall(remote, inbox, "model", args.seconds, 4)
        print(f"serve_batch1_s: {one:.2f}")
        print(f"serve_batch4_s: {four:.2f}")
        print(f"serve_batch4_shared: {shared}")
        print(f"serve_batch4_vs_1_x: {four / one:.2f}")
        remote.stop()
    finally:
        app.stop()


if __name__ == "__main__":
    main()
