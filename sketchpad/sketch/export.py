"""Export the mix, or one file per track, as WAV (16/24-bit, 32-bit float), FLAC or OGG Vorbis.

The order is: render at the sketch rate, apply the normalising gain, resample (soxr, very high
quality) to 44.1 or 48 kHz if asked, measure levels on exactly what goes in the file, quantise
(TPDF dither for 16 bits), write atomically.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile as sf

from sketchpad.core.durable import WriteFailed, fit_name, write_atomically
from sketchpad.core.resample import resample
from sketchpad.sketch.levels import Levels, measure, normalize_gain
from sketchpad.sketch.model import Sketch
from sketchpad.sketch.pcm import quantize
from sketchpad.sketch.render import Progress, mixdown, resolve_range


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
}
EXPORT_RATES = (44100, 48000)
_BY_SUFFIX = {".wav": "wav24", ".flac": "flac", ".ogg": "ogg", ".oga": "ogg"}


def format_for_path(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _BY_SUFFIX:
        raise ValueError(f"cannot tell the format from {Path(path).name!r}; name one of {sorted(FORMATS)}")
    return _BY_SUFFIX[suffix]


@dataclass(frozen=True)
class ExportOptions:
    format: str = "wav24"
    sample_rate: int | None = None  # None: the sketch's own rate; otherwise 44100 or 48000
    range: str | tuple[int, int] | None = None  # "all", "loop" or (start, end) in sketch samples
    normalize: bool = False  # bring the mix's true peak to `normalize_db`
    normalize_db: float = -1.0
    dither_seed: int | None = None  # fixes the 16-bit dither noise (tests, reproducible renders)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sample_rate: int
    frames: int
    levels: Levels  # of the audio as written, before quantisation
    gain: float  # the normalising factor applied (1.0 without normalisation)


def _check(sketch: Sketch, options: ExportOptions) -> tuple[FileFormat, int, tuple[int, int]]:
    if options.format not in FORMATS:
        raise ValueError(f"unknown export format {options.format!r}; choose one of {sorted(FORMATS)}")
    rate = options.sample_rate or sketch.sample_rate
    if rate != sketch.sample_rate and rate not in EXPORT_RATES:
        raise ValueError(
            f"export at the sketch rate ({sketch.sample_rate} Hz), 44100 or 48000 Hz, not {rate}"
        )
    start, end = resolve_range(sketch, options.range)
    if end <= start:
        raise ValueError("nothing to export: the range is empty")
    return FORMATS[options.format], rate, (start, end)


def _write(path: Path, audio: np.ndarray, rate: int, spec: FileFormat, options: ExportOptions) -> None:
    if spec.bits is None:
        frames: np.ndarray = np.ascontiguousarray(audio.T)
    else:
        rng = np.random.default_rng(options.dither_seed) if spec.bits == 16 else None
        frames = quantize(audio, spec.bits, rng=rng)

    def write(handle: BinaryIO) -> None:
        sf.write(handle, frames, rate, format=spec.container, subtype=spec.subtype)

    write_atomically(path, write)


def _finish(
    path: Path,
    audio: np.ndarray,
    sketch: Sketch,
    gain: float,
    rate: int,
    spec: FileFormat,
    options: ExportOptions,
) -> ExportResult:
    if gain != 1.0:
        audio *= np.float32(gain)
    audio = resample(audio, sketch.sample_rate, rate, quality="VHQ")
    levels = measure(audio, rate)
    _write(path, audio, rate, spec, options)
    return ExportResult(path, rate, audio.shape[1], levels, gain)


def export_mix(
    sketch: Sketch, path: str | os.PathLike[str], options: ExportOptions | None = None, *,
    progress: Progress | None = None,
) -> ExportResult:
    """`progress` hears (frames rendered, frames in all) after each block; raising from it cancels
    the export before anything is written."""
    options = options or ExportOptions()
    spec, rate, (start, end) = _check(sketch, options)
    mix = mixdown(sketch, start, end, progress=progress)
    gain = (
        normalize_gain(measure(mix, sketch.sample_rate), options.normalize_db) if options.normalize else 1.0
    )
    return _finish(Path(path), mix, sketch, gain, rate, spec, options)


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
    sketch: Sketch, folder: str | os.PathLike[str], options: ExportOptions | None = None, *,
    progress: Progress | None = None, written: Callable[[ExportResult], None] | None = None,
) -> list[ExportResult]:
    """One file per audible track, with its gain and pan, so the stems add up to the mix. With
    normalisation, every stem gets the gain that normalises the mix. `progress` hears the frames
    rendered of all stems together, after each block; raising from it stops between blocks and stems
    (the stems written before stay). `written` hears each stem as soon as it is in place, so a later
    failure (a full disk) can still say which were written."""
    options = options or ExportOptions()
    spec, rate, (start, end) = _check(sketch, options)
    folder = Path(folder)
    make_folder(folder)
    gain = 1.0
    if options.normalize:
        gain = normalize_gain(measure(mixdown(sketch, start, end), sketch.sample_rate), options.normalize_db)
    audible = {id(track) for track in sketch.audible_tracks()}
    stems = [(index, track) for index, track in enumerate(sketch.tracks) if id(track) in audible]
    names = stem_names([(index, track.name) for index, track in stems], spec.suffix)
    results = []
    for done, ((_, track), name) in enumerate(zip(stems, names, strict=True)):
        def rendered(frames: int, total: int, done: int = done) -> None:
            if progress is not None:
                progress(done * total + frames, len(stems) * total)

        stem = mixdown(sketch, start, end, tracks=[track], progress=rendered)
        results.append(_finish(folder / name, stem, sketch, gain, rate, spec, options))
        if written is not None:
            written(results[-1])
    return results
