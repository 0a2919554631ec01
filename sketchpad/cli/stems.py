"""`sketchpad split FILE --out DIR`: drums, bass, other and vocals of a recording, one file each."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from sketchpad.cli.errors import CliError
from sketchpad.cli.generate import OUTPUT_SUBTYPES, ProgressBar


def register(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001
    split = commands.add_parser(
        "split", help="split an audio file into drums, bass, other and vocals (demucs' htdemucs)",
        description="Write DIR/drums, bass, other and vocals, each of FILE's length and sample rate; "
                    "the four add up to FILE.")
    split.add_argument("file", metavar="FILE", help="an audio file (mono or stereo; more channels: the front pair)")
    split.add_argument("--out", type=Path, required=True, metavar="DIR", help="a folder (made if missing)")
    split.add_argument("--format", choices=("wav", "flac"), default="wav", help="wav (32-bit float, default) or flac")
    split.add_argument("--device", default="auto", help="auto, cuda, mps or cpu")
    split.add_argument("--offline", action="store_true", help="never touch the network")
    split.set_defaults(func=run_split)


def run_split(args: argparse.Namespace) -> int:
    from sketchpad.audio.errors import AudioFileError
    from sketchpad.audio.files import read_audio

    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"--out must be a folder, and {args.out} is a file")
    try:
        audio = read_audio(args.file)
    except FileNotFoundError:
        raise CliError(f"{args.file}: no such file") from None
    except (AudioFileError, OSError) as error:
        raise CliError(str(error)) from None
    samples = audio.samples if audio.samples.shape[0] <= 2 else audio.samples[:2]

    from sketchpad.audio.writing import write_audio
    from sketchpad.engine.engine import Engine
    from sketchpad.engine.errors import EngineError

    bar = ProgressBar("Splitting")
    try:
        engine = Engine(args.device, offline=args.offline)
        stems = engine.split(samples, audio.sample_rate, progress=bar, cancel=threading.Event())
    except EngineError as error:
        bar.finish()
        raise CliError(str(error)) from error
    bar.finish()
    suffix = f".{args.format}"
    args.out.mkdir(parents=True, exist_ok=True)
    for name, stem in stems.items():
        path = write_audio(args.out / f"{name}{suffix}", stem.clip(-1.0, 1.0) if suffix == ".flac" else stem,
                           audio.sample_rate, subtype=OUTPUT_SUBTYPES[suffix])
        print(f"Wrote {path}", file=sys.stderr)
    return 0
