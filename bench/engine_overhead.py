"""The engine's generate against audiocraft's MusicGen.generate on the same tiny model.

Runs both several times, interleaved, and prints the median of engine time / audiocraft time last.
Usage: uv run python bench/engine_overhead.py [--runs N] [--duration S]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _tiny import offline_world, tiny_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--duration", type=float, default=3.0)
    args = parser.parse_args()
    world = offline_world()
    folder = str(tiny_model(world))

    import torch

    from sketchpad.engine.engine import Engine
    from sketchpad.engine.request import GenerationRequest

    engine = Engine("cpu", offline=True)
    musicgen = engine.load(folder).musicgen
    request = GenerationRequest(folder, ("earthy tones, ukulele, gentle grooves",), duration=args.duration,
                                top_k=32, seed=1)

    def with_engine() -> None:
        engine.generate(request, progress=lambda done, total: None)

    def with_audiocraft() -> None:
        torch.manual_seed(1)
        musicgen.set_generation_params(duration=args.duration, top_k=32)
        audio = musicgen.generate(list(request.prompts))
        audio.cpu().numpy()

    with_engine(), with_audiocraft()  # warm both paths up
    ratios, engine_times, direct_times = [], [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        with_engine()
        middle = time.perf_counter()
        with_audiocraft()
        end = time.perf_counter()
        engine_times.append(middle - start)
        direct_times.append(end - middle)
        ratios.append((middle - start) / (end - middle))
    print(f"device: {engine.describe_device()}")
    print(f"generated_seconds: {args.duration}")
    print(f"engine_median_s: {statistics.median(engine_times):.4f}")
    print(f"audiocraft_median_s: {statistics.median(direct_times):.4f}")
    print(f"engine_overhead_ratio: {statistics.median(ratios):.4f}")


if __name__ == "__main__":
    main()
