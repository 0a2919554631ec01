"""The protocol's framing: arrays travel in-band after their message, and anything else is refused with
ProtocolError only (never another exception, never an allocation a header merely claims)."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
import pytest

from sketchpad.engine_link.wire import (
    MAX_ARRAY_BYTES,
    MAX_MESSAGE_BYTES,
    FrameDecoder,
    ProtocolError,
    encode,
    read_message,
    version_of,
    write_message,
)


def frame(body: dict | bytes, *arrays: bytes) -> bytes:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return struct.pack(">I", len(raw)) + raw + b"".join(struct.pack(">Q", len(a)) + a for a in arrays)


def test_messages_round_trip_in_order_and_end_cleanly():
    stream = io.BytesIO()
    sent = [{"type": "hello", "protocol": 2}, {"type": "progress", "id": 3, "stage": "Générer ♪", "done": 1}]
    for message in sent:
        write_message(stream, message)
    stream.seek(0)
    assert [read_message(stream), read_message(stream)] == sent
    assert read_message(stream) is None


def test_arrays_travel_in_band_at_any_depth_with_their_dtype_and_shape():
    audio = np.random.default_rng(0).standard_normal((2, 1000)).astype(np.float32)
    tokens = np.arange(12, dtype=np.int16).reshape(3, 4)
    big_endian = np.arange(5, dtype=">i4")
    message = {"type": "result", "value": {"takes": [{"audio": audio, "tokens": tokens, "rate": 32000}],
                                           "odd": big_endian, "empty": np.zeros((2, 0), np.float64)}}
    back = read_message(io.BytesIO(encode(message)))
    take = back["value"]["takes"][0]
    np.testing.assert_array_equal(take["audio"], audio)
    assert take["audio"].dtype == np.float32 and take["tokens"].dtype == np.int16 and take["rate"] == 32000
    np.testing.assert_array_equal(back["value"]["odd"], big_endian)
    assert back["value"]["empty"].shape == (2, 0) and "arrays" not in back
    take["audio"][0, 0] = 5.0  # the receiver owns what it got


def test_a_stream_in_arbitrary_pieces_gives_the_same_messages():
    audio = np.linspace(-1, 1, 3000, dtype=np.float32).reshape(1, 3000)
    data = encode({"type": "partial", "id": 1, "audio": audio, "start": 0}) + encode({"type": "heartbeat"})
    decoder = FrameDecoder()
    got = []
    for start in range(0, len(data), 7):
        got += decoder.feed(data[start:start + 7])
    assert [m["type"] for m in got] == ["partial", "heartbeat"] and decoder.between_messages
    np.testing.assert_array_equal(got[0]["audio"], audio)


@pytest.mark.parametrize("data", [
    encode({"type": "x"})[:-1],  # cut inside the body
    encode({"type": "x"})[:2],  # cut inside the header
    encode({"type": "x", "a": np.zeros(4, np.float32)})[:-3],  # cut inside an array
    (MAX_MESSAGE_BYTES + 1).to_bytes(4, "big"),  # claims too much
    frame(b"[1,2]"),  # not an object
    frame(b"{}"),  # no type
    frame(b"\xff\xfe{"),  # not UTF-8
    frame(b"[" * 100_000 + b"]" * 100_000),  # nested past the recursion limit
    frame(b'{"type":"x","n":' + b"9" * 5000 + b"}"),  # an integer too long to convert
    frame({"type": "x", "arrays": [{"dtype": "object", "shape": [1]}]}, b"\0" * 8),  # objects: pickles
    frame({"type": "x", "arrays": [{"dtype": "float32", "shape": [2**40]}]}),  # claims terabytes
    frame({"type": "x", "arrays": [{"dtype": "float32", "shape": [-1]}]}),
    frame({"type": "x", "arrays": [{"dtype": "float32", "shape": [True]}]}),
    frame({"type": "x", "arrays": [{"dtype": "float32", "shape": [1, 1, 1, 1, 1]}]}, b"\0" * 4),
    frame({"type": "x", "a": {"$array": 0}, "arrays": [{"dtype": "float32", "shape": [2]}]}, b"\0" * 4),  # short
    frame({"type": "x", "a": {"$array": 1}, "arrays": [{"dtype": "float32", "shape": [1]}]}, b"\0" * 4),  # no 1
    frame({"type": "x", "a": {"$array": 0}, "b": {"$array": 0}, "arrays": [{"dtype": "int16", "shape": [1]}]},
          b"\0\0"),  # one array twice
    frame({"type": "x", "arrays": [{"dtype": "int16", "shape": [1]}]}, b"\0\0"),  # an array nothing names
    frame({"type": "x", "arrays": "lots"}),
])
def test_damaged_and_hostile_streams_are_protocol_errors(data):
    with pytest.raises(ProtocolError):
        read_message(io.BytesIO(data))
    with pytest.raises(ProtocolError):
        decoder = FrameDecoder()
        decoder.feed(data)
        if decoder.between_messages:
            raise AssertionError("a damaged stream read as whole messages")
        raise ProtocolError("cut off")


def test_what_cannot_be_sent_is_refused_before_anything_is_written():
    stream = io.BytesIO()
    for bad in (np.array(["text"]), np.zeros(3, bool), np.zeros((1,) * 5, np.float32)):
        with pytest.raises(ProtocolError):
            write_message(stream, {"type": "x", "value": bad})
    with pytest.raises(ProtocolError):
        write_message(stream, {"type": "x", "value": float("nan")})
    assert stream.getvalue() == b"" and MAX_ARRAY_BYTES >= 60 * 48000 * 2 * 8


def test_a_version_is_an_integer_not_a_boolean():
    assert version_of(2) == 2 and version_of(True) is None and version_of(2.0) is None and version_of("2") is None
