"""Save -> load gives the same document: every field exact, tokens exact, audio within
AUDIO_TOLERANCE x its storage scale (half a 24-bit step), loud audio included."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from sketchpad.sketch import AUDIO_TOLERANCE, Clip, ClipMedia, Sketch, Track, load_sketch, save_sketch
from sketchpad.sketch.media_codec import storage_scale
from tests.sketch.conftest import RATE, state


def assert_same_audio(a: Sketch, b: Sketch) -> None:
    for left, right in zip(a.media(), b.media(), strict=True):
        assert left.audio.keys() == right.audio.keys()
        for name, audio in left.audio.items():
            bound = AUDIO_TOLERANCE * storage_scale(audio)
            assert np.abs(right.audio[name] - audio).max() <= bound
        if left.tokens is not None:
            np.testing.assert_array_equal(left.tokens, right.tokens)
            assert left.tokens.dtype == right.tokens.dtype


def test_round_trip_keeps_everything(sketch: Sketch, tmp_path: Path) -> None:
    path = save_sketch(sketch, tmp_path / "song.sketch")
    loaded = load_sketch(path)
    assert state(loaded) == state(sketch)
    assert_same_audio(sketch, loaded)
    first, again = loaded.tracks[0].clips[0:2]
    assert first.media is again.media  # sharing survives the file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.sketch"]  # no temp or backup left


def test_loud_generated_audio_is_not_clipped(tmp_path: Path) -> None:
    loud = np.array([[3.5, -2.25, 0.999, 1e-7, -4.0]], dtype=np.float32)
    media = ClipMedia(RATE, {"encodec": loud}, origin="generated", tokens=np.zeros((4, 1), dtype=np.int16))
    sketch = Sketch(tracks=[Track(clips=[Clip(media)])])
    loaded = load_sketch(save_sketch(sketch, tmp_path / "loud.sketch"))
    restored = loaded.tracks[0].clips[0].audio
    assert storage_scale(loud) == 8.0  # 4.0 itself would be the unreachable full scale of a scale of 4
    assert np.abs(restored - loud).max() <= 8 * AUDIO_TOLERANCE
    assert np.abs(restored).max() == 4.0
    assert loaded.tracks[0].clips[0].media.tokens.dtype == np.int16


def test_saving_a_loaded_sketch_reproduces_the_file(sketch: Sketch, tmp_path: Path) -> None:
    first = save_sketch(sketch, tmp_path / "a.sketch")
    second = save_sketch(load_sketch(first), tmp_path / "b.sketch")
    assert first.read_bytes() == second.read_bytes()  # quantised audio re-quantises exactly


def test_the_bundle_is_plain_json_flac_and_npy(sketch: Sketch, tmp_path: Path) -> None:
    path = save_sketch(sketch, tmp_path / "song.sketch")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        document = json.loads(archive.read("sketch.json"))
        assert archive.getinfo(names[0]).compress_type == zipfile.ZIP_STORED  # FLAC is compressed already
    assert document["format"] == "sketchpad-sketch" and document["version"] == 2
    assert {n.rsplit(".", 1)[-1] for n in names} == {"json", "flac", "npy"}
    assert len([n for n in names if n.endswith(".flac")]) == 4  # 3 media, one with two decoders
    assert document["media"][0]["params"]["prompt"] == "lofi drums"
    assert document["tracks"][1]["clips"][0]["start"] == 1234


def test_empty_sketch_round_trips(tmp_path: Path) -> None:
    sketch = Sketch(sample_rate=48000, title="Blank")
    assert state(load_sketch(save_sketch(sketch, tmp_path / "blank.sketch"))) == state(sketch)


def test_media_with_mismatched_rate_is_not_saved(tmp_path: Path) -> None:
    media = ClipMedia(48000, {"source": np.zeros((1, 10), dtype=np.float32)})
    sketch = Sketch(sample_rate=RATE, tracks=[Track(clips=[Clip(media)])])
    with pytest.raises(ValueError, match="Hz"):
        save_sketch(sketch, tmp_path / "bad.sketch")
    assert list(tmp_path.iterdir()) == []


def test_takes_metre_and_master_gain_are_kept_and_a_version_1_file_still_opens(sketch: Sketch, tmp_path: Path) -> None:
    from sketchpad.sketch import KeptTake
    from tests.sketch.conftest import generated_media

    placed = sketch.tracks[0].clips[0].media  # a take on the timeline shares its media with the clip
    sketch.takes += [KeptTake(placed, name="Take 1/2", starred=True, group=1, variation=0, variations=2),
                     KeptTake(generated_media(2, 3000, seed=9), name="Take 2/2", group=1, variation=1, variations=2)]
    sketch.metre, sketch.master_gain_db = (3, 4), -2.5
    loaded = load_sketch(save_sketch(sketch, tmp_path / "takes.sketch"))
    assert state(loaded) == state(sketch) and loaded.takes[0].media is loaded.tracks[0].clips[0].media
    assert_same_audio(sketch, loaded)

    old = tmp_path / "old.sketch"  # the same sketch as version 1 wrote it: no takes, metre or master gain
    with zipfile.ZipFile(tmp_path / "takes.sketch") as source, zipfile.ZipFile(old, "w") as target:
        document = json.loads(source.read("sketch.json"))
        document["version"] = 1
        only_takes = {take["media"] for take in document.pop("takes")} - {
            clip["media"] for track in document["tracks"] for clip in track["clips"]}
        document["media"] = [m for m in document["media"] if m["id"] not in only_takes]
        for key in ("metre", "master_gain_db"):
            del document[key]
        for item in source.infolist():
            if item.filename == "sketch.json":
                target.writestr(item, json.dumps(document).encode())
            elif not any(item.filename.startswith(f"media/{media_id}/") for media_id in only_takes):
                target.writestr(item, source.read(item))
    was = load_sketch(old)
    assert was.metre == (4, 4) and was.master_gain_db == 0.0 and was.takes == []
    assert [t.name for t in was.tracks] == [t.name for t in sketch.tracks]


def test_a_muted_clip_is_kept_silent_and_written_as_version_3_only_when_there_is_one(sketch: Sketch,
                                                                                   tmp_path: Path) -> None:
    from sketchpad.sketch import mixdown
    from sketchpad.sketch.clip_edits import SetClipMuted

    plain = save_sketch(sketch, tmp_path / "plain.sketch")
    with zipfile.ZipFile(plain) as archive:
        assert json.loads(archive.read("sketch.json"))["version"] == 2  # opens in a Sketchpad that reads 2
    before = mixdown(sketch)
    clip = sketch.tracks[0].clips[0]
    SetClipMuted(clip.id, muted=True).apply(sketch)
    muted = save_sketch(sketch, tmp_path / "muted.sketch")
    with zipfile.ZipFile(muted) as archive:
        assert json.loads(archive.read("sketch.json"))["version"] == 3
    loaded = load_sketch(muted)
    assert loaded.tracks[0].clips[0].muted and state(loaded) == state(sketch)
    quiet = mixdown(loaded)
    start, end = clip.start, clip.start + clip.length
    assert not np.allclose(before[:, start:end], quiet[:, start:end])
    SetClipMuted(clip.id, muted=False).apply(sketch)
    np.testing.assert_array_equal(mixdown(sketch), before)
