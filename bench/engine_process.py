"""The engine process: how long it takes to start, whether unloading gives memory back, and how fast
audio comes back from it. Prints `engine_spawn_s` (start to ready, median of 3), `unload_rss_delta_mb`
(the engine's resident size after Unload minus its idle size, after a model of LM_DIM x LM_LAYERS was
loaded and used) and `result_transfer_ms` (60 s of stereo float32 audio from the engine to the window:
sent in-band after its message over the pipe, read back; median of 5).
"""

from __future__ import annotations

import queue
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tiny import offline_world, tiny_model  # noqa: E402

LM_DIM, LM_LAYERS = 1024, 12  # musicgen-small's width at half its depth: ~150 M weights, ~0.6 GB fp32


def main() -> None:
    world = offline_world()
    tiny = tiny_model(world)
    big = tiny_model(world, "big", dim=LM_DIM, layers=LM_LAYERS, seed=3)

    import numpy as np
    import psutil

    from sketchpad.engine.request import GenerationRequest
    from sketchpad.engine_link import messages
    from sketchpad.engine_link.client import EngineOptions, EngineProcess

    def start() -> tuple[EngineProcess, queue.Queue, float]:
        inbox: queue.Queue = queue.Queue()
        began = time.perf_counter()
        process = EngineProcess(EngineOptions(device="cpu", offline=True),
                                lambda message: inbox.put((time.time(), message)))
        process.start()
        wait(inbox, "ready")
        return process, inbox, time.perf_counter() - began

    def wait(inbox: queue.Queue, kind: str) -> tuple[float, dict]:
        while True:
            at, message = inbox.get(timeout=600)
            if message["type"] == kind:
                return at, message
            if message["type"] in ("error", "failed", "exited"):
                raise SystemExit(f"the engine failed: {message}")

    def generate(process: EngineProcess, inbox: queue.Queue, model: Path) -> None:
        request = GenerationRequest(model=str(model), prompts=("lofi piano",), duration=0.5, seed=1)
        process.request("generate", request=messages.request_to_message(request))
        wait(inbox, "result")

    spawns = []
    for _ in range(3):
        process, inbox, seconds = start()
        spawns.append(seconds)
        process.stop()
    process, inbox, _seconds = start()
    rss = lambda: psutil.Process(process.pid).memory_info().rss / 2**20  # noqa: E731
    generate(process, inbox, tiny)
    process.request("unload")
    wait(inbox, "result")
    idle = rss()
    generate(process, inbox, big)
    loaded = rss()
    process.request("unload")
    wait(inbox, "result")
    time.sleep(0.2)
    unloaded = rss()

    audio = np.random.default_rng(0).standard_normal((2, 60 * 32000)).astype(np.float32)
    transfers = []
    for _ in range(5):
        process.request("echo", payload={"audio": audio})
        received, message = wait(inbox, "result")
        assert np.array_equal(message["value"]["payload"]["audio"], audio)
        transfers.append((received - message["sent"]) * 1000)
    process.stop()

    print(f"# spawns: {', '.join(f'{s:.1f}' for s in spawns)} s; RSS idle {idle:.0f} MB, with the "
          f"{LM_DIM}x{LM_LAYERS} model {loaded:.0f} MB, after Unload {unloaded:.0f} MB")
    print(f"# transfers of 60 s stereo ({audio.nbytes / 2**20:.1f} MB): {', '.join(f'{t:.1f}' for t in transfers)} ms")
    print(f"engine_spawn_s: {statistics.median(spawns):.2f}")
    print(f"unload_rss_delta_mb: {unloaded - idle:.1f}")
    print(f"result_transfer_ms: {statistics.median(transfers):.1f}")


if __name__ == "__main__":
    main()
