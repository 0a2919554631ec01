"""`sketchpad render` and `sketchpad info`: headless commands on sketch files."""

from __future__ import annotations

import argparse
from pathlib import Path

from sketchpad.cli.errors import CliError
from sketchpad.core.durable import WriteFailed
from sketchpad.sketch import (
    FORMATS,
    MP3_BITRATES,
    ExportOptions,
    ExportResult,
    Sketch,
    SketchFileError,
    check_target,
    export_mix,
    export_stems,
    format_for_path,
    load_sketch,
)


def register(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001
    render = commands.add_parser(
        "render",
        help="render a sketch's mix (and stems) to audio files",
        description="Render the mix to FILE and/or one file per audible track into DIR.",
    )
    render.add_argument("sketch", metavar="SKETCH", help="a .sketch file")
    render.add_argument("--out", metavar="FILE", help="the mix file (.wav, .flac, .ogg or .mp3)")
    render.add_argument("--stems", metavar="DIR", help="a folder for one file per audible track")
    render.add_argument(
        "--format", choices=sorted(FORMATS), help="default: from --out's suffix (.wav: wav24)"
    )
    render.add_argument(
        "--bitrate", type=int, metavar="KBPS",
        help=f"MP3 only: {', '.join(map(str, MP3_BITRATES))} kbps, constant (default {ExportOptions().bitrate})",
    )
    render.add_argument("--rate", default="sketch", metavar="RATE", help="sketch (default), 44100 or 48000")
    render.add_argument(
        "--range", default="all", metavar="RANGE", help="all (default), loop, or START:END seconds"
    )
    render.add_argument("--normalize", action="store_true", help="bring the mix's true peak to -1 dBTP")
    render.set_defaults(func=run_render)

    info = commands.add_parser(
        "info", help="describe a sketch file", description="Check a sketch and describe it."
    )
    info.add_argument("sketch", metavar="SKETCH", help="a .sketch file")
    info.set_defaults(func=run_info)


def _load(path: str) -> Sketch:

    try:
        return load_sketch(path)
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except SketchFileError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"{path}: cannot read ({(error.strerror or 'an unknown error').lower()})") from None


def _options(args: argparse.Namespace, sketch: Sketch) -> ExportOptions:

    fmt = args.format
    if fmt is None:
        try:
            fmt = format_for_path(args.out) if args.out else "wav24"
        except ValueError as error:
            raise CliError(str(error)) from None
    elif args.out and Path(args.out).suffix.lower() != FORMATS[fmt].suffix:
        raise CliError(f"--format {fmt} writes {FORMATS[fmt].suffix} files, but --out is {args.out}")
    if args.bitrate is not None and FORMATS[fmt].container != "MP3":
        raise CliError(f"--bitrate is for MP3 files; {fmt} has no bitrate to choose")
    if args.bitrate is not None and args.bitrate not in MP3_BITRATES:
        raise CliError(f"--bitrate must be {', '.join(map(str, MP3_BITRATES))} (kbps), not {args.bitrate}")
    if args.rate == "sketch":
        rate = None
    elif args.rate in ("44100", "48000"):
        rate = int(args.rate)
    else:
        raise CliError(f"--rate must be sketch, 44100 or 48000, not {args.rate!r}")
    if args.range in ("all", "loop"):
        if args.range == "loop" and sketch.loop is None:
            raise CliError("--range loop: the sketch has no loop region")
        span: str | tuple[int, int] = args.range
    else:
        try:
            start, end = (float(part) for part in args.range.split(":"))
        except ValueError:
            raise CliError(f"--range must be all, loop or START:END in seconds, not {args.range!r}") from None
        if not 0 <= start < end:
            raise CliError(f"--range {args.range}: need 0 <= START < END")
        span = (round(start * sketch.sample_rate), round(end * sketch.sample_rate))
    bitrate = ExportOptions().bitrate if args.bitrate is None else args.bitrate
    return ExportOptions(format=fmt, sample_rate=rate, range=span, normalize=args.normalize, bitrate=bitrate)


def run_render(args: argparse.Namespace) -> int:

    if not args.out and not args.stems:
        raise CliError("render needs --out FILE, --stems DIR, or both")
    try:  # both places first: a folder as --out, or a file as --stems, is refused before anything is written
        for target, stems in ((args.out, False), (args.stems, True)):
            if target:
                check_target(target, stems, suffix=FORMATS[args.format].suffix if args.format else ".wav")
    except ValueError as error:
        raise CliError(str(error)) from None
    sketch = _load(args.sketch)
    options = _options(args, sketch)
    if sketch.length == 0 and options.range == "all":
        raise CliError(f"{args.sketch}: the sketch has no clips to render")
    try:
        if args.out:
            _report(export_mix(sketch, args.out, options), options)
        if args.stems:
            export_stems(sketch, args.stems, options, written=lambda result: _report(result, options))
    except ValueError as error:
        raise CliError(str(error)) from None
    except WriteFailed as error:  # says what happened, to which file, and what to do
        raise CliError(str(error)) from None
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        raise CliError(f"cannot write{where}: {(error.strerror or 'an unknown error').lower()}") from None
    return 0


def _report(result: ExportResult, options: ExportOptions) -> None:
    """One line per file as soon as it is written, so a later failure still shows what was done."""
    seconds = result.frames / result.sample_rate
    kind = f"mp3 {options.bitrate} kbps" if FORMATS[options.format].container == "MP3" else options.format
    print(
        f"wrote {result.path}: {seconds:.3f} s at {result.sample_rate} Hz, {kind}, "
        f"{result.levels.describe()}", flush=True,
    )


def _seconds(samples: int, sketch: Sketch) -> str:
    return f"{samples / sketch.sample_rate:.3f} s"


def run_info(args: argparse.Namespace) -> int:
    sketch = _load(args.sketch)
    media = sketch.media()
    audio_bytes = sum(a.nbytes for item in media for a in item.audio.values())
    loop = (
        "none"
        if sketch.loop is None
        else f"{_seconds(sketch.loop[0], sketch)} to {_seconds(sketch.loop[1], sketch)}"
    )
    print(f"title: {sketch.title}")
    print(f"sample rate: {sketch.sample_rate} Hz")
    print(f"length: {_seconds(sketch.length, sketch)} ({sketch.length} samples)")
    print(f"tempo: {'none' if sketch.tempo is None else f'{sketch.tempo:g} BPM'}")
    print(f"loop: {loop}")
    print(f"media: {len(media)} ({audio_bytes / 2**20:.1f} MiB of audio in memory)")
    print(f"tracks: {len(sketch.tracks)}")
    for number, track in enumerate(sketch.tracks, 1):
        flags = "".join(f" [{flag}]" for flag in ("mute", "solo") if getattr(track, flag))
        print(
            f"  {number}. {track.name}: gain {track.gain_db:+.1f} dB, pan {track.pan:+.2f}{flags}, "
            f"{len(track.clips)} clips"
        )
        for clip in track.clips:
            item = clip.media
            origin = (
                f"generated by {item.model or 'an unknown model'}, playing {clip.decoder}"
                if item.origin == "generated"
                else f"{item.origin} from {item.source_file or 'unknown file'}"
            )
            print(
                f"     - {clip.name or clip.id}: at {_seconds(clip.start, sketch)}, "
                f"{_seconds(clip.length, sketch)} long, {clip.gain_db:+.1f} dB, {origin}"
            )
    return 0
