"""Small sketches built from deterministic signals, shared by the sketch tests."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.sketch import Clip, ClipMedia, Sketch, Track

RATE = 32000


def noise(channels: int, frames: int, seed: int = 0, level: float = 0.5) -> np.ndarray:
    return (np.random.default_rng(seed).uniform(-level, level, (channels, frames))).astype(np.float32)


def generated_media(channels: int = 2, frames: int = 4000, seed: int = 0, *, mbd: bool = False) -> ClipMedia:
    audio = {"encodec": noise(channels, frames, seed)}
    if mbd:
        audio["mbd"] = noise(channels, frames + 7, seed + 100)
    tokens = np.random.default_rng(seed).integers(0, 2048, (8 if channels == 2 else 4, 50), dtype=np.int64)
    return ClipMedia(
        RATE,
        audio,
        origin="generated",
        tokens=tokens,
        model="facebook/musicgen-small",
        params={"prompt": "lofi drums", "duration": 0.125, "top_k": 250, "cfg_coef": 3.0, "seed": seed},
    )


def imported_media(frames: int = 3000, seed: int = 1) -> ClipMedia:
    return ClipMedia(RATE, {"source": noise(1, frames, seed)}, origin="imported", source_file="hum.wav")


def build_sketch() -> Sketch:
    """Three tracks: stereo generated clips (one with both decoders, one duplicate sharing media),
    a mono imported clip, and an empty muted track."""
    shared = generated_media(2, 4000, seed=3, mbd=True)
    drums = Track(name="Drums", gain_db=-2.0, pan=-0.25)
    drums.clips += [
        Clip(shared, start=0, trim_in=100, trim_out=50, gain_db=-1.5, fade_in=200, fade_out=300, name="beat"),
        Clip(shared, start=5000, decoder="mbd", name="beat again"),
        Clip(generated_media(2, 2500, seed=4), start=9000),
    ]
    voice = Track(name="Hum", gain_db=1.0, pan=0.6, solo=False)
    voice.clips.append(Clip(imported_media(), start=1234, fade_out=100))
    spare = Track(name="Spare", mute=True)
    return Sketch(
        sample_rate=RATE, title="Test sketch", tempo=96.0, loop=(1000, 8000), tracks=[drums, voice, spare]
    )


@pytest.fixture
def sketch() -> Sketch:
    return build_sketch()


def state(sketch: Sketch) -> dict:
    """Everything a document holds except audio samples, comparable with ==. Media appear by id, so
    this compares a sketch with its snapshot or its reloaded self."""
    media = {
        item.id: (
            item.origin,
            item.sample_rate,
            {k: a.shape for k, a in item.audio.items()},
            None if item.tokens is None else item.tokens.tolist(),
            item.model,
            item.params,
            item.source_file,
        )
        for item in sketch.media()
    }
    tracks = [
        (
            t.id,
            t.name,
            t.gain_db,
            t.pan,
            t.mute,
            t.solo,
            [
                (
                    c.id,
                    c.media.id,
                    c.start,
                    c.trim_in,
                    c.trim_out,
                    c.gain_db,
                    c.fade_in,
                    c.fade_out,
                    c.decoder,
                    c.name,
                    c.muted,
                )
                for c in t.clips
            ],
        )
        for t in sketch.tracks
    ]
    takes = [(t.id, t.media.id, t.name, t.starred, t.group, t.variation, t.variations) for t in sketch.takes]
    return {
        "settings": (sketch.title, sketch.sample_rate, sketch.tempo, sketch.loop, sketch.metre, sketch.master_gain_db),
        "media": media,
        "tracks": tracks,
        "takes": takes,
    }
