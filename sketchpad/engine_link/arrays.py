"""Arrays between the processes: `.npy` files in a private exchange folder, named in the messages.

The sender writes an array and sends a reference {"npy": name, "dtype": ..., "shape": [...]}; the
receiver loads it with `allow_pickle=False` (no objects, only numbers) and deletes the file. On Linux
the folder lives in /dev/shm, so the bytes stay in memory. Anything a message carries may hold arrays
at any depth: `embed` and `resolve` swap them for references and back.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from sketchpad.engine_link.wire import ProtocolError

ALLOWED_DTYPES = frozenset({"float32", "float64", "int16", "int32", "int64"})
_NAME = re.compile(r"^[0-9a-f]{32}\.npy$")


class ArrayExchange:
    """One folder both processes can read and write; the window's side creates and removes it."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @classmethod
    def create(cls) -> ArrayExchange:
        shm = Path("/dev/shm")
        parent = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        return cls(Path(tempfile.mkdtemp(prefix="sketchpad-engine-", dir=parent)))

    def put(self, array: np.ndarray) -> dict[str, Any]:
        data = np.ascontiguousarray(array)
        if data.dtype.name not in ALLOWED_DTYPES:
            raise ProtocolError(f"arrays of {data.dtype} cannot be sent")
        name = f"{uuid.uuid4().hex}.npy"
        with open(self.folder / name, "wb") as handle:
            np.save(handle, data, allow_pickle=False)
        return {"npy": name, "dtype": data.dtype.name, "shape": list(data.shape)}

    def take(self, ref: dict[str, Any]) -> np.ndarray:
        """The array a reference names; its file is gone afterwards."""
        path = self._path(ref)
        try:
            array = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as error:
            raise ProtocolError(f"an array could not be read: {error}") from error
        finally:
            path.unlink(missing_ok=True)
        if array.dtype.name != ref.get("dtype") or list(array.shape) != list(ref.get("shape", ())):
            raise ProtocolError("an array does not match its description")
        return array

    def discard(self, ref: dict[str, Any]) -> None:
        self._path(ref).unlink(missing_ok=True)

    def _path(self, ref: dict[str, Any]) -> Path:
        name = ref.get("npy")
        if not isinstance(name, str) or not _NAME.match(name):
            raise ProtocolError(f"not an array reference: {ref!r}")
        return self.folder / name

    def embed(self, value: Any) -> Any:
        """`value` with every numpy array replaced by a reference to a file written now."""
        if isinstance(value, np.ndarray):
            return self.put(value)
        if isinstance(value, dict):
            return {key: self.embed(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.embed(item) for item in value]
        return value

    def resolve(self, value: Any) -> Any:
        """`value` with every array reference replaced by the array (taking its file)."""
        if isinstance(value, dict):
            if "npy" in value:
                return self.take(value)
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
