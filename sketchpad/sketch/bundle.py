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
from sketchpad.sketch.bundle_reading import is_damage, open_bundle, read_member
from sketchpad.sketch.document_limits import (
    MAX_DOCUMENT_BYTES,
    audio_member_limit,
    check_memory,
    parse_document,
    tokens_member_limit,
)
from sketchpad.sketch.fields import DanglingReference, FieldError, Fields, shown
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


def _read_record(archive: zipfile.ZipFile, path: Path) -> DocumentRecord:
    names = archive.namelist()
    if DOCUMENT not in names:
        raise errors.NotASketchError(path, f"is a zip file but holds no {DOCUMENT}: not a sketch")
    data = read_member(archive, DOCUMENT, path, limit=MAX_DOCUMENT_BYTES, limit_reason="a sketch document holds",
                       error=errors.InvalidDocumentError, what="the document")
    document = parse_document(data, path, DOCUMENT)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise errors.NotASketchError(path, f"{DOCUMENT} is not a Sketchpad sketch document")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise errors.UnsupportedVersionError(path, f"has no valid format version (got {shown(version)})")
    if version > VERSION:
        raise errors.NewerSketchError(
            path,
            f"was made by a newer Sketchpad (format version {version}; this one reads up to "
            f"{VERSION}). Update Sketchpad to open it.",
        )
    if version < 1:
        raise errors.UnsupportedVersionError(path, f"has format version {version}, which no Sketchpad wrote")
    fields = Fields(document, "")
    try:
        for key in ("format", "version", "written_by"):
            fields.raw(key)
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
            path, f"holds {shown(extra[0])}, which the document does not use" + _more(extra)
        )
    return record


def _more(names: list[str]) -> str:
    return f" (and {len(names) - 1} more)" if len(names) > 1 else ""


def verify_bundle(path: Path) -> None:
    """Cheap check that a just-written bundle reads back: every CRC, the document, the members."""
    path = Path(path)
    with open_bundle(path) as archive:
        try:
            bad = archive.testzip()
        except Exception as error:
            if not is_damage(error):
                raise
            bad = "?"
        if bad is not None:
            raise errors.DamagedBundleError(path, f"member {bad!r} fails its checksum")
        _read_record(archive, path)


def _decode_media(archive: zipfile.ZipFile, record: DocumentRecord, path: Path) -> dict[str, ClipMedia]:
    media = {}
    for index, item in enumerate(record.media.values()):
        audio = {}
        for decoder, (member, frames, scale) in item.decoders.items():
            data = read_member(archive, member, path, limit=audio_member_limit(frames, item.channels),
                               limit_reason=f"{frames:,} frames of {item.channels}-channel audio take",
                               error=errors.BadAudioError, what="audio")
            try:
                audio[decoder] = decode_audio(
                    data, sample_rate=record.sample_rate, channels=item.channels, frames=frames, scale=scale
                )
            except ValueError as error:
                raise errors.BadAudioError(path, f"audio {member!r} {error}") from None
            del data  # the encoded bytes go before the next member's arrive
        tokens = None
        if item.tokens is not None:
            longest = max(frames for _, frames, _ in item.decoders.values())
            data = read_member(archive, item.tokens, path, limit=tokens_member_limit(longest, item.channels),
                               limit_reason="the tokens of that audio take", error=errors.BadTokensError,
                               what="tokens")
            try:
                tokens = decode_tokens(data)
                if tokens.shape[1] > longest:  # a token stands for hundreds of samples
                    raise ValueError(f"holds {tokens.shape[1]:,} frames of tokens for {longest:,} samples of audio")
                if tokens.size and int(tokens.min()) < 0:
                    raise ValueError("holds negative tokens")
            except ValueError as error:
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
    problem, or OSError when the disk cannot be read at all (no such file, no permission, EIO).
    Memory and time are bounded by what the document claims, and the claims by this computer's memory."""
    path = Path(path)
    with open_bundle(path) as archive:
        record = _read_record(archive, path)
        check_memory(path, record.audio_bytes())
        try:
            media = _decode_media(archive, record, path)
        except MemoryError:
            raise errors.TooLargeError(path, "does not fit in the memory this computer has free now") from None
    try:
        return build_sketch(record, media)
    except FieldError as error:
        raise errors.InvalidDocumentError(path, str(error)) from None
