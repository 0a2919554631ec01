"""`sketchpad generate` and `sketchpad models`: MusicGen from the command line."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sketchpad.cli.errors import CliError
from sketchpad.core import decoders

if TYPE_CHECKING:
    from sketchpad.audio.files import DecodedAudio

OUTPUT_SUBTYPES = {".wav": "FLOAT", ".flac": "PCM_24"}


def register(commands: argparse._SubParsersAction) -> None:
    generate = commands.add_parser("generate", help="generate music from a text prompt into an audio file")
    generate.add_argument("--model", help="catalog id (e.g. facebook/musicgen-small) or a local model folder")
    generate.add_argument("--prompt", action="append", required=True,
                          help="the musical idea; repeat for several takes in one batch")
    generate.add_argument("--duration", type=float, default=10.0, help="seconds to generate (default 10)")
    generate.add_argument("--prompt-at", nargs=2, action="append", default=[], metavar=("SECONDS", "TEXT"),
                          help="from SECONDS on, the take follows TEXT (repeatable; a take longer than the "
                               "model's window changes prompt at its next window)")
    generate.add_argument("--bars", type=int, help="generate exactly this many bars instead of --duration")
    generate.add_argument("--tempo", type=float, help="beats per minute for --bars (default: one named in the "
                                                      "prompt, such as '90 bpm', else 120)")
    generate.add_argument("--metre", default=None, help="beats per bar for --bars, as 4/4 (default) or 3/4, 6/8")
    generate.add_argument("--loop", action="store_true", help="seamless when repeated (with --bars: exactly N bars)")
    generate.add_argument("--variations", type=int, default=1, help="takes per prompt (default 1)")
    generate.add_argument("--melody", type=Path, help="audio file whose melody conditions a melody model")
    generate.add_argument("--continue", dest="continuation", type=Path, help="audio file to continue from")
    generate.add_argument("--decoder", choices=decoders.DECODERS, default=decoders.DEFAULT_DECODER)
    generate.add_argument("--mbd", help="MultiBand Diffusion folder (default: facebook/multiband-diffusion)")
    generate.add_argument("--seed", type=int, help="same seed and inputs give the same music on one device")
    generate.add_argument("--top-k", type=int, default=250)
    generate.add_argument("--top-p", type=float, default=0.0)
    generate.add_argument("--temperature", type=float, default=1.0)
    generate.add_argument("--cfg-coef", type=float, default=3.0, help="classifier-free guidance (default 3)")
    generate.add_argument("--device", default="auto", help="auto, cuda, mps or cpu")
    generate.add_argument("--precision", choices=("auto", "fast", "exact"), default="auto",
                          help="fast (int8 weights; the CPU's default), exact (audiocraft's numbers, the GPU's "
                               "default) or auto")
    generate.add_argument("--offline", action="store_true", help="never touch the network")
    generate.add_argument("--out", type=Path, required=True, help="output file, .wav or .flac")
    _server_arguments(generate, "generate on a Sketchpad server (sketchpad serve) instead of this computer; "
                                "--model then names a model it offers")
    generate.set_defaults(func=run_generate)

    models = commands.add_parser("models", help="list the MusicGen models and which are on disk")
    _server_arguments(models, "list what a Sketchpad server offers instead")
    models.set_defaults(func=run_models)


def _server_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--server", metavar="URL", help=f"{what} (http:// or https://)")
    parser.add_argument("--token", help="the server's token (default: $SKETCHPAD_SERVER_TOKEN)")


class ProgressBar:
    """A one-line bar on a terminal; silent when stderr is a file or a pipe."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        fraction = done / max(total, 1)
        filled = int(fraction * 30)
        elapsed = time.monotonic() - self.started
        print(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {elapsed:5.1f} s",
              end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.enabled:
            print(file=sys.stderr)


def _read_input(path: Path, what: str, read: Callable[[Path], DecodedAudio]) -> DecodedAudio:
    from sketchpad.audio.errors import AudioFileError

    try:
        return read(path)
    except FileNotFoundError as error:
        raise CliError(f"{what} file not found: {path}") from error
    except (AudioFileError, OSError) as error:
        raise CliError(f"{what} file is not usable: {error}") from error


def _output_paths(out: Path, count: int) -> list[Path]:
    if count == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{index + 1}{out.suffix}") for index in range(count)]


def _sections(args: argparse.Namespace) -> tuple[tuple[float, str], ...]:
    try:
        sections = [(float(seconds), text) for seconds, text in args.prompt_at]
    except ValueError:
        raise CliError("--prompt-at takes SECONDS (a number) and TEXT") from None
    return tuple(sorted(sections))


def _seconds(args: argparse.Namespace) -> float:
    """--duration, or --bars at --tempo (or the prompt's) in --metre."""
    from sketchpad.workflow.tempo import bars_to_seconds, metre_in, tempo_in

    if args.bars is None:
        if args.tempo is not None or args.metre is not None:
            raise CliError("--tempo and --metre go with --bars")
        return args.duration
    if args.bars < 1:
        raise CliError("--bars must be 1 or more")
    tempo = args.tempo or tempo_in(args.prompt[0]) or 120.0
    if not 20 <= tempo <= 400:
        raise CliError(f"--tempo must be between 20 and 400 bpm, not {tempo:g}")
    metre = (4, 4) if args.metre is None else metre_in(f"in {args.metre}")
    if metre is None:
        raise CliError(f"--metre must look like 4/4, 3/4 or 6/8, not {args.metre!r}")
    return bars_to_seconds(args.bars, tempo, metre)


def run_generate(args: argparse.Namespace) -> int:

    suffix = args.out.suffix.lower()
    if suffix not in OUTPUT_SUBTYPES:
        raise CliError(f"--out must end in .wav or .flac, not {args.out.name!r}")
    if not args.out.parent.is_dir():
        raise CliError(f"the folder for --out does not exist: {args.out.parent}")
    if args.variations < 1:
        raise CliError("--variations must be 1 or more")
    from sketchpad.workflow.importing import read_clip_audio
    from sketchpad.workflow.melody import read_melody

    # a melody keeps every channel (its preparation makes it mono); audio to continue is read as an
    # imported clip is: mono or stereo, a surround file's first pair
    melody = _read_input(args.melody, "melody", read_melody) if args.melody else None
    start = _read_input(args.continuation, "--continue", read_clip_audio) if args.continuation else None

    from sketchpad.engine import catalog
    from sketchpad.engine.errors import EngineError
    from sketchpad.engine.request import AudioInput, GenerationRequest
    from sketchpad.workflow.melody import melody_for_model

    model = args.model or catalog.default_model()
    if args.server is not None and args.mbd:
        raise CliError("--mbd names a folder on this computer; a server decodes with its own MultiBand Diffusion")
    prompts = tuple(prompt for prompt in args.prompt for _ in range(args.variations))
    bar = ProgressBar("Generating")
    try:
        request = GenerationRequest(  # checked as it is made
            model=model, prompts=prompts, duration=_seconds(args), loop=args.loop, sections=_sections(args),
            top_k=args.top_k, top_p=args.top_p, temperature=args.temperature, cfg_coef=args.cfg_coef, seed=args.seed,
            continuation=None if start is None else AudioInput(start.samples, start.sample_rate))
    except EngineError as error:
        raise CliError(str(error)) from error
    if args.server is not None:
        from sketchpad.cli import remote

        results = remote.run_generate(args, request, melody, bar, ProgressBar("MultiBand Diffusion"))
        _write(args, [result.audio for result in results], results)
        return 0
    from sketchpad.engine.engine import Engine

    try:
        engine = Engine(args.device, offline=args.offline, precision=args.precision)
        print(f"Loading {model} on {engine.describe_device()}...", file=sys.stderr)
        if melody is not None:  # prepared for the model exactly as the window's engine prepares it
            loaded = engine.load(model)
            request = request.with_melody(melody_for_model(
                melody.samples, melody.sample_rate, model_rate=loaded.sample_rate,
                window_seconds=loaded.max_duration, duration=request.duration))
        results = engine.generate(request, progress=bar, cancel=threading.Event())
        bar.finish()
        audios = [result.audio for result in results]
        if args.decoder == decoders.MBD:
            decoding = ProgressBar("MultiBand Diffusion")
            audios = [engine.decode(model, result.tokens, decoders.MBD, mbd=args.mbd, seed=result.params["seed"],
                                    loop=result.params.get("loop"),
                                    progress=decoding) for result in results]
            decoding.finish()
    except EngineError as error:
        bar.finish()
        raise CliError(str(error)) from error
    _write(args, audios, results)
    return 0


def _write(args: argparse.Namespace, audios: list, results: list) -> None:
    from sketchpad.audio.writing import write_audio

    suffix = args.out.suffix.lower()
    for path, audio, result in zip(_output_paths(args.out, len(results)), audios, results, strict=True):
        write_audio(path, audio.clip(-1.0, 1.0) if suffix == ".flac" else audio, result.sample_rate,
                    subtype=OUTPUT_SUBTYPES[suffix])
        print(f"Wrote {path} ({result.seconds:.1f} s, seed {result.params['seed']})", file=sys.stderr)


def run_models(args: argparse.Namespace) -> int:
    if args.server is not None:
        from sketchpad.cli import remote

        return remote.run_models(args)
    from sketchpad.engine import catalog

    print(f"{'model':38} {'size':>5}  {'abilities':16} {'download':>9} {'memory':>7}  status")
    for info in catalog.CATALOG:
        abilities = ("stereo" if info.stereo else "mono") + (", melody" if info.melody else "")
        status = "on disk" if catalog.is_on_disk(info.id) else "downloads on first use"
        print(f"{info.id:38} {info.params:>5}  {abilities:16} {info.download_gb:>6.1f} GB {info.memory_gb:>4.1f} GB"
              f"  {status}")
    def state(present: object) -> str:
        return "on disk" if present else "downloads on first use"

    t5 = state(catalog.text_encoder_on_disk())
    print(f"\nText encoder every model needs ({catalog.T5_REPO}, about 0.9 GB): {t5}")
    print(f"Melody extractor for melody models (htdemucs, about 80 MB): {state(catalog.melody_extractor_on_disk())}")
    mbd = catalog.cached_file(catalog.MBD_REPO, catalog.MBD_FILE)
    print(f"MultiBand Diffusion decoder ({catalog.MBD_REPO}): {state(mbd)}")
    print("Any local folder holding state_dict.bin and compression_state_dict.bin loads too (--model DIR).")
    return 0
