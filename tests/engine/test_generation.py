"""Generating with tiny real models: shapes, parameters, seeds, melody, continuation, cancel."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from sketchpad.engine.errors import (
    EngineOutOfMemoryError,
    GenerationCancelledError,
    InvalidRequestError,
    MelodyNotSupportedError,
)
from sketchpad.engine.request import AudioInput, GenerationRequest


def hum(seconds: float = 2.0, rate: int = 32000, pitch: float = 220.0) -> AudioInput:
    t = np.arange(int(seconds * rate)) / rate
    return AudioInput((0.4 * np.sin(2 * np.pi * pitch * t)).astype(np.float32)[None], rate)


def test_mono_takes_have_audio_tokens_and_every_parameter(engine, tiny_models):
    request = GenerationRequest(str(tiny_models.mono), ("earthy tones, ukulele", "gentle grooves"), duration=1.0,
                                top_k=20, top_p=0.5, temperature=0.9, cfg_coef=2.5, seed=11)
    takes = engine.generate(request)
    assert len(takes) == 2
    for index, take in enumerate(takes):
        assert take.audio.dtype == np.float32 and take.audio.shape == (1, 32000)
        assert np.isfinite(take.audio).all() and np.abs(take.audio).max() > 0
        assert take.tokens.shape == (4, 50) and np.issubdtype(take.tokens.dtype, np.integer)
        assert take.sample_rate == 32000
        assert take.params["prompt"] == request.prompts[index] and take.params["batch_index"] == index
        assert {key: take.params[key] for key in ("duration", "top_k", "top_p", "temperature", "cfg_coef", "seed")} \
            == {"duration": 1.0, "top_k": 20, "top_p": 0.5, "temperature": 0.9, "cfg_coef": 2.5, "seed": 11}
        assert take.params["model"] == str(tiny_models.mono.resolve()) and take.params["device"] == "cpu"
    assert not np.array_equal(takes[0].tokens, takes[1].tokens)


def test_stereo_takes_have_two_channels_and_interleaved_codebooks(engine, tiny_models):
    take = engine.generate(GenerationRequest(str(tiny_models.stereo), ("wide pads",), duration=0.5, seed=2))[0]
    assert take.audio.shape == (2, 16000) and take.tokens.shape == (8, 25)
    assert not np.allclose(take.audio[0], take.audio[1])


def test_the_same_seed_gives_the_same_take_and_another_seed_does_not(engine, tiny_models):
    def make(seed: int):
        return engine.generate(GenerationRequest(str(tiny_models.mono), ("jazz",), duration=0.6, seed=seed))[0]

    first, again, other = make(7), make(7), make(8)
    assert np.array_equal(first.tokens, again.tokens) and np.array_equal(first.audio, again.audio)
    assert not np.array_equal(first.tokens, other.tokens)


def test_without_a_seed_one_is_chosen_and_recorded_so_the_take_can_be_made_again(engine, tiny_models):
    take = engine.generate(GenerationRequest(str(tiny_models.mono), ("rock",), duration=0.4))[0]
    again = engine.generate(GenerationRequest(str(tiny_models.mono), ("rock",), duration=0.4,
                                              seed=take.params["seed"]))[0]
    assert np.array_equal(take.tokens, again.tokens)


def test_progress_counts_frames_up_to_the_total(engine, tiny_models):
    seen: list[tuple[int, int]] = []
    engine.generate(GenerationRequest(str(tiny_models.mono), ("lofi",), duration=1.0, seed=1),
                    progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (50, 50)
    dones = [done for done, _ in seen]
    assert dones == sorted(dones) and len(seen) >= 50


def test_longer_than_the_window_extends_and_reports_progress_over_the_whole(engine, tiny_models):
    seen: list[tuple[int, int]] = []
    take = engine.generate(GenerationRequest(str(tiny_models.short_window), ("drone",), duration=6.0, seed=3),
                           progress=lambda done, total: seen.append((done, total)))[0]
    assert engine.load(str(tiny_models.short_window)).max_duration == 4.0
    assert take.audio.shape == (1, 6 * 32000) and take.tokens.shape == (4, 300)
    assert seen[-1] == (300, 300)
    assert take.params["extend_stride"] == pytest.approx(2.4)


def test_continuation_keeps_the_start_and_reaches_the_duration(engine, tiny_models):
    start = engine.generate(GenerationRequest(str(tiny_models.mono), ("piano",), duration=0.6, seed=4))[0]
    request = GenerationRequest(str(tiny_models.mono), ("piano",), duration=1.2, seed=5,
                                continuation=AudioInput(start.audio, start.sample_rate))
    take = engine.generate(request)[0]
    assert take.audio.shape == (1, int(1.2 * 32000)) and take.tokens.shape == (4, 60)
    # The start is encoded by the model's codec, and those codes lead the new take unchanged.
    codec = engine.load(str(tiny_models.mono)).musicgen.compression_model
    with torch.no_grad():
        start_codes, _ = codec.encode(torch.from_numpy(start.audio)[None])
    assert np.array_equal(take.tokens[:, :30], start_codes[0].numpy())
    assert take.params["continuation"]["frames"] == start.audio.shape[1]


def test_a_melody_conditions_a_melody_model(engine, tiny_models):
    request = GenerationRequest(str(tiny_models.melody), ("whistled tune",), duration=0.6, seed=6, melody=hum())
    take = engine.generate(request)[0]
    other = engine.generate(GenerationRequest(str(tiny_models.melody), ("whistled tune",), duration=0.6, seed=6,
                                              melody=hum(pitch=330.0)))[0]
    assert take.audio.shape == (1, int(0.6 * 32000))
    assert take.params["melody"]["sample_rate"] == 32000 and len(take.params["melody"]["sha256"]) == 64
    assert not np.array_equal(take.tokens, other.tokens), "the melody must change what is generated"


def test_a_melody_on_a_model_without_melody_is_refused_clearly(engine, tiny_models):
    with pytest.raises(MelodyNotSupportedError, match="does not take a melody"):
        engine.generate(GenerationRequest(str(tiny_models.mono), ("tune",), duration=0.5, melody=hum()))


@pytest.mark.parametrize("duration", [0.0, -1.0, float("nan")])
def test_zero_or_negative_durations_are_refused(engine, tiny_models, duration):
    with pytest.raises(InvalidRequestError, match="duration must be more than 0"):
        engine.generate(GenerationRequest(str(tiny_models.mono), ("x",), duration=duration))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("prompts", (), "At least one prompt"),
    ("temperature", 0.0, "temperature"),
    ("top_p", 1.5, "top-p"),
    ("top_k", -1, "top-k"),
    ("seed", -3, "seed"),
    ("melody", AudioInput(np.zeros((1, 0), np.float32), 32000), "melody is empty"),
    ("continuation", AudioInput(np.full((1, 10), np.nan, np.float32), 32000), "NaN"),
])
def test_bad_requests_say_what_is_wrong(engine, tiny_models, field, value, message):
    fields = {"model": str(tiny_models.melody), "prompts": ("x",), "duration": 1.0, field: value}
    with pytest.raises(InvalidRequestError, match=message):
        engine.generate(GenerationRequest(**fields))


def test_continuation_longer_than_the_duration_is_refused(engine, tiny_models):
    with pytest.raises(InvalidRequestError, match="must be shorter than the duration"):
        engine.generate(GenerationRequest(str(tiny_models.mono), ("x",), duration=1.0,
                                          continuation=hum(seconds=1.5)))


def test_cancel_stops_within_one_step_and_the_engine_stays_usable(engine, tiny_models):
    cancel = threading.Event()
    steps: list[int] = []

    def progress(done: int, total: int) -> None:
        steps.append(done)
        if done == 10:
            cancel.set()

    with pytest.raises(GenerationCancelledError):
        engine.generate(GenerationRequest(str(tiny_models.mono), ("x",), duration=2.0, seed=1),
                        progress=progress, cancel=cancel)
    assert steps[-1] == 10, "no step may run after the cancel was seen"
    take = engine.generate(GenerationRequest(str(tiny_models.mono), ("x",), duration=0.4, seed=1))[0]
    assert take.audio.shape == (1, 12800)


def test_cancel_from_another_thread(engine, tiny_models):
    cancel = threading.Event()
    started = threading.Event()
    outcome: list[BaseException] = []

    def work() -> None:
        try:
            engine.generate(GenerationRequest(str(tiny_models.mono), ("x",), duration=20.0, seed=1),
                            progress=lambda done, total: started.set(), cancel=cancel)
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    assert started.wait(60)
    cancel.set()
    worker.join(30)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], GenerationCancelledError)


def test_running_out_of_memory_becomes_a_message_and_the_engine_recovers(engine, tiny_models):
    def exhausted(done: int, total: int) -> None:
        if done == 5:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    with pytest.raises(EngineOutOfMemoryError, match="ran out of memory .* smaller model, a shorter duration"):
        engine.generate(GenerationRequest(str(tiny_models.mono), ("x",), duration=1.0, seed=1), progress=exhausted)
    take = engine.generate(GenerationRequest(str(tiny_models.mono), ("x",), duration=0.4, seed=1))[0]
    assert take.audio.shape == (1, 12800)


def test_a_request_is_checked_once_when_it_is_made(engine, tiny_models, monkeypatch):
    """A request that exists is valid: made, it is checked; generating it does not check it again."""
    checks = []
    checked = GenerationRequest._validate
    monkeypatch.setattr(GenerationRequest, "_validate", lambda self: (checks.append(self), checked(self)))
    request = GenerationRequest(str(tiny_models.mono), ("x",), duration=0.2, seed=1)
    assert checks == [request]
    engine.generate(request)
    assert checks == [request]
    with pytest.raises(InvalidRequestError, match="duration must be more than 0"):
        GenerationRequest(str(tiny_models.mono), ("x",), duration=0.0)  # cannot even be made
