"""The document model: its rules, lookups, and that it stays free of Qt and torch."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from sketchpad.sketch import Change, ChangeKind, Clip, ClipMedia, Sketch, Track
from tests.sketch.conftest import RATE, generated_media, imported_media, noise, state


def test_clip_window_and_lengths() -> None:
    clip = Clip(generated_media(frames=1000), start=500, trim_in=100, trim_out=200)
    assert (clip.length, clip.end, clip.decoder, clip.channels) == (700, 1200, "encodec", 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": -1}, "start"),
        ({"trim_in": 600, "trim_out": 400}, "leave nothing"),
        ({"gain_db": math.nan}, "clip gain"),
        ({"gain_db": 300.0}, "between"),
        ({"fade_in": 2000}, "fades"),
        ({"decoder": "mbd"}, "decoder"),
    ],
)
def test_absurd_clips_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Clip(generated_media(frames=1000), **kwargs)


def test_media_rules() -> None:
    with pytest.raises(ValueError, match="NaN"):
        ClipMedia(RATE, {"source": np.full((1, 10), np.nan, dtype=np.float32)})
    with pytest.raises(ValueError, match="channels"):
        ClipMedia(RATE, {"source": np.zeros((3, 10), dtype=np.float32)})
    with pytest.raises(ValueError, match="not 'encodec'"):
        ClipMedia(RATE, {"encodec": noise(1, 10)}, origin="imported")
    with pytest.raises(ValueError, match="JSON"):
        ClipMedia(RATE, {"encodec": noise(1, 10)}, origin="generated", params={"melody": np.zeros(3)})
    with pytest.raises(ValueError, match="integer"):
        ClipMedia(RATE, {"encodec": noise(1, 10)}, origin="generated", tokens=np.zeros((4, 5)))


def test_media_arrays_are_read_only_views_not_copies() -> None:
    audio = noise(2, 100)
    media = ClipMedia(RATE, {"source": audio})
    assert np.shares_memory(media.audio["source"], audio)
    with pytest.raises(ValueError):
        media.audio["source"][0, 0] = 1.0
    assert audio.flags.writeable  # the caller's own array is left alone


def test_track_and_sketch_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="pan"):
        Track(pan=1.5)
    with pytest.raises(ValueError, match="track gain"):
        Track(gain_db=math.inf)
    with pytest.raises(ValueError, match="tempo"):
        Sketch(tempo=0.0)
    with pytest.raises(ValueError, match="loop"):
        Sketch(loop=(10, 5))


def test_lookups_audibility_and_media(sketch: Sketch) -> None:
    drums, voice, spare = sketch.tracks
    assert sketch.track(voice.id) is voice
    assert sketch.find_clip(drums.clips[1].id) == (drums, 1)
    assert [t.name for t in sketch.audible_tracks()] == ["Drums", "Hum"]
    voice.solo = True
    assert sketch.audible_tracks() == [voice]
    assert len(sketch.media()) == 3  # two clips share one media
    assert sketch.length == max(c.end for _, c in sketch.iter_clips())
    with pytest.raises(KeyError):
        sketch.clip("nope")


def test_listeners_hear_changes_until_unsubscribed(sketch: Sketch) -> None:
    heard: list[Change] = []
    sketch.subscribe(heard.append)
    sketch.notify(Change(ChangeKind.SKETCH))
    sketch.unsubscribe(heard.append)
    sketch.notify(Change(ChangeKind.SKETCH))
    assert heard == [Change(ChangeKind.SKETCH)]


def test_unsubscribing_twice_or_never_subscribed_changes_nothing(sketch: Sketch) -> None:
    heard: list[Change] = []
    other: list[Change] = []
    sketch.subscribe(heard.append)
    sketch.unsubscribe(other.append)
    sketch.notify(Change(ChangeKind.SKETCH))
    sketch.unsubscribe(heard.append)
    sketch.unsubscribe(heard.append)
    sketch.notify(Change(ChangeKind.SKETCH))
    assert heard == [Change(ChangeKind.SKETCH)] and other == []


def test_snapshot_shares_arrays_but_not_structure(sketch: Sketch) -> None:
    copy = sketch.snapshot()
    assert state(copy) == state(sketch)
    copy.tracks[0].name = "changed"
    copy.tracks[0].clips[0].media.audio["extra"] = None  # type: ignore[assignment]
    assert sketch.tracks[0].name == "Drums" and "extra" not in sketch.tracks[0].clips[0].media.audio
    assert copy.tracks[0].clips[0].audio is sketch.tracks[0].clips[0].audio


def test_imported_media_is_resampled_to_the_sketch_rate() -> None:
    from sketchpad.sketch import media_from_audio

    tone = np.sin(2 * np.pi * 440 * np.arange(48000) / 48000).astype(np.float32)
    media = media_from_audio(tone, 48000, RATE, source_file="a.wav")
    assert media.sample_rate == RATE and media.frames("source") == RATE and media.source_file == "a.wav"
    spectrum = np.abs(np.fft.rfft(media.audio["source"][0]))
    assert np.argmax(spectrum) == 440  # 1 Hz bins over one second


def test_sketch_package_imports_neither_qt_nor_torch() -> None:
    code = (
        "import sys, sketchpad.sketch, sketchpad.cli.sketch; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('torch', 'PySide6', 'audiocraft')"
        " or m.startswith(('sketchpad.ui', 'sketchpad.engine'))]; print(bad); sys.exit(bool(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_imported_clip_defaults() -> None:
    clip = Clip(imported_media(frames=10))
    assert clip.decoder == "source" and clip.media.origin == "imported" and clip.media.tokens is None


def test_a_change_s_kind_is_typed_not_a_free_string():
    assert Change(ChangeKind.TAKES).what is ChangeKind.TAKES
    with pytest.raises(TypeError, match="ChangeKind"):
        Change("takes")  # a listener comparing kinds would never hear it
