"""Framing: one JSON message, then the arrays it references as binary frames, over any byte stream.

A message is a 4-byte big-endian length and that many bytes of UTF-8 JSON (one object with a `type`).
Numpy arrays anywhere in it travel in-band: the JSON holds `{"$array": i}` in their place and a
top-level `"arrays": [{"dtype", "shape"}, ...]`; right after the JSON come exactly that many frames,
each an 8-byte big-endian length and the array's raw little-endian C-order bytes. The receiver checks
each description against the limits below before it allocates anything, and builds arrays of numbers
only: nothing is ever unpickled. The same bytes travel over the local engine's pipes and over HTTP to a
server (`encode` / `FrameDecoder`), so no transport ever touches a file or embeds arrays itself.

Reading is written once, as a generator that asks for byte counts (`_parse`); a blocking stream
(`read_message`) and a push parser for chunked bodies (`FrameDecoder`) both drive it. Whatever a
damaged or hostile stream makes it raise comes out as ProtocolError, so each side can treat any failure
to read as the end of the conversation.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Generator, Iterator
from typing import Any, BinaryIO

import numpy as np

PROTOCOL_VERSION = 2
MAX_MESSAGE_BYTES = 4 * 2**20
MAX_ARRAYS = 64  # per message: a request of 16 variations carries 2 arrays per take
MAX_ARRAY_BYTES = 2**31  # one array: 30 minutes of 48 kHz stereo float64 fits
MAX_DIMENSIONS = 4
MAX_DEPTH = 32  # JSON nesting; real messages nest 4 deep
ALLOWED_DTYPES = frozenset({"float32", "float64", "int16", "int32", "int64"})
_HEADER = struct.Struct(">I")
_ARRAY_HEADER = struct.Struct(">Q")
_REF = "$array"

Message = dict[str, Any]


class ProtocolError(Exception):
    """The other side sent something that is not a message of this protocol."""


def version_of(value: Any) -> int | None:
    """A protocol version as sent (an int, not a bool or a float), else None."""
    return value if type(value) is int else None


def _outgoing(message: Message) -> tuple[bytes, list[np.ndarray]]:
    arrays: list[np.ndarray] = []

    def swap(value: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise ProtocolError("a message nests too deeply")
        if isinstance(value, np.ndarray):
            data = np.ascontiguousarray(value)
            if data.dtype.name not in ALLOWED_DTYPES or data.ndim > MAX_DIMENSIONS or data.nbytes > MAX_ARRAY_BYTES:
                raise ProtocolError(f"an array of {data.dtype} {data.shape} cannot be sent")
            arrays.append(data.astype(data.dtype.newbyteorder("<"), copy=False))
            return {_REF: len(arrays) - 1}
        if isinstance(value, dict):
            return {key: swap(item, depth + 1) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [swap(item, depth + 1) for item in value]
        if isinstance(value, np.generic):
            return value.item()
        return value

    body = swap(message, 0)
    if arrays:
        if len(arrays) > MAX_ARRAYS:
            raise ProtocolError(f"a message may carry at most {MAX_ARRAYS} arrays")
        body["arrays"] = [{"dtype": a.dtype.name, "shape": list(a.shape)} for a in arrays]
    try:
        text = json.dumps(body, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"a {message.get('type')!r} message cannot be sent: {error}") from error
    if len(text) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"a {message.get('type')!r} message of {len(text)} bytes exceeds the limit")
    return _HEADER.pack(len(text)) + text, arrays


def _pieces(message: Message) -> Iterator[bytes | memoryview]:
    head, arrays = _outgoing(message)
    yield head
    for array in arrays:
        yield _ARRAY_HEADER.pack(array.nbytes)
        if array.nbytes:
            yield memoryview(array).cast("B")


def encode(message: Message) -> bytes:
    """A message and its arrays as one piece of bytes (an HTTP body, a test's stream)."""
    return b"".join(bytes(piece) for piece in _pieces(message))


def write_message(stream: BinaryIO, message: Message) -> None:
    """Write a message whole; large arrays go out without being copied into one buffer."""
    for piece in _pieces(message):
        stream.write(piece)
    stream.flush()


def _descriptions(body: Message) -> list[tuple[np.dtype, tuple[int, ...], int]]:
    listed = body.pop("arrays", [])
    if not isinstance(listed, list) or len(listed) > MAX_ARRAYS:
        raise ProtocolError("a message's arrays must be a short list")
    described = []
    for item in listed:
        if not isinstance(item, dict) or item.get("dtype") not in ALLOWED_DTYPES:
            raise ProtocolError(f"an array of an unknown kind: {str(item)[:80]}")
        shape = item.get("shape")
        if (not isinstance(shape, list) or len(shape) > MAX_DIMENSIONS
                or not all(type(size) is int and 0 <= size <= MAX_ARRAY_BYTES for size in shape)):
            raise ProtocolError(f"an array with an impossible shape: {str(shape)[:80]}")
        dtype = np.dtype(item["dtype"]).newbyteorder("<")
        size = math.prod(shape) * dtype.itemsize
        if size > MAX_ARRAY_BYTES:
            raise ProtocolError(f"an array of {size} bytes is larger than the limit")
        described.append((dtype, tuple(shape), size))
    return described


def _place(value: Any, arrays: list[np.ndarray], used: set[int], depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise ProtocolError("a message nests too deeply")
    if isinstance(value, dict):
        if _REF in value:
            index = value[_REF]
            if len(value) != 1 or type(index) is not int or not 0 <= index < len(arrays) or index in used:
                raise ProtocolError(f"a reference to no array: {str(value)[:80]}")
            used.add(index)
            return arrays[index]
        return {key: _place(item, arrays, used, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_place(item, arrays, used, depth + 1) for item in value]
    return value


def _parse() -> Generator[int, bytearray, Message]:
    """Asks for byte counts (yield n, receives exactly n bytes); returns the message, arrays in place."""
    (length,) = _HEADER.unpack((yield _HEADER.size))
    if length > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"a message claims {length} bytes, more than the limit")
    raw = (yield length) if length else bytearray()
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:  # ValueError: JSON, or a 5000-digit int
        raise ProtocolError(f"a message is not JSON: {str(error)[:120]}") from error
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        raise ProtocolError("a message must be a JSON object with a 'type'")
    arrays = []
    for dtype, shape, size in _descriptions(body):
        (announced,) = _ARRAY_HEADER.unpack((yield _ARRAY_HEADER.size))
        if announced != size:
            raise ProtocolError(f"an array frame of {announced} bytes where {size} were described")
        data = (yield size) if size else bytearray()
        arrays.append(np.frombuffer(data, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="), copy=False))
    used: set[int] = set()
    message = _place(body, arrays, used)
    if len(used) != len(arrays):
        raise ProtocolError("a message carries arrays it does not reference")
    return message


def _step(parser: Generator[int, bytearray, Message], data: bytearray | None) -> int | Message:
    """Feed the parser (None to start it); the next byte count it wants, or the finished message.
    Anything it raises becomes a ProtocolError: the stream cannot be trusted any more."""
    try:
        return next(parser) if data is None else parser.send(data)
    except StopIteration as done:
        return done.value
    except ProtocolError:
        raise
    except (ValueError, TypeError, RecursionError, MemoryError, OverflowError, struct.error) as error:
        raise ProtocolError(f"a message could not be read: {type(error).__name__}: {str(error)[:120]}") from error


def _read_exactly(stream: BinaryIO, count: int) -> bytearray | None:
    """`count` bytes, or None at end of stream before the first byte; a cut-off message is an error."""
    buffer = bytearray(count)
    view = memoryview(buffer)
    got = 0
    while got < count:
        read = stream.readinto(view[got:])
        if not read:
            if got == 0:
                return None
            raise ProtocolError(f"the stream ended inside a message ({got} of {count} bytes)")
        got += read
    return buffer


def read_message(stream: BinaryIO) -> Message | None:
    """The next message (arrays in place), or None when the other side closed the stream cleanly."""
    parser = _parse()
    wanted = _step(parser, None)
    first = True
    while isinstance(wanted, int):
        data = _read_exactly(stream, wanted)
        if data is None:
            if first:
                return None
            raise ProtocolError("the stream ended inside a message")
        first = False
        wanted = _step(parser, data)
    return wanted


class FrameDecoder:
    """Messages from a stream that arrives in arbitrary pieces (an HTTP body): `feed` returns every
    message completed by the bytes given; `finish` says whether the stream ended between messages."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._parser: Generator[int, bytearray, Message] | None = None
        self._wanted = 0

    def feed(self, data: bytes) -> list[Message]:
        self._buffer += data
        done: list[Message] = []
        while True:
            if self._parser is None:
                if not self._buffer:
                    return done
                self._parser = _parse()
                wanted = _step(self._parser, None)
                assert isinstance(wanted, int)
                self._wanted = wanted
            if len(self._buffer) < self._wanted:
                return done
            piece = self._buffer[:self._wanted]
            del self._buffer[:self._wanted]
            result = _step(self._parser, piece)
            if isinstance(result, int):
                self._wanted = result
            else:
                done.append(result)
                self._parser = None

    @property
    def between_messages(self) -> bool:
        return self._parser is None and not self._buffer
