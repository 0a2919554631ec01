"""The audio files Sketchpad reads and writes, by suffix: one table for every import path and writer."""

from __future__ import annotations

from pathlib import Path

# What libsndfile (soundfile) reads, with the container it writes for that suffix (None: read only).
CONTAINERS: dict[str, str | None] = {
    ".wav": "WAV", ".flac": "FLAC", ".ogg": "OGG", ".oga": "OGG", ".mp3": "MP3", ".aif": "AIFF",
    ".aiff": "AIFF", ".au": "AU", ".w64": "W64", ".rf64": "RF64", ".caf": "CAF",
}
AUDIO_SUFFIXES = frozenset(CONTAINERS)
SKETCH_SUFFIX = ".sketch"


def is_audio_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in AUDIO_SUFFIXES


def container_for(path: str | Path) -> str:
    """soundfile's format name for writing `path`, from its suffix."""
    container = CONTAINERS.get(Path(path).suffix.lower())
    if container is None:
        raise ValueError(f"{Path(path).name}: cannot tell the audio format from the suffix {Path(path).suffix!r}")
    return container


def dialog_filter(what: str = "Audio files") -> str:
    """A file dialog's filter for every audio file we read (then all files)."""
    return f"{what} ({' '.join(f'*{suffix}' for suffix in sorted(AUDIO_SUFFIXES))});;All files (*)"
