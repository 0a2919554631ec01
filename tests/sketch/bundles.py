"""Valid and crafted .sketch bundles as bytes, for the hostile-file and fuzz tests."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sketchpad.sketch import Clip, ClipMedia, Sketch, Track, save_sketch
from sketchpad.sketch.bundle import write_bundle
from tests.sketch.conftest import RATE

CENTRAL, LOCAL, END = b"PK\x01\x02", b"PK\x03\x04", b"PK\x05\x06"


def small_sketch() -> Sketch:
    """Every kind of member (FLAC of two decoders, tokens, a mono import) in a few KB, the same bytes
    every time (fixed ids), so derandomised examples mutate the same file on every run."""
    rng = np.random.default_rng(11)
    generated = ClipMedia(RATE, {"encodec": rng.uniform(-1, 1, (2, 300)).astype(np.float32),
                                 "mbd": rng.uniform(-1, 1, (2, 310)).astype(np.float32)},
                          origin="generated", tokens=rng.integers(0, 2048, (8, 6)), model="m", params={"p": "q"},
                          id="generated")
    imported = ClipMedia(RATE, {"source": rng.uniform(-1, 1, (1, 250)).astype(np.float32)}, source_file="a.wav",
                         id="imported")
    return Sketch(sample_rate=RATE, title="small", tracks=[
        Track(name="one", id="t1", clips=[Clip(generated, start=0, id="c1"),
                                          Clip(generated, start=400, decoder="mbd", id="c2")]),
        Track(name="two", id="t2", clips=[Clip(imported, start=100, fade_in=10, id="c3")]),
    ])


def bundle_bytes(sketch: Sketch | None = None) -> bytes:
    buffer = io.BytesIO()
    write_bundle(sketch or small_sketch(), buffer)
    return buffer.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rebuild(parts: dict[str, bytes], compress: Callable[[str], int] | None = None) -> bytes:
    """A well-formed zip (valid CRCs) of `parts`: damage inside a member reaches its decoder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            method = compress(name) if compress else (zipfile.ZIP_DEFLATED if name.endswith(".json") else 0)
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


def with_document(document: bytes | str, data: bytes | None = None) -> bytes:
    parts = members(data or bundle_bytes())
    parts["sketch.json"] = document.encode() if isinstance(document, str) else document
    return rebuild(parts)


def document_of(data: bytes) -> dict:
    return json.loads(members(data)["sketch.json"])


def central_entries(data: bytes) -> dict[str, int]:
    """Member name -> offset of its central directory entry."""
    entries, at = {}, data.find(CENTRAL)
    while at != -1:
        (length,) = struct.unpack_from("<H", data, at + 28)
        entries[data[at + 46 : at + 46 + length].decode()] = at
        at = data.find(CENTRAL, at + 4)
    return entries


def patch_central(data: bytes, name: str, **fields: int) -> bytes:
    """Overwrite fields of a member's central directory entry: method, flags, compressed, size, offset."""
    layout = {"flags": (8, "<H"), "method": (10, "<H"), "crc": (16, "<I"), "compressed": (20, "<I"),
              "size": (24, "<I"), "offset": (42, "<I")}
    out = bytearray(data)
    at = central_entries(data)[name]
    for field, value in fields.items():
        offset, form = layout[field]
        struct.pack_into(form, out, at + offset, value)
    return bytes(out)


def structure_offsets(data: bytes) -> list[int]:
    """Where the zip's own numbers live: every header's signature and fields, where a mutation
    reaches the container rather than a member's bytes."""
    offsets: list[int] = []
    for signature, length in ((LOCAL, 30), (CENTRAL, 46), (END, 22)):
        at = data.find(signature)
        while at != -1:
            offsets.extend(range(at, min(at + length, len(data))))
            at = data.find(signature, at + 4)
    return offsets


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def saved_small(folder: Path) -> Path:
    return save_sketch(small_sketch(), folder / "small.sketch")
