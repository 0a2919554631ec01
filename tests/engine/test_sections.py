"""Prompts that change over a take: each extension window conditioned on its section's text, the rest
of the take exactly as without sections (same seed), and where each change really falls kept."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.engine.errors import InvalidRequestError
from sketchpad.engine.request import GenerationRequest


def _take(engine, model, **fields):
    return engine.generate(GenerationRequest(str(model), ("calm piano",), duration=9.0, seed=3, top_k=20,
                                             **fields))[0]


def test_each_window_takes_its_sections_prompt_from_the_first_boundary_on(engine, tiny_models):
    plain = _take(engine, tiny_models.short_window)
    sectioned = _take(engine, tiny_models.short_window, sections=((5.0, "loud rock drums"),))
    # a 4 s window moving 2.4 s: new audio begins at 0, 4.0, 6.4 and 8.8 s; the section at 5 s takes
    # effect from the window whose new audio begins at 6.4 s
    starts = sectioned.params["section_starts"]
    assert [round(start, 2) for start, _text in starts][:4] == [0.0, 4.0, 6.4, 8.8]  # (and a last sliver)
    assert [text for _start, text in starts][:3] == ["calm piano", "calm piano", "loud rock drums"]
    assert {text for _start, text in starts[2:]} == {"loud rock drums"}
    frame = int(6.4 * 50)
    np.testing.assert_array_equal(sectioned.tokens[:, :frame], plain.tokens[:, :frame])
    assert not np.array_equal(sectioned.tokens[:, frame:], plain.tokens[:, frame:])
    assert sectioned.params["sections"] == [[5.0, "loud rock drums"]]


def test_a_section_at_the_start_replaces_the_first_prompt(engine, tiny_models):
    first = _take(engine, tiny_models.short_window, sections=((0.0, "loud rock drums"),))
    whole = engine.generate(GenerationRequest(str(tiny_models.short_window), ("loud rock drums",), duration=9.0,
                                              seed=3, top_k=20))[0]
    np.testing.assert_array_equal(first.tokens, whole.tokens)


@pytest.mark.parametrize(("sections", "words"), [
    (((3.0, "b"), (2.0, "a")), "each later"), (((12.0, "late"),), "within the take"),
    (((1.0, " "),), "needs some text"),
])
def test_bad_sections_are_refused_in_one_sentence(engine, tiny_models, sections, words):
    with pytest.raises(InvalidRequestError, match=words):
        _take(engine, tiny_models.short_window, sections=sections)


def test_a_take_within_one_window_cannot_change_its_prompt(engine, tiny_models):
    with pytest.raises(InvalidRequestError, match="only between the windows"):
        engine.generate(GenerationRequest(str(tiny_models.short_window), ("calm",), duration=3.0,
                                          sections=((1.0, "loud"),)))
