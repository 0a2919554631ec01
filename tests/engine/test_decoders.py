"""Switching decoders on stored tokens: EnCodec and MultiBand Diffusion, mono and stereo."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from sketchpad.engine.engine import Engine
from sketchpad.engine.errors import DecoderUnavailableError, GenerationCancelledError, InvalidRequestError
from sketchpad.engine.request import GenerationRequest


@pytest.fixture(scope="module")
def takes(engine, tiny_models):
    mono = engine.generate(GenerationRequest(str(tiny_models.mono), ("bells",), duration=0.8, seed=21))[0]
    stereo = engine.generate(GenerationRequest(str(tiny_models.stereo), ("bells",), duration=0.8, seed=22))[0]
    return {"mono": mono, "stereo": stereo}


class LmCalls:
    """Counts forward passes of a model's language model, to prove decoding never generates."""

    def __init__(self, engine: Engine, model: str) -> None:
        self.count = 0
        self.hook = engine.load(model).musicgen.lm.register_forward_hook(self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1


@pytest.mark.parametrize("kind", ["mono", "stereo"])
def test_encodec_redecodes_the_stored_tokens_to_the_same_audio(engine, tiny_models, takes, kind):
    take = takes[kind]
    model = str(getattr(tiny_models, kind))
    calls = LmCalls(engine, model)
    audio = engine.decode(model, take.tokens, "encodec")
    calls.hook.remove()
    assert calls.count == 0
    assert audio.shape == take.audio.shape
    np.testing.assert_allclose(audio, take.audio, atol=1e-5)


@pytest.mark.parametrize("kind", ["mono", "stereo"])
def test_mbd_decodes_the_same_tokens_into_other_audio_without_generating(engine, tiny_models, takes, kind):
    take = takes[kind]
    model = str(getattr(tiny_models, kind))
    calls = LmCalls(engine, model)
    seen: list[tuple[int, int]] = []
    audio = engine.decode(model, take.tokens, "mbd", mbd=str(tiny_models.mbd), seed=3,
                          progress=lambda done, total: seen.append((done, total)))
    calls.hook.remove()
    assert calls.count == 0
    assert audio.shape == take.audio.shape and audio.dtype == np.float32 and np.isfinite(audio).all()
    assert not np.allclose(audio, take.audio, atol=1e-3)
    assert seen[-1] == (40, 40)  # 20 diffusion steps for each of the tiny decoder's 2 bands
    again = engine.decode(model, take.tokens, "mbd", mbd=str(tiny_models.mbd), seed=3)
    np.testing.assert_array_equal(audio, again)


def test_stereo_mbd_decodes_left_and_right_codes_apart_and_joins_them(engine, tiny_models, takes):
    from audiocraft.models import MultiBandDiffusion

    model = engine.load(str(tiny_models.stereo))
    take = takes["stereo"]
    joined = engine.decode(str(tiny_models.stereo), take.tokens, "mbd", mbd=str(tiny_models.mbd), seed=5)
    # The same decode done by hand as audiocraft's demo does it: left and right as a batch of two.
    codes = torch.from_numpy(take.tokens.astype(np.int64))[None]
    left, right = model.musicgen.compression_model.get_left_right_codes(codes)
    bands = engine._diffusion(str(tiny_models.mbd))
    torch.manual_seed(5)
    with torch.no_grad():
        expected = MultiBandDiffusion(bands.processes, model.musicgen.compression_model.model).tokens_to_wav(
            torch.cat([left, right]))
    np.testing.assert_allclose(joined[0], expected[0, 0].numpy(), atol=1e-6)
    np.testing.assert_allclose(joined[1], expected[1, 0].numpy(), atol=1e-6)


def test_the_mbd_checkpoint_is_read_safely_and_only_once(engine, tiny_models, takes, torch_load_calls):
    fresh = Engine("cpu", offline=True)
    fresh.models = engine.models  # the generation model is already loaded; count only the decoder's reads
    for _ in range(2):
        fresh.decode(str(tiny_models.mono), takes["mono"].tokens, "mbd", mbd=str(tiny_models.mbd))
    assert torch_load_calls == [True]


def test_mbd_can_be_cancelled(engine, tiny_models, takes):
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 3:
            cancel.set()

    with pytest.raises(GenerationCancelledError):
        engine.decode(str(tiny_models.mono), takes["mono"].tokens, "mbd", mbd=str(tiny_models.mbd),
                      progress=progress, cancel=cancel)


def test_missing_mbd_weights_say_why(engine, tiny_models, takes, tmp_path):
    with pytest.raises(DecoderUnavailableError, match="MultiBand Diffusion is not available: .*mbd_musicgen_32khz.th"):
        engine.decode(str(tiny_models.mono), takes["mono"].tokens, "mbd", mbd=str(tmp_path))
    with pytest.raises(DecoderUnavailableError, match="not on this computer and offline mode is on"):
        engine.decode(str(tiny_models.mono), takes["mono"].tokens, "mbd")


def test_tokens_from_another_model_are_refused(engine, tiny_models, takes):
    with pytest.raises(InvalidRequestError, match="8 codebooks.* uses 4"):
        engine.decode(str(tiny_models.mono), takes["stereo"].tokens, "encodec")


def test_an_unknown_decoder_is_refused(engine, tiny_models, takes):
    with pytest.raises(InvalidRequestError, match="Unknown decoder"):
        engine.decode(str(tiny_models.mono), takes["mono"].tokens, "vocoder")
