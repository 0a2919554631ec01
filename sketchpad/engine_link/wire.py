"""Framing: each message is a 4-byte big-endian length and that many bytes of UTF-8 JSON, one object.

Arrays never travel inline (see arrays.py), so messages are small and bounded. The same framing works
over a pipe (the local engine process) and over a socket (a remote engine, later).
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 4 * 2**20
_HEADER = struct.Struct(">I")

Message = dict[str, Any]


class ProtocolError(Exception):
    """The other side sent something that is not a message of this protocol."""


def encode(message: Message) -> bytes:
    body = json.dumps(message, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(body) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"a {message.get('type')!r} message of {len(body)} bytes exceeds the limit")
    return _HEADER.pack(len(body)) + body


def write_message(stream: BinaryIO, message: Message) -> None:
    stream.write(encode(message))
    stream.flush()


def _read_exactly(stream: BinaryIO, count: int) -> bytes | None:
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
    return bytes(buffer)


def read_message(stream: BinaryIO) -> Message | None:
    """The next message, or None when the other side closed the stream cleanly."""
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    (length,) = _HEADER.unpack(header)
    if length > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"a message claims {length} bytes, more than the limit")
    body = _read_exactly(stream, length) if length else b""
    if body is None:
        raise ProtocolError("the stream ended after a message header")
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"a message is not JSON: {error}") from error
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("a message must be a JSON object with a 'type'")
    return message
