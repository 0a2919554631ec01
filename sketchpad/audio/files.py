"""Importing audio files: any rate, any channel count, and damaged files turned into clear errors."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from sketchpad.audio.convert import to_channels
from sketchpad.audio.errors import AudioFileError
from sketchpad.core.clock import clock
from sketchpad.core.resample import BlockResampler

BLOCK_FRAMES = 65536  # ~1.4 s at 48 kHz: large enough to be fast, small enough to bound memory
DEFAULT_MAX_SECONDS = 20 * 60.0  # without a caller's limit: 20 min of 48 kHz stereo is ~460 MB of float32
MAX_CHANNELS = 256
MAX_RATE = 768_000
_COMPRESSED = {"FLAC", "OGG", "MP3", "MPC2K"}  # containers whose PCM_* subtype describes the decoded samples
# Uncompressed subtypes and their bytes per sample, to test a header's length claim against the file size.
_PCM_BYTES = {"PCM_S8": 1, "PCM_U8": 1, "PCM_16": 2, "PCM_24": 3, "PCM_32": 4, "FLOAT": 4, "DOUBLE": 8,
              "ULAW": 1, "ALAW": 1}


@dataclass(frozen=True)
class DecodedAudio:
    samples: np.ndarray  # float32 [channels, frames]
    sample_rate: int
    source_name: str

    @property
    def frames(self) -> int:
        return int(self.samples.shape[1])

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


# libsndfile's wording for some refusals misleads a person; say what it means for a file that exists.
_PLAIN_REASONS = {
    "SF_INFO struct incomplete": "its header has an impossible sample rate or channel count",
    "File does not exist or is not a regular file (possibly a pipe?)": "format not recognised",
}


def _open(path: Path) -> sf.SoundFile:
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AudioFileError(name, f"cannot be opened ({exc.strerror or exc})") from exc
    if size == 0:
        raise AudioFileError(name, "is empty (0 bytes)")
    try:
        return sf.SoundFile(path)
    except (sf.LibsndfileError, RuntimeError, ValueError, OverflowError) as exc:
        reason = str(exc).split(":")[-1].strip().rstrip(".")
        reason = _PLAIN_REASONS.get(reason, reason) or "format not recognised"
        raise AudioFileError(name, f"is not a readable audio file ({reason})") from exc


def _check_header(handle: sf.SoundFile, path: Path, limit_seconds: float) -> None:
    name = path.name
    if handle.channels <= 0:
        raise AudioFileError(name, "has zero channels")
    if handle.channels > MAX_CHANNELS:
        raise AudioFileError(name, f"claims {handle.channels} channels, more than the {MAX_CHANNELS} supported")
    if not 1 <= handle.samplerate <= MAX_RATE:
        raise AudioFileError(name, f"claims an impossible sample rate of {handle.samplerate} Hz")
    if handle.frames <= 0:
        raise AudioFileError(name, "holds no audio (zero frames)")
    width = _PCM_BYTES.get(handle.subtype) if handle.format not in _COMPRESSED else None
    if width is not None and handle.frames * handle.channels * width > os.path.getsize(path):
        raise AudioFileError(name, f"is truncated or its header is corrupt: it claims {handle.frames} frames, "
                                   "more than the file can hold")
    seconds = handle.frames / handle.samplerate
    if seconds > limit_seconds:
        length, limit = clock(seconds, decimals=1), clock(limit_seconds, decimals=1)
        raise AudioFileError(name, f"is too long ({length}; the limit is {limit})")


def read_audio(path: str | os.PathLike[str], *, target_rate: int | None = None, channels: int | None = None,
               max_seconds: float | None = None, max_channels: int | None = None) -> DecodedAudio:
    """Decode a file to float32 [channels, frames], converted to `target_rate` and mono/stereo if asked
    (`channels`), or to at most `max_channels` (2: a surround file's first pair, as `to_channels` says).

    Reads block by block so the peak memory is the result plus one block. Raises AudioFileError with a
    one-line reason for anything that is not sound audio.
    """
    path = Path(path)
    name = path.name
    limit = DEFAULT_MAX_SECONDS if max_seconds is None else float(max_seconds)
    if channels not in (None, 1, 2):
        raise ValueError(f"channels must be 1, 2 or None, got {channels}")
    with _open(path) as handle:
        _check_header(handle, path, limit)
        in_rate, claimed = handle.samplerate, handle.frames
        out_channels = channels or min(handle.channels, max_channels or handle.channels)
        out_rate = target_rate or in_rate
        resampler = BlockResampler(in_rate, out_rate, out_channels)
        # Header claims can be wrong, so the result grows only from what is actually decoded, capped here.
        capacity = resampler.expected_frames(claimed) + 64
        out = np.empty((out_channels, capacity), dtype=np.float32)
        block = np.empty((min(BLOCK_FRAMES, claimed), handle.channels), dtype=np.float32)
        written = decoded = 0
        while True:
            try:
                got = handle.read(out=block, dtype="float32")
            except (sf.LibsndfileError, RuntimeError) as exc:
                reason = str(exc).split(":")[-1].strip()
                near = clock(decoded / in_rate, decimals=1)
                raise AudioFileError(name, f"is damaged or truncated near {near} ({reason})") from exc
            count = len(got)
            last = count < len(block)
            if count and not np.isfinite(got).all():
                at = decoded + int(np.argmax(~np.isfinite(got).all(axis=1)))
                first = clock(at / in_rate, decimals=1)
                raise AudioFileError(name, f"contains NaN or infinite samples (first at {first})")
            decoded += count
            if decoded > claimed and decoded / in_rate > limit:
                raise AudioFileError(name, f"is too long (more than {clock(limit, decimals=1)})")
            chunk = resampler.process(to_channels(got, out_channels), last=last)
            if written + len(chunk) > out.shape[1]:  # a compressed stream that undercounted itself
                out = _grow(out, written + len(chunk) + len(block))
            out[:, written:written + len(chunk)] = chunk.T
            written += len(chunk)
            if last:
                break
    _check_length(name, decoded, claimed, exact=handle.subtype in _PCM_BYTES and handle.format not in _COMPRESSED)
    return DecodedAudio(samples=_compact(out, written), sample_rate=out_rate, source_name=name)


def _grow(out: np.ndarray, frames: int) -> np.ndarray:
    bigger = np.empty((out.shape[0], max(frames, out.shape[1] * 3 // 2)), dtype=np.float32)
    bigger[:, : out.shape[1]] = out
    return bigger


def _compact(out: np.ndarray, frames: int) -> np.ndarray:
    """Trim [channels, capacity] to [channels, frames] in place, so no second full-size copy is made."""
    channels, capacity = out.shape
    if frames == capacity:
        return out
    flat = out.reshape(-1)
    for channel in range(1, channels):  # each row moves towards the front; earlier rows are already placed
        flat[channel * frames:(channel + 1) * frames] = flat[channel * capacity:channel * capacity + frames]
    return flat[: channels * frames].reshape(channels, frames)


def _check_length(name: str, decoded: int, claimed: int, *, exact: bool) -> None:
    if decoded == 0:
        raise AudioFileError(name, "holds no decodable audio")
    # Compressed streams may report an approximate length; uncompressed ones must deliver what they claim.
    slack = 0 if exact else max(4096, math.ceil(claimed * 0.01))
    if decoded + slack < claimed:
        raise AudioFileError(name, f"is truncated: its header promises {claimed} frames, only {decoded} could "
                                   "be read")
