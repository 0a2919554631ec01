"""Export the mix, or one file per track, as WAV (16/24-bit, 32-bit float), FLAC, OGG Vorbis or MP3.

The order is: render at the sketch rate, apply the normalising gain, resample (soxr, very high
quality) to 44.1 or 48 kHz if asked, measure levels on exactly what goes in the file, quantise
(TPDF dither for 16 bits), write atomically.

A mix goes to a file and stems into a folder: a folder given for the mix, or a file for the stems, is
refused with the reason before anything is rendered (`check_target`), and `existing_outputs` lists the
files an export would replace, so the window can ask first. `plan_export` makes those checks and chooses
the format (so the suffix) once; an `ExportPlan` is exported as it is, without checking again.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile as sf

from sketchpad.core.durable import WriteFailed, fit_name, write_atomically
from sketchpad.core.resample import BlockResampler
from sketchpad.sketch.levels import LevelMeter, Levels, normalize_gain
from sketchpad.sketch.model import Sketch, Track, past_the_limit
from sketchpad.sketch.pcm import quantize
from sketchpad.sketch.render import Progress, mix_blocks, resolve_range


@dataclass(frozen=True)
class FileFormat:
    container: str
    subtype: str
    bits: int | None  # fixed-point depth we quantise to; None: floats go to the encoder
    suffix: str


FORMATS: dict[str, FileFormat] = {
    "wav16": FileFormat("WAV", "PCM_16", 16, ".wav"),
    "wav24": FileFormat("WAV", "PCM_24", 24, ".wav"),
    "wav32f": FileFormat("WAV", "FLOAT", None, ".wav"),
    "flac": FileFormat("FLAC", "PCM_24", 24, ".flac"),
    "flac16": FileFormat("FLAC", "PCM_16", 16, ".flac"),
    "ogg": FileFormat("OGG", "VORBIS", None, ".ogg"),
    "mp3": FileFormat("MP3", "MPEG_LAYER_III", None, ".mp3"),
}
EXPORT_RATES = (44100, 48000)
_BY_SUFFIX = {".wav": "wav24", ".flac": "flac", ".ogg": "ogg", ".oga": "ogg", ".mp3": "mp3"}
_AUDIO_SUFFIXES = frozenset({spec.suffix for spec in FORMATS.values()} | set(_BY_SUFFIX))

# MP3 is written at a constant bitrate (kbps). Only MPEG-1 rates: at 32 kHz and above every one of these
# bitrates exists; libsndfile refuses other rates (96 kHz) and lower rates cap the bitrate at 160. LAME's
# presets scale the signal at the lower bitrates, for headroom when decoded (measured: x0.95 = -0.45 dB at
# 128 kbps, x0.97 at 192, none at 256 and 320); the levels reported are those of the mix we encode.
MP3_BITRATES = (128, 192, 256, 320)
DEFAULT_MP3_BITRATE = 320
MP3_RATES = (32000, 44100, 48000)


def format_for_path(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _BY_SUFFIX:
        raise ValueError(f"cannot tell the format from {Path(path).name!r}: end the name in "
                         f"{', '.join(sorted(set(_BY_SUFFIX)))}, or name a format ({', '.join(sorted(FORMATS))})")
    return _BY_SUFFIX[suffix]


@dataclass(frozen=True)
class ExportOptions:
    format: str = "wav24"
    sample_rate: int | None = None  # None: the sketch's own rate; otherwise 44100 or 48000
    range: str | tuple[int, int] | None = None  # "all", "loop" or (start, end) in sketch samples
    normalize: bool = False  # bring the mix's true peak to `normalize_db`
    normalize_db: float = -1.0
    dither_seed: int | None = None  # fixes the 16-bit dither noise (tests, reproducible renders)
    bitrate: int = DEFAULT_MP3_BITRATE  # kbps, constant; MP3 only (one of MP3_BITRATES)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sample_rate: int
    frames: int
    levels: Levels  # of the audio as written, before quantisation
    gain: float  # the normalising factor applied (1.0 without normalisation)


def check_options(sketch: Sketch, options: ExportOptions) -> tuple[FileFormat, int, tuple[int, int]]:
    """The format, rate and range `options` ask of `sketch`; ValueError, in words, when they cannot be
    written (called before rendering, and by the window before it asks to replace anything)."""
    if options.format not in FORMATS:
        raise ValueError(f"unknown export format {options.format!r}; choose one of {', '.join(sorted(FORMATS))}")
    rate = options.sample_rate or sketch.sample_rate
    if rate != sketch.sample_rate and rate not in EXPORT_RATES:
        raise ValueError(
            f"export at the sketch rate ({sketch.sample_rate} Hz), 44100 or 48000 Hz, not {rate}"
        )
    spec = FORMATS[options.format]
    if spec.container == "MP3":
        if rate not in MP3_RATES:
            raise ValueError(f"MP3 files hold 32000, 44100 or 48000 Hz, not the sketch's {rate} Hz; "
                             "export at 44100 or 48000 Hz")
        if options.bitrate not in MP3_BITRATES:
            raise ValueError(f"an MP3 bitrate of {options.bitrate} kbps is not offered; choose one of "
                             f"{', '.join(map(str, MP3_BITRATES))}")
    start, end = resolve_range(sketch, options.range)
    if end <= start:
        raise ValueError("nothing to export: the range is empty")
    problem = past_the_limit(end, sketch.sample_rate, "the range ends")
    if problem:
        raise ValueError(problem)
    return spec, rate, (start, end)


def mp3_compression(kbps: int) -> float:
    """libsndfile's compression level (0..1) that makes its MP3 encoder write `kbps` at a constant rate.

    libsndfile (1.1 and 1.2, mpeg_l3_encode.c) sets LAME's bitrate to int(320 - level * 288) at 32 kHz
    and above (bitrate_mode "CONSTANT"); the quarter kbps of margin keeps a rounding error in that
    arithmetic from truncating to the bitrate below."""
    return min(1.0, max(0.0, (320 - kbps - 0.25) / 288))


def check_target(path: str | os.PathLike[str], stems: bool, *, suffix: str = ".wav") -> Path:
    """The mix's file or the stems' folder, refused (ValueError, saying why and what to do) when it is
    the other kind: a folder for the mix (an existing one, or a path ending in a separator), a file for
    the stems (an existing one, or a name with an audio suffix). `suffix` is the format's, for the example."""
    text = os.fspath(path)
    target = Path(text)
    if "\0" in text:
        raise ValueError("the name holds a null character, which no file name can; type it again")
    if not text.strip() or target.name in ("", ".", ".."):
        what = "a folder for the stems" if stems else "a file for the mix"
        raise ValueError(f"no place to export to: choose {what}")
    is_dir, is_file = _kind(target)
    if stems and (is_file or (not is_dir and target.suffix.lower() in _AUDIO_SUFFIXES)):
        existing = "is a file" if is_file else "looks like a file name"
        raise ValueError(f"{target.name} {existing}, but stems go into a folder, one file per track. "
                         f"Choose a folder (it is created if need be), or export the mix to {target.name}.")
    if not stems and (is_dir or text.endswith(("/", os.sep))):
        raise ValueError(f"{target} is a folder, but the mix is one file. Name the file (for example "
                         f"{target / ('mix' + suffix)}), or export stems into the folder.")
    return target


def with_format_suffix(path: Path, suffix: str) -> Path:
    """`path` with the format's suffix: an audio suffix is replaced, anything else kept ("Take 1.5")."""
    if path.suffix.lower() in _AUDIO_SUFFIXES:
        return path.with_suffix(suffix)
    return path.with_name(path.name + suffix)


@dataclass(frozen=True)
class ExportPlan:
    """An export checked once: where it goes, what it writes (the format, so the suffix), at what rate,
    which frames of the sketch."""

    target: Path  # the mix's file or the stems' folder
    stems: bool
    options: ExportOptions
    spec: FileFormat
    rate: int
    span: tuple[int, int]

    @property
    def folder(self) -> Path:
        return self.target if self.stems else self.target.parent


def plan_export(sketch: Sketch, target: str | os.PathLike[str], stems: bool, options: ExportOptions, *,
                name_the_format: bool = False) -> ExportPlan:
    """`check_options` and `check_target` once (ValueError, in words). With `name_the_format`, a mix's
    file name gets the format's suffix (the window's export, where the format is chosen beside the name)."""
    spec, rate, span = check_options(sketch, options)
    text = os.fspath(target)
    if name_the_format and not stems and text.strip() and not text.endswith(("/", os.sep)) \
            and not _kind(Path(text))[0]:
        text = str(with_format_suffix(Path(text), spec.suffix))
    return ExportPlan(check_target(text, stems, suffix=spec.suffix), stems, options, spec, rate, span)


def _planned(sketch: Sketch, target: str | os.PathLike[str] | ExportPlan, stems: bool,
             options: ExportOptions | None) -> ExportPlan:
    if isinstance(target, ExportPlan):
        if target.stems != stems:
            raise ValueError("a plan for stems exports stems, and one for the mix the mix")
        return target
    return plan_export(sketch, target, stems, options or ExportOptions())


def _kind(path: Path) -> tuple[bool, bool]:
    """(is a folder, is a file); neither when the path cannot be looked at (a name too long, no permission):
    writing it then says why in words."""
    try:
        return path.is_dir(), path.exists() and not path.is_dir()
    except (OSError, ValueError):
        return False, False


def _with_last(blocks: Iterator[np.ndarray]) -> Iterator[tuple[np.ndarray, bool]]:
    """Each block with whether it is the last (the resampler and the meter flush on it). The block is
    copied: the renderer reuses its buffer for the next one, read here before this one is used."""
    previous = next(blocks, None)
    while previous is not None:
        previous = previous.copy()
        following = next(blocks, None)
        yield previous, following is None
        previous = following


def _write(path: Path, blocks: Iterator[np.ndarray], sketch: Sketch, gain: float, rate: int, spec: FileFormat,
           options: ExportOptions) -> ExportResult:
    """Stream mix blocks into the file: gain, resample, measure, quantise and encode one block at a time,
    so memory is bounded by the block, not the length. Raising from the blocks (a cancel) leaves no file."""
    resampler = BlockResampler(sketch.sample_rate, rate, 2, quality="VHQ")
    meter = LevelMeter(rate)
    rng = np.random.default_rng(options.dither_seed) if spec.bits == 16 else None
    encoder: dict[str, object] = {}
    if spec.container == "MP3":
        encoder = {"compression_level": mp3_compression(options.bitrate), "bitrate_mode": "CONSTANT"}
    written = 0

    def write(handle: BinaryIO) -> None:
        nonlocal written
        with sf.SoundFile(handle, "w", samplerate=rate, channels=2, format=spec.container, subtype=spec.subtype,
                          **encoder) as out:  # type: ignore[arg-type]
            for block, last in _with_last(blocks):
                if gain != 1.0:
                    block *= np.float32(gain)
                audio = resampler.process(block.T, last=last).T  # [channels, frames]
                meter.add(audio, last=last)
                if audio.shape[1]:
                    out.write(np.ascontiguousarray(audio.T) if spec.bits is None
                              else quantize(audio, spec.bits, rng=rng))
                written += audio.shape[1]

    write_atomically(path, write)
    return ExportResult(path, rate, written, meter.levels(), gain)


def _counted(blocks: Iterator[np.ndarray], progress: Progress | None, done: int, total: int) -> Iterator[np.ndarray]:
    """The blocks, telling `progress` (frames done of all passes, frames in all) after each."""
    for block in blocks:
        yield block
        done += block.shape[1]
        if progress is not None:
            progress(done, total)


def _mix_gain(sketch: Sketch, start: int, end: int, options: ExportOptions, progress: Progress | None,
              total: int) -> float:
    """The normalising factor for the mix (a pass of its own, measured block by block), or 1.0."""
    if not options.normalize:
        return 1.0
    meter = LevelMeter(sketch.sample_rate)
    for block, last in _with_last(_counted(mix_blocks(sketch, start, end), progress, 0, total)):
        meter.add(block, last=last)
    return normalize_gain(meter.levels(), options.normalize_db)


def export_mix(
    sketch: Sketch, path: str | os.PathLike[str] | ExportPlan, options: ExportOptions | None = None, *,
    progress: Progress | None = None,
) -> ExportResult:
    """To a file (checked here) or as planned (`plan_export`: not checked again). `progress` hears
    (frames rendered, frames in all: twice the range with normalisation, which renders a pass to measure
    first) after each block; raising from it cancels the export and leaves no file. Memory stays
    bounded by the block, whatever the sketch's length."""
    plan = _planned(sketch, path, False, options)
    path, options, spec, rate, (start, end) = plan.target, plan.options, plan.spec, plan.rate, plan.span
    passes = 2 if options.normalize else 1
    total = passes * (end - start)
    gain = _mix_gain(sketch, start, end, options, progress, total)
    blocks = _counted(mix_blocks(sketch, start, end), progress, (passes - 1) * (end - start), total)
    return _write(path, blocks, sketch, gain, rate, spec, options)


def make_folder(folder: Path) -> None:
    """Create the folder exports go to; a failure says why in words (WriteFailed), not as [Errno 13]."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteFailed(folder, error) from error


STEM_NAME_BYTES = 120  # well inside every file system's 255, with room for a folder's own limits


def stem_names(tracks: list[tuple[int, str]], suffix: str) -> list[str]:
    """File names for (track index, track name) pairs: numbered, stripped of characters file systems
    refuse, shortened to `STEM_NAME_BYTES` (a track name may be 100 CJK characters: 300 bytes), and
    distinct even where the disk ignores case or Unicode normalisation (macOS, Windows)."""
    names: list[str] = []
    taken: set[str] = set()
    for index, track_name in tracks:
        safe = re.sub(r"[^\w\- ]+", "_", track_name).strip() or "track"
        base = fit_name(f"{index + 1:02d} {safe}", STEM_NAME_BYTES - len(suffix.encode())).rstrip()
        name, copy = base, 2
        while _folded(name) in taken:
            name = f"{fit_name(base, STEM_NAME_BYTES - len(suffix.encode()) - 6).rstrip()} ({copy})"
            copy += 1
        taken.add(_folded(name))
        names.append(name + suffix)
    return names


def _folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def export_stems(
    sketch: Sketch, folder: str | os.PathLike[str] | ExportPlan, options: ExportOptions | None = None, *,
    progress: Progress | None = None, written: Callable[[ExportResult], None] | None = None,
) -> list[ExportResult]:
    """One file per audible track, with its gain and pan, so the stems add up to the mix. With
    normalisation, every stem gets the gain that normalises the mix (measured in a pass of its own).
    `progress` hears the frames rendered of all passes together, after each block; raising from it
    stops between blocks (the stem being written is not left behind; those written before stay).
    `written` hears each stem as soon as it is in place, so a later failure (a full disk) can still
    say which were written. `folder`: checked here, or as planned (`plan_export`)."""
    plan = _planned(sketch, folder, True, options)
    folder, options, spec, rate, (start, end) = plan.target, plan.options, plan.spec, plan.rate, plan.span
    make_folder(folder)
    stems = _stems(sketch, spec.suffix)
    passes = len(stems) + (1 if options.normalize else 0)
    total = passes * (end - start)
    gain = _mix_gain(sketch, start, end, options, progress, total)
    results = []
    for done, (track, name) in enumerate(stems, start=passes - len(stems)):
        blocks = _counted(mix_blocks(sketch, start, end, tracks=[track]), progress, done * (end - start), total)
        results.append(_write(folder / name, blocks, sketch, gain, rate, spec, options))
        if written is not None:
            written(results[-1])
    return results


def _stems(sketch: Sketch, suffix: str) -> list[tuple[Track, str]]:
    """The audible tracks with their stem file names."""
    audible = {id(track) for track in sketch.audible_tracks()}
    tracks = [(index, track) for index, track in enumerate(sketch.tracks) if id(track) in audible]
    names = stem_names([(index, track.name) for index, track in tracks], suffix)
    return [(track, name) for (_, track), name in zip(tracks, names, strict=True)]


def existing_outputs(sketch: Sketch, plan: ExportPlan) -> list[Path]:
    """The files the planned export would replace: the mix file, or the stems of this sketch's audible
    tracks already in the folder (its other files are left alone by an export)."""
    target = plan.target
    paths = [target / name for _, name in _stems(sketch, plan.spec.suffix)] if plan.stems else [target]
    return [path for path in paths if _kind(path)[1]]
