"""Every kind of damaged sketch file is refused with its own error class and a message naming the
problem, and opening one never runs code from it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from sketchpad.sketch import (
    BadAudioError,
    BadTokensError,
    DamagedBundleError,
    DanglingReferenceError,
    ExtraMemberError,
    InvalidDocumentError,
    MissingMemberError,
    NewerSketchError,
    NotASketchError,
    Sketch,
    SketchFileError,
    UnsupportedVersionError,
    load_sketch,
    save_sketch,
)

Members = dict[str, bytes]


def rewrite(path: Path, change: Callable[[Members, dict], None]) -> None:
    """Rebuild the bundle after `change(members, document)` edits it (the document is re-encoded)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["sketch.json"])
    change(members, document)
    if "sketch.json" in members:
        members["sketch.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def first_flac(members: Members) -> str:
    return next(name for name in members if name.endswith(".flac"))


def first_tokens(members: Members) -> str:
    return next(name for name in members if name.endswith(".npy"))


class Explodes:
    def __reduce__(self) -> tuple:
        return (exec, ("open('PWNED', 'w').write('ran')",))


def pickled_tokens(members: Members, _: dict) -> None:
    buffer = io.BytesIO()
    np.save(buffer, np.array([Explodes()], dtype=object), allow_pickle=True)
    members[first_tokens(members)] = buffer.getvalue()


def clip(document: dict, track: int = 0, index: int = 0) -> dict:
    return document["tracks"][track]["clips"][index]


CASES: list[tuple[str, Callable[[Members, dict], None], type[SketchFileError], str]] = [
    ("no document", lambda m, d: m.pop("sketch.json"), NotASketchError, "holds no sketch.json"),
    ("not our format", lambda m, d: d.update(format="other-app"), NotASketchError, "not a Sketchpad"),
    ("missing audio", lambda m, d: m.pop(first_flac(m)), MissingMemberError, "is missing 'media/"),
    ("missing tokens", lambda m, d: m.pop(first_tokens(m)), MissingMemberError, "tokens.npy"),
    ("extra member", lambda m, d: m.update({"notes.txt": b"hi"}), ExtraMemberError, "'notes.txt'"),
    ("version text", lambda m, d: d.update(version="1"), UnsupportedVersionError, "no valid format version"),
    ("version zero", lambda m, d: d.update(version=0), UnsupportedVersionError, "version 0"),
    ("future version", lambda m, d: d.update(version=7), NewerSketchError, "made by a newer Sketchpad"),
    (
        "dangling media",
        lambda m, d: clip(d).update(media="gone"),
        DanglingReferenceError,
        "tracks[0].clips[0].media: refers to media 'gone'",
    ),
    (
        "dangling decoder",
        lambda m, d: clip(d, 0, 2).update(decoder="mbd"),
        DanglingReferenceError,
        "tracks[0].clips[2].decoder",
    ),
    (
        "unused media",
        lambda m, d: d["tracks"][1].update(clips=[]),
        DanglingReferenceError,
        "not used by any clip",
    ),
    (
        "garbage audio",
        lambda m, d: m.update({first_flac(m): b"not flac at all" * 10}),
        BadAudioError,
        "does not decode",
    ),
    (
        "wrong frames",
        lambda m, d: d["media"][0]["decoders"]["encodec"].update(frames=10),
        BadAudioError,
        "the document says 2 x 10",
    ),
    ("pickled tokens", pickled_tokens, BadTokensError, "not a plain .npy"),
    (
        "nan gain",
        lambda m, d: clip(d).update(gain_db=float("nan")),
        InvalidDocumentError,
        "tracks[0].clips[0].gain_db: must be a finite number, got nan",
    ),
    (
        "negative start",
        lambda m, d: clip(d).update(start=-5),
        InvalidDocumentError,
        "tracks[0].clips[0].start: must be at least 0, got -5",
    ),
    ("negative fade", lambda m, d: clip(d, 1).update(fade_out=-1), InvalidDocumentError, "fade_out"),
    (
        "trims eat all",
        lambda m, d: clip(d).update(trim_in=3000, trim_out=3000),
        InvalidDocumentError,
        "leave nothing",
    ),
    ("pan out of range", lambda m, d: d["tracks"][1].update(pan=3), InvalidDocumentError, "tracks[1].pan"),
    ("mute not bool", lambda m, d: d["tracks"][0].update(mute="yes"), InvalidDocumentError, "tracks[0].mute"),
    (
        "duplicate clip id",
        lambda m, d: clip(d, 0, 1).update(id=clip(d)["id"]),
        InvalidDocumentError,
        "repeats",
    ),
    (
        "unknown field",
        lambda m, d: clip(d).update(colour="red"),
        InvalidDocumentError,
        "unknown fields ['colour']",
    ),
    (
        "missing field",
        lambda m, d: d["tracks"][0].pop("solo"),
        InvalidDocumentError,
        "tracks[0].solo: is missing",
    ),
    ("bad loop", lambda m, d: d.update(loop=[50, 10]), InvalidDocumentError, "loop"),
    (
        "path in member",
        lambda m, d: d["media"][0]["decoders"]["encodec"].update(member="../../etc/passwd"),
        InvalidDocumentError,
        "should be",
    ),
    (
        "bad origin decoder",
        lambda m, d: d["media"][2].update(origin="generated"),
        InvalidDocumentError,
        "media[2]",
    ),
]


@pytest.fixture
def saved(sketch: Sketch, tmp_path: Path) -> Path:
    return save_sketch(sketch, tmp_path / "song.sketch")


@pytest.mark.parametrize(("name", "change", "error", "message"), CASES, ids=[c[0] for c in CASES])
def test_damage_is_named(saved: Path, name: str, change, error: type, message: str, monkeypatch) -> None:
    monkeypatch.chdir(saved.parent)
    rewrite(saved, change)
    with pytest.raises(error) as caught:
        load_sketch(saved)
    assert type(caught.value) is error
    assert message in str(caught.value)
    assert str(caught.value).startswith("song.sketch: ")
    assert not (saved.parent / "PWNED").exists()


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "song.sketch"
    path.write_bytes(b"RIFF....WAVEfmt this is a wav file, honest")
    with pytest.raises(NotASketchError, match="not a zip"):
        load_sketch(path)


def test_truncated_file(saved: Path) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    with pytest.raises(DamagedBundleError, match=r"^song.sketch: is damaged: its zip directory cannot be read"):
        load_sketch(saved)


def test_corrupted_audio_bytes_fail_the_checksum(saved: Path) -> None:
    with zipfile.ZipFile(saved) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(".flac"))
    data = bytearray(saved.read_bytes())
    data[info.header_offset + 30 + len(info.filename) + 500] ^= 0xFF  # inside the stored FLAC bytes
    saved.write_bytes(bytes(data))
    with pytest.raises(BadAudioError, match="CRC"):
        load_sketch(saved)


def test_invalid_json(saved: Path) -> None:
    def change(members: Members, _: dict) -> None:
        members["sketch.json"] = b"{not json"

    with zipfile.ZipFile(saved) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members, {})
    with zipfile.ZipFile(saved, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(InvalidDocumentError, match="not valid JSON"):
        load_sketch(saved)


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_sketch(tmp_path / "nothing.sketch")
