"""Audio while generating, and the precision option, through a real engine process."""

from __future__ import annotations

import numpy as np

from sketchpad.engine.request import GenerationRequest
from sketchpad.engine_link import messages
from sketchpad.engine_link.client import EngineOptions
from tests.engine_link.conftest import READY_TIMEOUT_S, Link


def test_partial_messages_arrive_before_the_result_and_join_into_its_audio(link, tiny_models):
    job = link.generate(str(tiny_models.mono), duration=3.0, seed=5, prompts=("a", "b"), partial=True)
    result = link.wait("result", job)
    partials = [message for message in link.seen if message["type"] == "partial" and message["id"] == job]
    assert len(partials) >= 2
    takes = [messages.result_from_message(take) for take in result["value"]["takes"]]
    starts = [message["start"] for message in partials]
    ends = [message["start"] + message["audio"].shape[-1] for message in partials]
    assert starts[0] == 0 and starts[1:] == ends[:-1] and ends[-1] == takes[0].audio.shape[-1]
    joined = np.concatenate([message["audio"] for message in partials], axis=-1)
    assert joined.dtype == np.float32 and joined.shape == (2, 1, takes[0].audio.shape[-1])
    np.testing.assert_allclose(joined, np.stack([take.audio for take in takes]), atol=1e-3)  # -60 dBFS
    link.seen = [message for message in link.seen if message.get("id") != job]


def test_without_asking_no_partial_messages_are_sent(link, tiny_models):
    job = link.generate(str(tiny_models.mono), duration=2.0)
    link.wait("result", job)
    assert not any(message["type"] == "partial" and message.get("id") == job for message in link.seen)


def test_the_precision_option_reaches_the_engine_process(engine, tiny_models):
    exact = Link(EngineOptions(device="cpu", offline=True, precision="exact"))
    exact.process.start()
    try:
        assert exact.wait("ready", timeout=READY_TIMEOUT_S)["precision"] == "exact"
        job = exact.generate(str(tiny_models.mono), duration=1.0, seed=3)
        take = messages.result_from_message(exact.wait("result", job)["value"]["takes"][0])
    finally:
        exact.stop()
    assert take.params["precision"] == "exact" and take.params["lm_weights"] == "as-loaded"
    fast = engine.generate(GenerationRequest(str(tiny_models.mono), ("lofi piano",), duration=1.0, seed=3))[0]
    assert fast.params["precision"] == "fast"
    assert not np.array_equal(fast.tokens, take.tokens)
