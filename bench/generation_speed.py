"""Generation speed on this machine: the engine's modes against audiocraft's own MusicGen.generate.

--size tiny (default): a tiny random model; small/medium: the released geometry with random weights
(bench/_fullsize.py, built once into a lasting folder); --model: a real folder or a cached hub id.
Prints `metric: value` lines. Ratios come from one run with the contenders interleaved (A/B/C, A/B/C...):

- step_ms, realtime_x, generate_s: the engine in its default mode (fast on the CPU); exact_* likewise;
- vs_audiocraft_x, vs_audiocraft_exact_x: audiocraft's median time / the engine's median time, the same
  request, with audiocraft at torch's own thread count, as the app ran it before;
- decode_ms_per_s: EnCodec decoding; peak_rss_mb; first_audio_s (audio heard while generating);
- batch4_vs_1_x: four variations against one; int8_floor_step_ms: the LM's linear weights at one byte
  each over the measured memory bandwidth;
- variant.<name>.*: the issue's table, step ms and teacher-forced agreement with float32 eager
  (bench/_variants.py), on `--agreement-seconds` of tokens.

uv run python bench/generation_speed.py --size small --duration 2 --runs 3
uv run python bench/generation_speed.py --size small --kind melody   # or stereo: 8 codebooks
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _fullsize import fullsize_model, fullsize_world, lm_linear_weights  # noqa: E402
from _tiny import offline_world, tiny_model  # noqa: E402

PROMPT = "earthy tones, ukulele, gentle grooves"


def _model(args: argparse.Namespace) -> str:
    if args.model:
        return args.model  # a real checkpoint: the hub cache stays where it is; offline below
    kind = {"stereo": args.kind == "stereo", "melody": args.kind == "melody"}
    if args.size == "tiny":
        return str(tiny_model(offline_world(), args.kind, **kind))
    return str(fullsize_model(fullsize_world(), args.size, **kind))


def _hum(seconds: float, rate: int = 32000):
    """A sung-like figure for the melody path's chroma: five notes, a second each."""
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    pitch = 220.0 * 2 ** (np.floor(t) % 5 / 12)
    return (0.4 * np.sin(2 * np.pi * np.cumsum(pitch) / rate)).astype(np.float32)[None, :], rate


def bandwidth_gbps(threads: int) -> float:
    """Memory read bandwidth at `threads`: the best of a few sums over 512 MB (far beyond any cache)."""
    import torch

    torch.set_num_threads(threads)
    data = torch.ones(128 * 2**20)
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        data.sum()
        best = min(best, time.perf_counter() - began)
    return data.numel() * 4 / best / 1e9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=("tiny", "small", "medium"), default="tiny")
    parser.add_argument("--model", help="a model folder or a hub id already on disk (overrides --size)")
    parser.add_argument("--kind", choices=("mono", "stereo", "melody"), default="mono",
                        help="the released geometry as a stereo (8 codebooks) or melody (chroma) model")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--duration", type=float, default=None, help="seconds per take (tiny 10, else 2)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--agreement-seconds", type=float, default=1.0)
    parser.add_argument("--skip", default="", help="comma-separated: audiocraft,variants,first_audio,batch")
    parser.add_argument("--long-seconds", type=float, default=0.0,
                        help="also time one take this long in the default mode (attention grows with it)")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    duration = args.duration or (10.0 if args.size == "tiny" and not args.model else 2.0)
    model = _model(args)
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import psutil
    import torch

    from sketchpad.engine import partial_audio
    from sketchpad.engine.decoders import decode_encodec
    from sketchpad.engine.engine import Engine
    from sketchpad.engine.request import GenerationRequest
    from sketchpad.engine.threads import choose_threads

    baseline_threads = torch.get_num_threads()  # torch's own choice: what audiocraft runs with
    fast, exact = Engine(args.device, offline=True), Engine(args.device, offline=True, precision="exact")
    began = time.perf_counter()
    loaded = fast.load(model)
    exact.models = fast.models  # one copy of the model for both
    print(f"device: {fast.describe_device()}")
    print(f"model: {model}")
    print(f"load_s: {time.perf_counter() - began:.2f}")
    musicgen = loaded.musicgen
    cuda = fast.device.startswith("cuda")
    threads = choose_threads()
    print(f"threads: {threads} (audiocraft at torch's default: {baseline_threads})")
    print(f"default_precision: {fast.precision}")
    melody = None
    if loaded.supports_melody:
        from sketchpad.engine.request import AudioInput

        samples, rate = _hum(max(duration, 5.0))
        melody = AudioInput(samples, rate)
    print(f"kind: {'melody' if melody is not None else 'stereo' if loaded.channels == 2 else 'mono'}")
    request = GenerationRequest(model, (PROMPT,), duration=duration, top_k=250, seed=1, melody=melody)

    def timed(work) -> float:
        began = time.perf_counter()
        work()
        if cuda:
            torch.cuda.synchronize()
        return time.perf_counter() - began

    def stepper(clock: list[float]):
        """A progress callback that notes when each LM step ends: the step time without the text
        encoder before the first step or the audio decode after the last."""
        clock.clear()
        return lambda done, total: clock.append(time.perf_counter())

    def audiocraft_generate(clock: list[float]) -> None:
        torch.set_num_threads(baseline_threads)
        torch.manual_seed(1)
        musicgen.set_generation_params(duration=duration, top_k=min(250, musicgen.lm.card), cfg_coef=3.0,
                                       extend_stride=min(18.0, loaded.max_duration * 0.6))
        musicgen.set_custom_progress_callback(stepper(clock))
        try:
            if melody is None:
                musicgen.generate([PROMPT], progress=True).cpu()
            else:
                chroma = torch.from_numpy(melody.samples)[None]
                musicgen.generate_with_chroma([PROMPT], chroma, melody.sample_rate, progress=True).cpu()
        finally:
            musicgen.set_custom_progress_callback(None)

    contenders = {"fast": lambda clock: fast.generate(request, progress=stepper(clock)),
                  "exact": lambda clock: exact.generate(request, progress=stepper(clock))}
    if "audiocraft" not in skip:
        contenders["audiocraft"] = audiocraft_generate
    for work in contenders.values():
        work([])  # warm up every path (and build the int8 weights) before the clock runs
    times: dict[str, list[float]] = {name: [] for name in contenders}
    step_times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.runs):
        for name, work in contenders.items():
            clock: list[float] = []
            times[name].append(timed(lambda: work(clock)))  # noqa: B023 - called at once
            step_times[name].append((clock[-1] - clock[0]) / max(1, len(clock) - 1))
    median = {name: statistics.median(values) for name, values in times.items()}
    step_ms = {name: 1000 * statistics.median(values) for name, values in step_times.items()}
    for name, label in (("fast", ""), ("exact", "exact_")):
        print(f"{label}generate_s: {median[name]:.2f}")
        print(f"{label}step_ms: {step_ms[name]:.1f}")
        print(f"{label}realtime_x: {duration / median[name]:.3f}")
    if "audiocraft" in median:
        print(f"audiocraft_generate_s: {median['audiocraft']:.2f}")
        print(f"audiocraft_step_ms: {step_ms['audiocraft']:.1f}")
        for name, label in (("fast", ""), ("exact", "_exact")):
            ratios = [a / b for a, b in zip(times["audiocraft"], times[name], strict=True)]
            print(f"vs_audiocraft{label}_x: {statistics.median(ratios):.2f}")
            ratios = [a / b for a, b in zip(step_times["audiocraft"], step_times[name], strict=True)]
            print(f"vs_audiocraft{label}_step_x: {statistics.median(ratios):.2f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    print(f"rss_after_generating_mb: {psutil.Process().memory_info().rss / 2**20:.0f}")
    if cuda:
        print(f"peak_gpu_mb: {torch.cuda.max_memory_allocated() / 2**20:.0f}")

    tokens = fast.generate(GenerationRequest(model, (PROMPT,), duration=min(10.0, duration * 5), seed=2))[0].tokens
    torch.set_num_threads(threads)
    decode_s_per_s = min(timed(lambda: decode_encodec(loaded, tokens, fast.precision)) for _ in range(2)) / (
        tokens.shape[1] / loaded.frame_rate)
    print(f"decode_ms_per_s: {1000 * decode_s_per_s:.0f}")

    weights = lm_linear_weights(musicgen.lm)
    gbps = bandwidth_gbps(threads)
    print(f"lm_linear_weights_m: {weights / 1e6:.2f}")
    print(f"memory_bandwidth_gbps: {gbps:.1f}")
    for name, width in (("fp32", 4), ("bf16", 2), ("int8", 1)):
        print(f"{name}_floor_step_ms: {1000 * weights * width / (gbps * 1e9):.2f}")
    print(f"step_vs_int8_floor_x: {step_ms['fast'] / (1000 * weights / (gbps * 1e9)):.2f}")
    static = loaded.steps.get("static:int8:sliced")
    if static is not None:
        # What the fast step really reads: the text's keys and values are projected once per take, and
        # the output projections stay float32.
        print(f"fast_step_reads_mb: {static.weights.linear_bytes / 1e6:.2f}")
        print(f"fast_step_floor_ms: {1000 * static.weights.linear_bytes / (gbps * 1e9):.2f}")

    if "first_audio" not in skip:
        first_audio(fast, model, loaded, max(3.0, duration), step_ms["fast"] / 1000, decode_s_per_s, partial_audio)
    if "batch" not in skip:
        one = timed(lambda: fast.generate(request))
        four = timed(lambda: fast.generate(GenerationRequest(model, (PROMPT,) * 4, duration=duration, seed=1,
                                                             melody=melody)))
        print(f"batch4_vs_1_x: {four / one:.2f}")
    if args.long_seconds:
        long_request = GenerationRequest(model, (PROMPT,), duration=args.long_seconds, seed=5)
        clock: list[float] = []
        long_s = timed(lambda: fast.generate(long_request, progress=stepper(clock)))
        print(f"long_take_s: {args.long_seconds:g}")
        print(f"long_step_ms: {1000 * (clock[-1] - clock[0]) / (len(clock) - 1):.1f}")
        print(f"long_realtime_x: {args.long_seconds / long_s:.3f}")
    if "variants" not in skip and not cuda:
        variants(musicgen, threads, baseline_threads, args.agreement_seconds)


def first_audio(engine, model: str, loaded, duration: float, step_s: float, decode_s_per_s: float,
                partial_audio) -> None:
    """When the first piece of audio arrives while generating, against the issue's target."""
    from sketchpad.engine.request import GenerationRequest

    arrivals: list[tuple[float, int, int]] = []
    began = time.perf_counter()
    request = GenerationRequest(model, (PROMPT,), duration=duration, seed=3)
    takes = engine.generate(request, partial=lambda audio, start: arrivals.append(
        (time.perf_counter() - began, start, audio.shape[-1])))
    total_s = time.perf_counter() - began
    began = time.perf_counter()
    engine.generate(request)
    plain_s = time.perf_counter() - began
    first_s, _start, first_samples = arrivals[0]
    delays = loaded.musicgen.lm.num_codebooks - 1
    needed_frames = int(partial_audio.FIRST_CHUNK_S * loaded.frame_rate) + partial_audio.RIGHT_FRAMES
    print(f"first_audio_s: {first_s:.2f}")
    print(f"first_audio_tokens_s: {needed_frames / loaded.frame_rate:.2f}")
    # The target: the time of 1.5 s of audio's tokens (and the codebook delays) plus one piece's decode.
    target = (1.5 * loaded.frame_rate + delays) * step_s + first_samples / loaded.sample_rate * decode_s_per_s
    print(f"first_audio_target_s: {target:.2f}")
    print(f"partial_pieces: {len(arrivals)}")
    print(f"partial_overhead_x: {total_s / plain_s:.2f}")
    heard = sum(samples for _, _, samples in arrivals)
    print(f"partial_covers_take: {str(heard == takes[0].audio.shape[-1]).lower()}")


def variants(musicgen, threads: int, baseline_threads: int, seconds: float) -> None:
    import _variants
    from audiocraft.modules.conditioners import ConditioningAttributes

    lm = musicgen.lm
    steps = int(seconds * musicgen.frame_rate)
    attributes = [ConditioningAttributes(text={"description": PROMPT})]
    torch_threads = threads
    top_k = min(250, int(lm.card))
    sequence = _variants.reference_sequence(lm, attributes, steps, seed=4, top_k=top_k)
    print(f"variant_threads: {torch_threads}")
    print(f"variant_steps: {sequence.shape[-1] - 1}")
    outcomes = _variants.compare(lm, _variants.table(lm, threads, baseline_threads), attributes, sequence,
                                 top_k=top_k, cfg_coef=3.0)
    base = outcomes[0].step_ms
    print(f"variant_agreement_reference: {outcomes[_variants.REFERENCE].name}")
    for outcome in outcomes:
        print(f"variant.{outcome.name}.step_ms: {outcome.step_ms:.1f}")
        print(f"variant.{outcome.name}.time_vs_fp32_eager: {outcome.step_ms / base:.2f}")
        print(f"variant.{outcome.name}.agreement: {outcome.agreement:.4f}")
        print(f"variant.{outcome.name}.kl_nats: {outcome.kl_nats:.2e}")
        print(f"variant.{outcome.name}.identical_logits: {str(outcome.identical).lower()}")


if __name__ == "__main__":
    main()
