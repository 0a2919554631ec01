"""Text is valid Unicode on the way in, and every kept-take field is bounded and typed before the window
sees it: a bundle edited to hold a lone surrogate or a control character in its title, a track's, a
clip's or a take's name or its generation parameters opens (the character replaced by U+FFFD) and saves
again; a take whose group, seed, tokens or name no Sketchpad writes is refused in one line, by the
library and `sketchpad info` (File > Open reads through the same load_sketch)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sketchpad.cli import main
from sketchpad.sketch import (
    BadTokensError,
    Clip,
    ClipMedia,
    InvalidDocumentError,
    KeptTake,
    Sketch,
    SketchFileError,
    Track,
    load_sketch,
    save_sketch,
)
from sketchpad.sketch.bundle import write_bundle
from tests.sketch.bundles import document_of, members, rebuild, with_document
from tests.sketch.conftest import RATE


def take_sketch(tokens: np.ndarray | None = None) -> Sketch:
    rng = np.random.default_rng(5)
    media = ClipMedia(RATE, {"encodec": rng.uniform(-1, 1, (1, 640)).astype(np.float32)}, origin="generated",
                      tokens=rng.integers(0, 2048, (4, 1)) if tokens is None else tokens, model="m",
                      params={"prompt": "calm", "seed": 7}, id="gen")
    return Sketch(sample_rate=RATE, title="t", tracks=[Track(name="one", id="t1", clips=[Clip(media, id="c1")])],
                  takes=[KeptTake(media, name="Take", group=1, id="k1")])


def bundle_with(edit, sketch: Sketch | None = None) -> bytes:
    import io

    buffer = io.BytesIO()
    write_bundle(sketch or take_sketch(), buffer)
    data = buffer.getvalue()
    document = document_of(data)
    edit(document)
    return with_document(json.dumps(document), data)  # ensure_ascii: "\ud800" travels as its JSON escape


def everywhere(bad: str):
    def edit(document: dict) -> None:
        document["title"] += bad
        document["tracks"][0]["name"] += bad
        document["tracks"][0]["clips"][0]["name"] = bad
        document["takes"][0]["name"] += bad
        document["media"][0]["params"]["prompt"] += bad
        document["media"][0]["params"]["key" + bad] = [bad]
    return edit


@pytest.mark.parametrize("bad", ["\ud800", "\udfff", "\x00", "\x07", "\x1b[2J", "\x85"],
                         ids=["lone high surrogate", "lone low surrogate", "NUL", "bell", "escape", "NEL"])
def test_text_that_cannot_be_saved_opens_replaced_and_saves_again(tmp_path: Path, capsys, bad: str) -> None:
    path = tmp_path / "edited.sketch"
    path.write_bytes(bundle_with(everywhere(bad)))
    assert main(["info", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "title: t\ufffd" in printed and "1. one\ufffd" in printed
    sketch = load_sketch(path)
    assert sketch.title.startswith("t\ufffd") and sketch.tracks[0].name.startswith("one\ufffd")
    assert sketch.takes[0].name.startswith("Take\ufffd") and sketch.tracks[0].clips[0].name.startswith("\ufffd")
    params = sketch.takes[0].media.params
    assert params["prompt"].startswith("calm\ufffd") and any(key.startswith("key\ufffd") for key in params)
    save_sketch(sketch, tmp_path / "again.sketch")  # every save and autosave failed before
    again = load_sketch(tmp_path / "again.sketch")
    assert again.title == sketch.title and again.takes[0].name == sketch.takes[0].name


def test_tab_and_newline_stay_in_parameters_and_go_from_names(tmp_path: Path) -> None:
    def edit(document: dict) -> None:
        document["media"][0]["params"]["prompt"] = "two\tparts\nand lines"
        document["tracks"][0]["name"] = "one\ttab"
    path = tmp_path / "edited.sketch"
    path.write_bytes(bundle_with(edit))
    sketch = load_sketch(path)
    assert sketch.takes[0].media.params["prompt"] == "two\tparts\nand lines"
    assert sketch.tracks[0].name == "one\ufffdtab"  # a one-line field


def set_take(key: str, value: object):
    def edit(document: dict) -> None:
        document["takes"][0][key] = value
    return edit


def set_seed(value: object):
    def edit(document: dict) -> None:
        document["media"][0]["params"]["seed"] = value
    return edit


def with_tokens(tokens: np.ndarray) -> bytes:
    import io

    import numpy.lib.format  # noqa: F401 - np.save below

    buffer = io.BytesIO()
    write_bundle(take_sketch(), buffer)
    parts = members(buffer.getvalue())
    stored = io.BytesIO()
    np.save(stored, tokens, allow_pickle=False)
    parts["media/gen/tokens.npy"] = stored.getvalue()
    return rebuild(parts)


HOSTILE = [
    ("group 2^63", lambda: bundle_with(set_take("group", 2**63)), InvalidDocumentError,
     "takes[0].group: must be at most 9007199254740991"),
    ("group 2^53", lambda: bundle_with(set_take("group", 2**53)), InvalidDocumentError, "must be at most"),
    ("seed as text", lambda: bundle_with(set_seed("seven")), InvalidDocumentError,
     "media[0].params.seed: must be a whole number"),
    ("seed 2^64", lambda: bundle_with(set_seed(2**64)), InvalidDocumentError, "must be at most 9223372036854775807"),
    ("seed negative", lambda: bundle_with(set_seed(-1)), InvalidDocumentError, "must be at least 0"),
    ("seed a fraction", lambda: bundle_with(set_seed(1.5)), InvalidDocumentError, "must be a whole number"),
    ("8 MB take name", lambda: bundle_with(set_take("name", "n" * 8_000_000)), InvalidDocumentError,
     "takes[0].name: is 8,000,000 characters long; it may hold at most 200"),
    ("uint8 tokens", lambda: with_tokens(np.zeros((4, 1), np.uint8)), BadTokensError, "uint8 (4, 1)"),
    ("uint64 tokens", lambda: with_tokens(np.zeros((4, 1), np.uint64)), BadTokensError, "int16, int32, int64"),
    ("int8 tokens", lambda: with_tokens(np.zeros((4, 1), np.int8)), BadTokensError, "int8 (4, 1)"),
    ("1000 codebooks", lambda: with_tokens(np.zeros((1000, 1), np.int16)), BadTokensError, "codebooks (1 to 32)"),
    ("more token frames than samples", lambda: with_tokens(np.zeros((1, 700), np.int16)), BadTokensError,
     "700 frames of tokens for 640 samples"),
    ("negative tokens", lambda: with_tokens(np.full((4, 1), -5, np.int64)), BadTokensError, "negative"),
]


@pytest.mark.parametrize(("build", "error", "message"), [case[1:] for case in HOSTILE],
                         ids=[case[0] for case in HOSTILE])
def test_a_kept_take_the_window_could_not_use_is_refused_in_one_line(tmp_path: Path, capsys, build, error,
                                                                    message: str) -> None:
    path = tmp_path / "hostile.sketch"
    path.write_bytes(build())
    with pytest.raises(SketchFileError) as caught:
        load_sketch(path)
    assert type(caught.value) is error and message in str(caught.value), str(caught.value)
    assert main(["info", str(path)]) == 2
    printed = capsys.readouterr()
    assert printed.out == "" and printed.err.count("\n") == 1 and message in printed.err


def test_what_the_model_allows_saves_and_opens(tmp_path: Path) -> None:
    """The bounds hold in the model too, so nothing that saves is refused on opening."""
    sketch = take_sketch(tokens=np.zeros((4, 1), np.uint8))  # a narrower integer array kept as int64
    assert sketch.takes[0].media.tokens.dtype == np.int64
    with pytest.raises(ValueError, match="at most 200"):
        KeptTake(sketch.takes[0].media, name="n" * 201)
    with pytest.raises(ValueError, match="2\\^53"):
        KeptTake(sketch.takes[0].media, group=2**53)
    with pytest.raises(ValueError, match="at most 10,000"):
        Track(name="n" * 10_001)
    load_sketch(save_sketch(sketch, tmp_path / "fine.sketch"))
