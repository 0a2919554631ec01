"""The measure taken of sketch.json before parsing: exact nesting depth and value count for any JSON
(strings with brackets, quotes and backslashes inside, across the scanner's block boundaries)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sketchpad.sketch import document_limits
from sketchpad.sketch.document_limits import measure_json

TRICKY = st.text(alphabet='[]{}",:\\ab\n\u00e9\u66f2', max_size=8)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TRICKY,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TRICKY, inner, max_size=4),
    max_leaves=30,
)


def reference(text: str) -> tuple[int, int]:
    """Character by character, as a JSON parser walks it."""
    depth = deepest = 0
    values, in_string, escaped = 1, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            values += 1
        elif char in "]}":
            depth -= 1
        elif char == ",":
            values += 1
    return deepest, values


@given(value=VALUES, ascii_only=st.booleans(), block=st.sampled_from([1, 2, 3, 7, 64, 1 << 18]))
def test_the_measure_is_exact(value: object, ascii_only: bool, block: int) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(document_limits, "_BLOCK", block)
        assert measure_json(text.encode()) == reference(text)


def test_brackets_inside_strings_do_not_count() -> None:
    assert measure_json(json.dumps(["[[[[", "\\\"[[", {"{": "]]]"}]).encode()) == (2, 5)
    assert measure_json(b"[" * 1000) == (1000, 1001)
    assert measure_json(b"") == (0, 1)
