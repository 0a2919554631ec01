"""An audio file becoming a clip: the hardened reader (clear errors for damaged files, bounded memory),
then the sketch's rate. Every import onto the timeline goes this way (file dialog, drag and drop)."""

from __future__ import annotations

from pathlib import Path

from sketchpad.audio.files import read_audio
from sketchpad.sketch import ClipMedia, media_from_audio

MAX_CLIP_FILE_S = 20 * 60.0  # a sketch's clip, not an album: 20 min of stereo float is ~0.4 GB


def import_clip_media(path: str | Path, sketch_rate: int) -> ClipMedia:
    """The file as clip media at `sketch_rate`: mono or stereo (the first pair of a surround file).
    Raises AudioFileError with a one-line reason for anything that is not sound audio."""
    decoded = read_audio(path, channels=None, max_seconds=MAX_CLIP_FILE_S)
    samples = decoded.samples if decoded.samples.shape[0] <= 2 else decoded.samples[:2]
    return media_from_audio(samples, decoded.sample_rate, sketch_rate, source_file=Path(path).name)
