"""Fuzzing the reader: a valid bundle's bytes truncated, flipped and spliced (anywhere, and where the
zip keeps its own numbers), and its members' bytes mutated behind valid checksums, so the damage
reaches the JSON reader, libsndfile and the .npy reader. Only the documented errors may come out
(a `SketchFileError` subclass; a file that still loads is fine), each within a time and memory bound.

The examples are the same on every run (the pinned profile in tests/conftest.py);
SKETCHPAD_HYPOTHESIS=broad searches further.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sketchpad.sketch import SketchFileError, load_sketch
from tests.sketch.bundles import bundle_bytes, members, rebuild, structure_offsets

BASE = bundle_bytes()
STRUCTURE = structure_offsets(BASE)
PARTS = members(BASE)
SECONDS_BOUND = 2.0  # per example; measured: milliseconds
MEMORY_BOUND = 32 * 2**20  # per example, traced; the bundle is 9 KB, its audio a few KB decoded
RUNS = {"examples": 0, "refused": 0, "loaded": 0, "slowest": 0.0, "most_memory": 0}
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module", autouse=True)
def traced():
    tracemalloc.start()
    yield
    tracemalloc.stop()
    print(f"\nfuzz: {RUNS['examples']} examples, {RUNS['refused']} refused, {RUNS['loaded']} loaded; "
          f"slowest {RUNS['slowest'] * 1000:.1f} ms, most memory {RUNS['most_memory'] / 2**20:.2f} MiB")


def only_documented_errors(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    tracemalloc.reset_peak()
    started = time.perf_counter()
    try:
        load_sketch(path)
        RUNS["loaded"] += 1
    except SketchFileError as error:
        text = str(error)
        assert text.startswith(f"{path.name}: ") and "\n" not in text and len(text) < 400, text
        RUNS["refused"] += 1
    seconds, peak = time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    RUNS["examples"] += 1
    RUNS["slowest"], RUNS["most_memory"] = max(RUNS["slowest"], seconds), max(RUNS["most_memory"], peak)
    assert seconds < SECONDS_BOUND and peak < MEMORY_BOUND, (seconds, peak)


def position(size: int) -> st.SearchStrategy[int]:
    """Anywhere, or (as often) where the zip's own fields are: sizes, offsets, methods, flags."""
    anywhere = st.integers(0, size - 1)
    fields = st.sampled_from([offset for offset in STRUCTURE if offset < size]) if size > STRUCTURE[0] else anywhere
    return st.one_of(anywhere, fields)


@st.composite
def mutated(draw, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        kind = draw(st.sampled_from(["truncate", "flip", "byte", "splice", "duplicate", "number"]))
        at = draw(position(len(data)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "byte":
            data[at] = draw(st.integers(0, 255))
        elif kind == "splice":
            end = min(len(data), at + draw(st.integers(0, 64)))
            data[at:end] = draw(st.binary(max_size=64))
        elif kind == "duplicate":
            start = draw(st.integers(0, len(data) - 1))
            data[at:at] = data[start : start + draw(st.integers(1, 256))]
        else:  # a 16- or 32-bit field set to an extreme
            value = draw(st.sampled_from([0, 1, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, len(base), len(base) + 1]))
            width = draw(st.sampled_from([2, 4]))
            data[at : at + width] = (value & (256**width - 1)).to_bytes(width, "little")
    return bytes(data)


@FUZZ
@given(data=mutated(BASE))
def test_damaged_bundle_bytes_raise_only_sketch_errors(tmp_path: Path, data: bytes) -> None:
    only_documented_errors(tmp_path / "fuzzed.sketch", data)


@FUZZ
@given(name=st.sampled_from(sorted(PARTS)), data=st.data())
def test_damaged_members_behind_valid_checksums_raise_only_sketch_errors(tmp_path: Path, name: str,
                                                                        data: st.DataObject) -> None:
    parts = dict(PARTS)
    parts[name] = data.draw(mutated(PARTS[name]) if PARTS[name] else st.binary(max_size=64))
    only_documented_errors(tmp_path / "fuzzed.sketch", rebuild(parts))


JSON_PIECES = ['[', ']', '{', '}', '"', '\\\\', ',', ':', '0', '-1', '1e999', 'NaN', 'null', 'true', '"x"',
               '"media"', '"tracks"', '"frames"', '"clips"', '"decoders"', '"\\\\u0000"', '2147483648', '1.5']


@FUZZ
@given(cuts=st.lists(st.tuples(st.integers(0, len(PARTS["sketch.json"])), st.integers(0, 8),
                               st.lists(st.sampled_from(JSON_PIECES), max_size=6)), min_size=1, max_size=4))
def test_a_mangled_document_raises_only_sketch_errors(tmp_path: Path, cuts: list) -> None:
    text = PARTS["sketch.json"].decode()
    for at, removed, pieces in cuts:
        text = text[:at] + "".join(pieces) + text[at + removed :]
    parts = dict(PARTS, **{"sketch.json": text.encode()})
    only_documented_errors(tmp_path / "fuzzed.sketch", rebuild(parts))
