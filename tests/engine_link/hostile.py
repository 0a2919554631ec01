"""Hostile streams for either end of the engine link: random bytes, real messages cut or bit-flipped,
and frames built to hurt a parser (deep nesting, huge integers, arrays that lie about themselves)."""

from __future__ import annotations

import json
import struct

import numpy as np
from hypothesis import strategies as st

from sketchpad.engine_link.wire import encode


def frame(body: dict | bytes, *arrays: bytes) -> bytes:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return struct.pack(">I", len(raw)) + raw + b"".join(struct.pack(">Q", len(a)) + a for a in arrays)


REAL = [
    encode({"type": "progress", "id": 1, "stage": "Generating", "done": 3, "total": 9}),
    encode({"type": "result", "id": 1, "value": {"audio": np.ones((2, 64), np.float32)}, "sent": 1.0}),
    encode({"type": "generate", "id": 2, "request": {"prompts": ["x"]}, "tokens": np.zeros((4, 8), np.int64)}),
]

CRAFTED = [
    frame(b"[" * 50_000 + b"]" * 50_000),
    frame(b'{"type":"status","id":' + b"7" * 5000 + b"}"),
    frame({"type": "x", "arrays": [{"dtype": "float32", "shape": [2**33, 2**33]}]}),
    frame({"type": "x", "arrays": [{"dtype": "object", "shape": [1]}]}, b"\x80\x04N."),
    frame({"type": "x", "a": {"$array": 0}, "arrays": [{"dtype": "float32", "shape": [4]}]}, b"\0" * 3),
    struct.pack(">I", 2**32 - 1),
    frame({"type": 5}),
    frame({"type": "cancel", "id": {"$array": 0}}),
]


@st.composite
def hostile_streams(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["random", "mutated", "crafted"]))
    if kind == "random":
        return draw(st.binary(min_size=1, max_size=256))
    if kind == "crafted":
        return draw(st.sampled_from(CRAFTED))
    data = bytearray(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] ^= draw(st.integers(1, 255))
    return bytes(data[:draw(st.integers(1, len(data)))])
