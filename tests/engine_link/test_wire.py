"""The protocol's framing and array exchange refuse what is not theirs, with ProtocolError only."""

from __future__ import annotations

import io

import numpy as np
import pytest

from sketchpad.engine_link.arrays import ArrayExchange
from sketchpad.engine_link.wire import MAX_MESSAGE_BYTES, ProtocolError, encode, read_message, write_message


def test_messages_round_trip_in_order_and_end_cleanly():
    stream = io.BytesIO()
    sent = [{"type": "hello", "protocol": 1}, {"type": "progress", "id": 3, "stage": "Générer ♪", "done": 1}]
    for message in sent:
        write_message(stream, message)
    stream.seek(0)
    assert [read_message(stream), read_message(stream)] == sent
    assert read_message(stream) is None


@pytest.mark.parametrize("data", [
    encode({"type": "x"})[:-1],  # cut inside the body
    encode({"type": "x"})[:2],  # cut inside the header
    (MAX_MESSAGE_BYTES + 1).to_bytes(4, "big"),  # claims too much
    (5).to_bytes(4, "big") + b"[1,2]",  # not an object
    (2).to_bytes(4, "big") + b"{}",  # no type
    (3).to_bytes(4, "big") + b"\xff\xfe{",  # not UTF-8
])
def test_damaged_streams_are_protocol_errors(data):
    with pytest.raises(ProtocolError):
        read_message(io.BytesIO(data))


def test_arrays_travel_as_files_and_are_taken_once(tmp_path):
    exchange = ArrayExchange(tmp_path)
    audio = np.random.default_rng(0).standard_normal((2, 1000)).astype(np.float32)
    tokens = np.arange(12, dtype=np.int32).reshape(3, 4)
    message = exchange.embed({"takes": [{"audio": audio, "tokens": tokens, "rate": 32000}]})
    assert len(list(tmp_path.iterdir())) == 2 and isinstance(message["takes"][0]["audio"], dict)
    back = exchange.resolve(message)
    np.testing.assert_array_equal(back["takes"][0]["audio"], audio)
    np.testing.assert_array_equal(back["takes"][0]["tokens"], tokens)
    assert back["takes"][0]["rate"] == 32000
    assert list(tmp_path.iterdir()) == []


def test_array_references_outside_the_exchange_or_of_objects_are_refused(tmp_path):
    exchange = ArrayExchange(tmp_path / "x")
    (tmp_path / "x").mkdir()
    secret = tmp_path / "secret.npy"
    np.save(secret, np.zeros(3))
    for name in ("../secret.npy", str(secret), "0" * 32 + ".txt"):
        with pytest.raises(ProtocolError):
            exchange.take({"npy": name, "dtype": "float64", "shape": [3]})
    assert secret.exists()
    objects = "a" * 32 + ".npy"
    np.save(tmp_path / "x" / objects, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ProtocolError):
        exchange.take({"npy": objects, "dtype": "object", "shape": [1]})
    with pytest.raises(ProtocolError):
        exchange.put(np.array(["text"]))
