"""The .sketch file: a zip bundle of `sketch.json`, FLAC audio per clip media and decoder, and
tokens as .npy. Saving is atomic and durable (see durable.py); loading checks everything before
building anything, and says what is wrong with one error class per kind of damage."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import BinaryIO

from sketchpad.core.durable import write_atomically
from sketchpad.core.formats import SKETCH_SUFFIX
from sketchpad.sketch import errors
from sketchpad.sketch.fields import DanglingReference, FieldError, Fields
from sketchpad.sketch.media import ClipMedia
from sketchpad.sketch.media_codec import decode_audio, decode_tokens, encode_audio, encode_tokens
from sketchpad.sketch.model import Sketch
from sketchpad.sketch.schema import (
    DOCUMENT,
    FORMAT,
    VERSION,
    DocumentRecord,
    audio_member,
    build_sketch,
    read_document,
    sketch_document,
    tokens_member,
)

SUFFIX = SKETCH_SUFFIX
_MAX_DOCUMENT_BYTES = 64 * 2**20
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # same sketch, same bytes


def _put(archive: zipfile.ZipFile, name: str, data: bytes, compress: int) -> None:
    archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data, compress_type=compress)


def write_bundle(sketch: Sketch, handle: BinaryIO) -> None:
    """Write the whole bundle to an open binary file."""
    media = sketch.media()
    ids = [item.id for item in media]
    if len(set(ids)) != len(ids):
        raise ValueError("two different media share one id; cannot save")
    for item in media:
        if item.sample_rate != sketch.sample_rate:
            raise ValueError(
                f"media {item.id} is at {item.sample_rate} Hz, the sketch at {sketch.sample_rate} Hz"
            )
    scales: dict[tuple[str, str], float] = {}
    with zipfile.ZipFile(handle, "w") as archive:
        for item in media:
            for decoder, audio in item.audio.items():
                data, scales[(item.id, decoder)] = encode_audio(audio, item.sample_rate)
                _put(archive, audio_member(item.id, decoder), data, zipfile.ZIP_STORED)
            if item.tokens is not None:
                _put(archive, tokens_member(item.id), encode_tokens(item.tokens), zipfile.ZIP_DEFLATED)
        text = json.dumps(sketch_document(sketch, scales), indent=1, allow_nan=False, ensure_ascii=False)
        _put(archive, DOCUMENT, text.encode("utf-8"), zipfile.ZIP_DEFLATED)


def save_sketch(sketch: Sketch, path: str | os.PathLike[str], *, keep_backup: bool = False) -> Path:
    """Save atomically: the previous file stays whole until the new one is written, synced and
    checked. Run it off the GUI thread on `sketch.snapshot()` if editing may go on meanwhile."""
    return write_atomically(
        path, lambda handle: write_bundle(sketch, handle), verify=verify_bundle, keep_backup=keep_backup
    )


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise errors.NotASketchError(path, f"is not a sketch file (not a zip bundle: {error})") from None
    except IsADirectoryError:
        raise errors.NotASketchError(path, "is a folder, not a sketch file") from None


def _read_record(archive: zipfile.ZipFile, path: Path) -> DocumentRecord:
    names = archive.namelist()
    if DOCUMENT not in names:
        raise errors.NotASketchError(path, f"is a zip file but holds no {DOCUMENT}: not a sketch")
    if archive.getinfo(DOCUMENT).file_size > _MAX_DOCUMENT_BYTES:
        raise errors.InvalidDocumentError(path, f"{DOCUMENT} is implausibly large")
    try:
        document = json.loads(archive.read(DOCUMENT).decode("utf-8"))
    except (ValueError, zipfile.BadZipFile) as error:
        raise errors.InvalidDocumentError(path, f"{DOCUMENT} is not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise errors.NotASketchError(path, f"{DOCUMENT} is not a Sketchpad sketch document")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise errors.UnsupportedVersionError(path, f"has no valid format version (got {version!r})")
    if version > VERSION:
        raise errors.NewerSketchError(
            path,
            f"was made by a newer Sketchpad (format version {version}; this one reads up to "
            f"{VERSION}). Update Sketchpad to open it.",
        )
    if version < 1:
        raise errors.UnsupportedVersionError(path, f"has format version {version}, which no Sketchpad wrote")
    fields = Fields(document, "")
    for key in ("format", "version", "written_by"):
        fields.raw(key)
    try:
        record = read_document(fields)
    except DanglingReference as error:
        raise errors.DanglingReferenceError(path, str(error)) from None
    except FieldError as error:
        raise errors.InvalidDocumentError(path, str(error)) from None
    expected = record.members()
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise errors.ExtraMemberError(path, f"holds {twice[0]!r} more than once")
    missing, extra = sorted(expected - set(names)), sorted(set(names) - expected)
    if missing:
        raise errors.MissingMemberError(path, f"is missing {missing[0]!r}" + _more(missing))
    if extra:
        raise errors.ExtraMemberError(
            path, f"holds {extra[0]!r}, which the document does not use" + _more(extra)
        )
    return record


def _more(names: list[str]) -> str:
    return f" (and {len(names) - 1} more)" if len(names) > 1 else ""


def verify_bundle(path: Path) -> None:
    """Cheap check that a just-written bundle reads back: every CRC, the document, the members."""
    with _open(Path(path)) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise errors.BadAudioError(path, f"member {bad!r} fails its checksum")
        _read_record(archive, Path(path))


def _decode_media(archive: zipfile.ZipFile, record: DocumentRecord, path: Path) -> dict[str, ClipMedia]:
    media = {}
    for index, item in enumerate(record.media.values()):
        audio = {}
        for decoder, (member, frames, scale) in item.decoders.items():
            try:
                audio[decoder] = decode_audio(
                    archive.read(member),
                    sample_rate=record.sample_rate,
                    channels=item.channels,
                    frames=frames,
                    scale=scale,
                )
            except (ValueError, zipfile.BadZipFile) as error:
                raise errors.BadAudioError(path, f"audio {member!r} {error}") from None
        tokens = None
        if item.tokens is not None:
            try:
                tokens = decode_tokens(archive.read(item.tokens))
            except (ValueError, zipfile.BadZipFile) as error:
                raise errors.BadTokensError(path, f"tokens {item.tokens!r} {error}") from None
        try:
            media[item.id] = ClipMedia(
                record.sample_rate,
                audio,
                origin=item.origin,
                tokens=tokens,  # type: ignore[arg-type]
                model=item.model,
                params=item.params,
                source_file=item.source_file,
                id=item.id,
            )
        except ValueError as error:
            raise errors.InvalidDocumentError(path, f"media[{index}]: {error}") from None
    return media


def load_sketch(path: str | os.PathLike[str]) -> Sketch:
    """Read and check a .sketch file completely; raises a `SketchFileError` subclass naming the
    problem, or OSError when the file cannot be read at all."""
    path = Path(path)
    with _open(path) as archive:
        record = _read_record(archive, path)
        media = _decode_media(archive, record, path)
    try:
        return build_sketch(record, media)
    except FieldError as error:
        raise errors.InvalidDocumentError(path, str(error)) from None
