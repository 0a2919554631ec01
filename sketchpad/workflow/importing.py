"""An audio file becoming a clip: the hardened reader (clear errors for damaged files, bounded memory),
then the sketch's rate. Every import onto the timeline goes this way (file dialog, drag and drop), and so
does a file to continue (`sketchpad generate --continue`): one reading, one downmix."""

from __future__ import annotations

from pathlib import Path

from sketchpad.audio.files import DecodedAudio, read_audio
from sketchpad.sketch import ClipMedia, media_from_audio

MAX_CLIP_FILE_S = 20 * 60.0  # a sketch's clip, not an album: 20 min of stereo float is ~0.4 GB


def read_clip_audio(path: str | Path) -> DecodedAudio:
    """The file at its own rate, mono or stereo (the first pair of a surround file, converted block by
    block). Raises AudioFileError with a one-line reason for anything that is not sound audio."""
    return read_audio(path, max_channels=2, max_seconds=MAX_CLIP_FILE_S)


def import_clip_media(path: str | Path, sketch_rate: int) -> ClipMedia:
    """The file as clip media at `sketch_rate` (read as `read_clip_audio` reads it)."""
    decoded = read_clip_audio(path)
    return media_from_audio(decoded.samples, decoded.sample_rate, sketch_rate, source_file=Path(path).name)
