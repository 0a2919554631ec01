"""Strict reading of one JSON object: every field typed, ranged, and no field unaccounted for.

Problems raise `FieldError` carrying the JSON path (`tracks[1].clips[0].gain_db`), which the loader
turns into an error naming the file.
"""

from __future__ import annotations

import math
import re
from typing import Any

_SHOWN_CHARS = 60
REPLACEMENT = "\ufffd"
# Lone surrogates (JSON's "\ud800" escape parses to one; no UTF-8 encoder takes it, so such a sketch
# would open and never save again) and control characters other than tab and newline.
_NOT_TEXT = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOT_LINE = re.compile("[\ud800-\udfff\x00-\x1f\x7f-\x9f]")


def clean_text(value: str, *, lines: bool = False) -> str:
    """`value` with every lone surrogate and control character replaced by U+FFFD (tab and newline kept
    where `lines`): the rest of the text survives, and it always encodes, so what opens can be saved."""
    return (_NOT_TEXT if lines else _NOT_LINE).sub(REPLACEMENT, value)


def clean_json(value: Any) -> Any:
    """A parsed JSON value with its every string (keys too) cleaned as `clean_text(lines=True)` does;
    the document's nesting is bounded before parsing, so this cannot recurse too deeply."""
    if isinstance(value, str):
        return clean_text(value, lines=True)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key, lines=True): clean_json(item) for key, item in value.items()}
    return value


def shown(value: object) -> str:
    """A value as a message quotes it: its repr, cut short (a damaged file's text can be megabytes long;
    the document's nesting is bounded before parsing, so repr cannot recurse too deeply)."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


class FieldError(ValueError):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where


class DanglingReference(FieldError):
    """A reference (clip -> media, clip -> decoder) that does not resolve."""


class Fields:
    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise FieldError(where, f"must be an object, got {type(value).__name__}")
        self._data: dict[str, Any] = value
        self._used: set[str] = set()
        self.where = where

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def raw(self, key: str) -> Any:
        if key not in self._data:
            raise FieldError(self.at(key), "is missing")
        self._used.add(key)
        return self._data[key]

    def str(self, key: str, *, optional: bool = False, limit: int | None = None) -> str | None:
        """Text as it may be shown and saved again: lone surrogates and control characters replaced
        (`clean_text`); longer than `limit` characters is refused, saying the limit."""
        value = self.raw(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise FieldError(self.at(key), f"must be text, got {shown(value)}")
        if limit is not None and len(value) > limit:
            raise FieldError(self.at(key), f"is {len(value):,} characters long; it may hold at most {limit:,}")
        return clean_text(value)

    def bool(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise FieldError(self.at(key), f"must be true or false, got {shown(value)}")
        return value

    def int(self, key: str, *, low: int = 0, high: int | None = None) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(self.at(key), f"must be a whole number, got {shown(value)}")
        if value < low:
            raise FieldError(self.at(key), f"must be at least {low}, got {shown(value)}")
        if high is not None and value > high:
            raise FieldError(self.at(key), f"must be at most {high}, got {shown(value)}")
        return value

    def float(self, key: str, *, low: float, high: float, optional: bool = False) -> float | None:
        value = self.raw(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise FieldError(self.at(key), f"must be a finite number, got {shown(value)}")
        if not low <= value <= high:
            raise FieldError(self.at(key), f"must be between {low} and {high}, got {shown(value)}")
        return float(value)

    def list(self, key: str) -> list[Any]:
        value = self.raw(key)
        if not isinstance(value, list):
            raise FieldError(self.at(key), f"must be a list, got {type(value).__name__}")
        return value

    def obj(self, key: str, *, optional: bool = False) -> Fields | None:
        value = self.raw(key)
        if value is None and optional:
            return None
        return Fields(value, self.at(key))

    def has(self, key: str) -> bool:
        """Whether an optional field (one a later format version added) is there."""
        return key in self._data

    def names(self) -> list[str]:
        return list(self._data)

    def done(self) -> None:
        """Every field must have been read: an unknown one means a format we do not understand."""
        unknown = sorted(set(self._data) - self._used)
        if unknown:
            raise FieldError(self.where or "document", f"has unknown fields {shown(unknown)}")
