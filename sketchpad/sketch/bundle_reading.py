"""Reading the zip container of a .sketch without trusting anything in it.

Every exception that damaged bytes can raise from zipfile, zlib, lzma, bz2, struct or a seek becomes
the sketch layer's own error, naming the file and what is wrong; only an error reading the disk
itself stays an OSError. A member's size in the zip directory is checked against what the
document's own claims allow before it is read, and it is read in blocks that stop at that size, so
a crafted member (a deflate bomb, a bzip2 or LZMA stream) cannot make the reader inflate gigabytes.
"""

from __future__ import annotations

import errno
import lzma
import struct
import zipfile
import zlib
from pathlib import Path

from sketchpad.sketch import errors

ZIP_MAGIC = b"PK"
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what Sketchpad writes; bzip2 and LZMA inflate unbounded
_ENCRYPTED = 0x1
_BLOCK = 1 << 20
# What damaged bytes raise inside zipfile and its decompressors (beside BadZipFile): a member cut
# short (EOFError), bad compressed data (zlib.error, LZMAError, OSError without errno from bz2), an
# unknown method (NotImplementedError), an encrypted member (RuntimeError), a name that is not UTF-8
# or a negative offset (ValueError), a short header (struct.error), absurd numbers (OverflowError).
_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, lzma.LZMAError, NotImplementedError,
           RuntimeError, ValueError, struct.error, OverflowError, MemoryError)


def is_damage(error: BaseException) -> bool:
    """True for what damaged bytes raise; False for a disk that cannot be read (EIO, EACCES...)."""
    if isinstance(error, OSError) and not isinstance(error, zipfile.BadZipFile):
        return error.errno in (None, errno.EINVAL)  # bz2's "Invalid data stream"; a seek before the start
    return isinstance(error, _DAMAGE)


def open_bundle(path: Path) -> zipfile.ZipFile:
    try:
        with open(path, "rb") as probe:
            magic = probe.read(2)
    except IsADirectoryError:
        raise errors.NotASketchError(path, "is a folder, not a sketch file") from None
    try:
        return zipfile.ZipFile(path)
    except Exception as error:
        if not is_damage(error):
            raise
        if magic != ZIP_MAGIC:
            raise errors.NotASketchError(path, "is not a sketch file (not a zip bundle)") from None
        raise errors.DamagedBundleError(
            path, "is damaged: its zip directory cannot be read (was the file cut short while copying?)"
        ) from None


def read_member(archive: zipfile.ZipFile, name: str, path: Path, *, limit: int, limit_reason: str,
                error: type[errors.SketchFileError], what: str) -> bytes | bytearray:
    """The bytes of member `name`, refusing one that would unpack to more than `limit` (the most
    `limit_reason`); damage raises `error`. Read in blocks: zipfile's own `read()` inflates all a
    block of compressed input holds, whatever the directory claims (a deflate bomb takes gigabytes)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise errors.MissingMemberError(path, f"is missing {name!r}") from None
    if info.file_size > limit:
        raise errors.TooLargeError(
            path, f"{what} {name!r} says it unpacks to {info.file_size:,} bytes, more than {limit:,} (the most "
            f"{limit_reason}): the file is damaged or was not written by Sketchpad")
    if info.compress_type not in _METHODS or info.flag_bits & _ENCRYPTED:
        raise error(path, f"{what} {name!r} {_reason(NotImplementedError())}")
    data = bytearray()  # grown as the bytes come: a claim alone never reserves memory
    try:
        with archive.open(info) as stream:
            while block := stream.read(min(_BLOCK, info.file_size - len(data) + 1)):
                if len(data) + len(block) > info.file_size:  # zipfile stops at the claim; never trust that alone
                    raise errors.TooLargeError(path, f"{what} {name!r} unpacks to more than it claims")
                data += block
    except errors.SketchFileError:
        raise
    except Exception as caught:
        if not is_damage(caught):
            raise
        raise error(path, f"{what} {name!r} {_reason(caught)}") from None
    if len(data) != info.file_size:
        raise error(path, f"{what} {name!r} {_reason(EOFError())}")
    return data


def _reason(error: BaseException) -> str:
    if isinstance(error, EOFError):
        return "is cut short: it runs past the end of the file (was the file cut short while copying?)"
    if isinstance(error, zipfile.BadZipFile) and "CRC" in str(error):
        return "fails its CRC checksum: its bytes were changed after it was saved"
    if isinstance(error, NotImplementedError | RuntimeError):
        return "is compressed or encrypted in a way Sketchpad never writes"
    if isinstance(error, MemoryError):
        return "does not fit in memory"
    return "is damaged: it does not unpack"
