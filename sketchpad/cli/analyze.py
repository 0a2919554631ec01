"""`sketchpad analyze FILE`: the tempo, metre and key of a recording, one per line."""

from __future__ import annotations

import argparse

from sketchpad.audio.analysis import ANALYSIS_RATE, analyse
from sketchpad.audio.errors import AudioFileError
from sketchpad.audio.files import read_audio
from sketchpad.cli.errors import CliError


def register(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001
    analyze = commands.add_parser(
        "analyze", help="detect the tempo, metre and key of an audio file",
        description="Print `tempo: X bpm`, `metre: N/D` and `key: ...` (each `unknown` when not found).")
    analyze.add_argument("file", metavar="FILE", help="an audio file (WAV, FLAC, OGG, MP3, ...)")
    analyze.set_defaults(func=run_analyze)


def run_analyze(args: argparse.Namespace) -> int:
    try:
        audio = read_audio(args.file, target_rate=ANALYSIS_RATE, channels=1)
    except FileNotFoundError:
        raise CliError(f"{args.file}: no such file") from None
    except (AudioFileError, OSError) as error:
        raise CliError(str(error)) from None
    for line in analyse(audio.samples, audio.sample_rate).lines():
        print(line)
    return 0
