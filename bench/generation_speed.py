"""Generation speed on this machine's best device: load time, seconds of audio per second, peak memory.

With no --model, a tiny random model is built offline; give a catalog id or folder (already on disk)
to time a real MusicGen, e.g. on a GPU: uv run python bench/generation_speed.py --model facebook/musicgen-small
"""

from __future__ import annotations

import argparse
import statistics
import time

from _tiny import offline_world, tiny_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    model = args.model or str(tiny_model(offline_world()))

    import torch

    from sketchpad.engine.engine import Engine
    from sketchpad.engine.request import GenerationRequest

    engine = Engine(args.device)
    started = time.perf_counter()
    engine.load(model)
    load_s = time.perf_counter() - started
    request = GenerationRequest(model, ("earthy tones, ukulele, gentle grooves",) * args.batch,
                                duration=args.duration, seed=1)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        engine.generate(request)
        if engine.device.startswith("cuda"):
            torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    generate_s = statistics.median(times)
    print(f"device: {engine.describe_device()}")
    print(f"model: {model}")
    print(f"load_s: {load_s:.2f}")
    print(f"generate_s: {generate_s:.2f}")
    print(f"realtime_x: {args.duration * args.batch / generate_s:.2f}")
    if engine.device.startswith("cuda"):
        print(f"peak_gpu_mb: {torch.cuda.max_memory_allocated() / 2**20:.0f}")


if __name__ == "__main__":
    main()
