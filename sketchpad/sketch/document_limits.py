"""sketch.json is measured before it is parsed, so a hostile document can neither crash nor exhaust
the reader.

`json.loads` recurses once per level of nesting (a few hundred thousand "[" end in RecursionError)
and builds one Python object per value (a few megabytes of "{}," become a gigabyte of dicts).
Sketchpad writes six levels and a few dozen values per clip; the bounds leave room for a hundred
times the largest sketch a person makes. The scan runs in numpy, in blocks, so it costs a fraction
of a second and a few MB for the largest document allowed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from sketchpad.core.write_errors import size_text
from sketchpad.sketch import errors

MAX_DOCUMENT_BYTES = 16 * 2**20  # some 50,000 clips
MAX_DEPTH = 64
MAX_VALUES = 2_000_000
_BLOCK = 1 << 18
_QUOTE, _BACKSLASH, _COMMA = 0x22, 0x5C, 0x2C
_OPENERS, _CLOSERS = (0x5B, 0x7B), (0x5D, 0x7D)
_DAMAGED = "the file is damaged or was not written by Sketchpad"


def measure_json(data: bytes) -> tuple[int, int]:
    """(deepest nesting, about how many values) of JSON text, not counting what is inside strings.

    Exact for valid JSON; past the first error in invalid JSON the figures may be off, but the
    parser stops there, so it never goes deeper than they say.
    """
    view = np.frombuffer(data, np.uint8)
    depth = deepest = values = 0
    in_string, slashes = 0, 0  # carried across blocks: inside a string? backslashes just before?
    for first in range(0, len(view), _BLOCK):
        block = view[first : first + _BLOCK]
        index = np.arange(len(block), dtype=np.int32)
        # A quote is escaped when an odd run of backslashes comes right before it.
        last_other = np.maximum.accumulate(np.where(block == _BACKSLASH, np.int32(-1), index))
        run = np.empty(len(block), np.int64)
        run[0] = slashes
        run[1:] = index[:-1] - last_other[:-1]
        if last_other[0] < 0:  # the block opens with backslashes continuing the previous block's run
            run[1:] += np.where(last_other[:-1] < 0, slashes, 0)
        quotes = (block == _QUOTE) & ((run & 1) == 0)
        outside = ((np.cumsum(quotes, dtype=np.int64) + in_string) & 1) == 0
        opens = outside & ((block == _OPENERS[0]) | (block == _OPENERS[1]))
        closes = outside & ((block == _CLOSERS[0]) | (block == _CLOSERS[1]))
        level = np.cumsum(opens.view(np.int8) - closes.view(np.int8), dtype=np.int64) + depth
        deepest, depth = max(deepest, int(level.max())), int(level[-1])
        values += int(opens.sum()) + int((outside & (block == _COMMA)).sum())
        in_string = 0 if outside[-1] else 1
        trailing = len(block) - 1 - int(last_other[-1])
        slashes = trailing + (slashes if last_other[-1] < 0 else 0)
    return deepest, values + 1


def parse_document(data: bytes, path: Path, name: str) -> object:
    """The parsed document, or InvalidDocumentError with one line saying what is wrong."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise errors.InvalidDocumentError(
            path, f"{name} is {len(data) / 2**20:.0f} MiB, more than a sketch holds "
            f"({MAX_DOCUMENT_BYTES // 2**20} MiB): {_DAMAGED}")
    deepest, values = measure_json(data)
    if deepest > MAX_DEPTH:
        raise errors.InvalidDocumentError(
            path, f"{name} is nested {deepest} levels deep (a sketch needs fewer than {MAX_DEPTH}): {_DAMAGED}")
    if values > MAX_VALUES:
        raise errors.InvalidDocumentError(
            path, f"{name} holds about {values:,} values (a sketch holds fewer than {MAX_VALUES:,}): {_DAMAGED}")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise errors.InvalidDocumentError(
            path, f"{name} is not UTF-8 text (byte {error.start}): {_DAMAGED}") from None
    except json.JSONDecodeError as error:
        raise errors.InvalidDocumentError(
            path, f"{name} is not valid JSON ({error.msg.lower()} at line {error.lineno}, column "
            f"{error.colno})") from None
    except (ValueError, RecursionError):  # a 5,000-digit number; a stack already deep when called
        raise errors.InvalidDocumentError(path, f"{name} is not valid JSON: {_DAMAGED}") from None


# What a member may unpack to, from what the document says it holds. A 24-bit FLAC takes at most
# three bytes a sample plus frame headers and metadata; tokens are far fewer than audio samples.
_FLAC_SLACK = 2**20
_NPY_SLACK = 2**16


def audio_member_limit(frames: int, channels: int) -> int:
    return 4 * frames * channels + _FLAC_SLACK


def tokens_member_limit(frames: int, channels: int) -> int:
    return 8 * frames * channels + _NPY_SLACK


def physical_memory() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):  # Windows has no sysconf: no machine check there
        return None


def check_memory(path: Path, audio_bytes: int, memory: int | None = None) -> None:
    """Refuse, before decoding anything, a sketch whose audio would not fit in this computer's memory."""
    memory = physical_memory() if memory is None else memory
    if memory is not None and audio_bytes > memory * 3 // 4:
        raise errors.TooLargeError(
            path, f"needs {size_text(audio_bytes)} of memory for its audio, more than this computer has "
            f"({size_text(memory)}): open it on a computer with more memory")
