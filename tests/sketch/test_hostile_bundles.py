"""Hostile .sketch files (as an attacker would craft them) are refused with the sketch layer's own
error and a one-line reason, within a time and memory bound, by the library, `sketchpad info` and
therefore File > Open: deep nesting, millions of values, a member running past the end of the file,
members unpacking beyond what the document claims, odd compression, tokens and audio whose headers
claim gigabytes."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sketchpad.cli import main
from sketchpad.sketch import (
    BadAudioError,
    BadTokensError,
    DamagedBundleError,
    ExtraMemberError,
    InvalidDocumentError,
    NotASketchError,
    SketchFileError,
    TooLargeError,
    load_sketch,
)
from sketchpad.sketch.document_limits import MAX_DOCUMENT_BYTES, check_memory
from tests.sketch.bundles import (
    bundle_bytes,
    central_entries,
    document_of,
    members,
    patch_central,
    rebuild,
    with_document,
)
from tests.sketch.conftest import RATE

SECONDS_BOUND = 5.0  # each refusal, on a loaded two-core machine; measured: well under one second
MEMORY_BOUND = 96 * 2**20  # Python and numpy allocations while reading one file


def first(data: bytes, suffix: str) -> str:
    return next(name for name in members(data) if name.endswith(suffix))


def deep_document() -> bytes:
    return with_document("[" * 300_000)


def sixteen_mib_of_brackets() -> bytes:
    return with_document("[" * MAX_DOCUMENT_BYTES)


def deep_inside_a_sketch() -> bytes:
    document = document_of(bundle_bytes())
    text = json.dumps(document)
    return with_document(text[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}")


def many_values() -> bytes:
    return with_document("[" + "0," * (MAX_DOCUMENT_BYTES // 2 - 8) + "0]")


def oversized_document_claim() -> bytes:
    return patch_central(bundle_bytes(), "sketch.json", size=2**31)


def member_past_the_end() -> bytes:
    data = bundle_bytes()
    name = first(data, "source.flac")
    return patch_central(data, name, compressed=len(data), size=len(data))  # stored: the size is the claim


def member_beyond_its_claims() -> bytes:
    data = bundle_bytes()
    return patch_central(data, first(data, "encodec.flac"), size=200 * 2**20)


def unknown_compression() -> bytes:
    data = bundle_bytes()
    return patch_central(data, first(data, "mbd.flac"), method=99)


def encrypted_member() -> bytes:
    data = bundle_bytes()
    return patch_central(data, first(data, "tokens.npy"), flags=1)


def garbage_deflate() -> bytes:
    data = bundle_bytes()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("sketch.json")
    start = info.header_offset + 30 + len("sketch.json")
    garbage = bytes((7 * number) % 251 for number in range(info.compress_size))
    return data[:start] + garbage + data[start + info.compress_size :]


def deflate_bomb() -> bytes:
    """A document that inflates to 256 MB of spaces, claiming a few hundred bytes."""
    data = bundle_bytes()
    parts = members(data)
    parts["sketch.json"] = parts["sketch.json"] + b" " * 2**28
    bomb = rebuild(parts)
    return patch_central(bomb, "sketch.json", size=len(members(data)["sketch.json"]))


def tokens_claiming_terabytes() -> bytes:
    data = bundle_bytes()
    parts = members(data)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<i8", "fortran_order": False,
                                                  "shape": (2**20, 2**20)})
    parts[first(data, "tokens.npy")] = b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + b"\0" * 64
    return rebuild(parts)


def audio_claiming_terabytes() -> bytes:
    document = document_of(bundle_bytes())
    document["media"][0]["decoders"]["encodec"]["frames"] = 2**40
    return with_document(json.dumps(document))  # the members are checked only once the memory is known


def flac_claiming_ten_million_frames() -> bytes:
    """A FLAC whose header claims ten million frames (as the document does) cut off after 20 KB."""
    buffer = io.BytesIO()
    sf.write(buffer, np.zeros(10**7, np.int32), RATE, format="FLAC", subtype="PCM_24")
    data = bundle_bytes()
    parts = members(data)
    parts[first(data, "source.flac")] = buffer.getvalue()[:20_000]
    document = json.loads(parts["sketch.json"])
    media = next(m for m in document["media"] if m["origin"] == "imported")
    media["decoders"]["source"]["frames"] = 10**7
    parts["sketch.json"] = json.dumps(document).encode()
    return rebuild(parts)


def sixty_thousand_members() -> bytes:
    parts = members(bundle_bytes())
    parts.update({f"x/{number}": b"" for number in range(60_000)})
    return rebuild(parts, compress=lambda name: zipfile.ZIP_STORED)


def name_not_utf8() -> bytes:
    data = bytearray(bundle_bytes())
    at = central_entries(bytes(data))["sketch.json"]
    data[at + 8] |= 0x08  # the "names are UTF-8" flag is bit 11: 0x0800 -> byte 9
    data[at + 9] |= 0x08
    data[at + 46] = 0xFF
    return bytes(data)


def huge_number() -> bytes:
    return with_document('{"format": "sketchpad-sketch", "version": 1' + "1" * 5000 + "}")


CASES: list[tuple[str, Callable[[], bytes], type[SketchFileError], str]] = [
    ("deep nesting", deep_document, InvalidDocumentError, "sketch.json is nested 300000 levels deep"),
    ("16 MiB of [", sixteen_mib_of_brackets, InvalidDocumentError, "nested 16777216 levels deep"),
    ("deep inside a sketch", deep_inside_a_sketch, InvalidDocumentError, "nested 100001 levels deep"),
    ("eight million values", many_values, InvalidDocumentError, "holds about 8,388,"),
    ("document claims 2 GB", oversized_document_claim, TooLargeError, "unpacks to 2,147,483,648 bytes"),
    ("member past the end", member_past_the_end, BadAudioError, "runs past the end of the file"),
    ("member beyond its claims", member_beyond_its_claims, TooLargeError, "the most 300 frames of 2-channel"),
    ("unknown compression", unknown_compression, BadAudioError, "compressed or encrypted in a way"),
    ("encrypted member", encrypted_member, BadTokensError, "compressed or encrypted in a way"),
    ("garbage deflate", garbage_deflate, InvalidDocumentError, "is damaged: it does not unpack"),
    ("deflate bomb", deflate_bomb, InvalidDocumentError, "fails its CRC checksum"),
    ("tokens claim a terabyte", tokens_claiming_terabytes, BadTokensError, "cut short or padded"),
    ("audio claims terabytes", audio_claiming_terabytes, InvalidDocumentError,  # 9,544 hours of it
     "past the 2-hour limit of a sketch"),
    ("FLAC claims 10M frames", flac_claiming_ten_million_frames, BadAudioError, "audio 'media/"),
    ("60,000 members", sixty_thousand_members, ExtraMemberError, "'x/0', which the document does not use"),
    ("name not UTF-8", name_not_utf8, DamagedBundleError, "its zip directory cannot be read"),
    ("5,000-digit number", huge_number, InvalidDocumentError, "is not valid JSON"),
]


def refusal_cost(path: Path) -> tuple[float, int, SketchFileError]:
    """Seconds and peak traced bytes of refusing the bundle at `path` (bench/hostile_bundles.py too)."""
    started = time.perf_counter()
    with pytest.raises(SketchFileError) as caught:
        load_sketch(path)
    seconds = time.perf_counter() - started
    tracemalloc.start()  # a second time, for its memory (tracemalloc slows what it watches)
    try:
        with pytest.raises(SketchFileError):
            load_sketch(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak, caught.value


@pytest.mark.parametrize(("name", "build", "error", "message"), CASES, ids=[case[0] for case in CASES])
def test_a_hostile_bundle_is_refused_in_bounded_time_and_memory(tmp_path: Path, name: str, build, error: type,
                                                                  message: str) -> None:
    path = tmp_path / "hostile.sketch"
    path.write_bytes(build())
    seconds, peak, refusal = refusal_cost(path)
    text = str(refusal)
    assert type(refusal) is error, text
    assert text.startswith("hostile.sketch: ") and message in text and "\n" not in text and len(text) < 300
    assert seconds < SECONDS_BOUND and peak < MEMORY_BOUND, (seconds, peak)


def test_sketchpad_info_says_what_is_wrong_in_one_line(tmp_path: Path, capsys) -> None:
    for number, (_, build, _, message) in enumerate(CASES[:5]):
        path = tmp_path / f"hostile{number}.sketch"
        path.write_bytes(build())
        assert main(["info", str(path)]) == 2
        printed = capsys.readouterr()
        assert printed.out == "" and printed.err.count("\n") == 1
        assert printed.err.startswith(f"sketchpad: hostile{number}.sketch: ") and message in printed.err


def test_a_sketch_larger_than_the_memory_of_this_computer_is_refused_up_front(tmp_path: Path) -> None:
    check_memory(tmp_path, 6 * 2**30, memory=8 * 2**30)
    with pytest.raises(TooLargeError, match=r"needs 7.5 GB of memory for its audio, more than this computer has "
                                            r"\(8.6 GB\): open it on a computer with more memory"):
        check_memory(tmp_path / "big.sketch", 7 * 2**30, memory=8 * 2**30)


def test_not_a_zip_and_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.sketch").write_bytes(b"\x7fELF" + b"\0" * 100)
    with pytest.raises(NotASketchError, match="not a zip bundle"):
        load_sketch(tmp_path / "a.sketch")
    (tmp_path / "b.sketch").mkdir()
    with pytest.raises(NotASketchError, match="is a folder"):
        load_sketch(tmp_path / "b.sketch")
