"""EnCodec decoding made faster: folded weight norm is bit-identical to audiocraft's decode, and the
fast precision's bfloat16 LSTM stays within -60 dBFS of it (the released geometry and a take)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sketchpad.engine import fast_codec
from sketchpad.engine.checkpoints import load_package
from sketchpad.engine.engine import Engine
from sketchpad.engine.models import LoadedModel
from sketchpad.engine.request import GenerationRequest
from tests import tiny_models as build

MINUS_60_DBFS = 10 ** (-60 / 20)
RELEASED_CODEC = {"dimension": 128, "n_filters": 64, "lstm": 2, "bins": 2048}  # bench/_fullsize.py's
needs_bf16 = pytest.mark.skipif(not fast_codec.bf16_native(), reason="this CPU has no native bfloat16")


def audiocraft_codec(cfg: dict, state: dict | None = None, seed: int = 0) -> torch.nn.Module:
    """The codec as audiocraft builds it: weight norm recomputed on every call."""
    from audiocraft.models import builders
    from omegaconf import OmegaConf

    torch.manual_seed(seed)
    codec = builders.get_compression_model(OmegaConf.create(cfg))
    if state is not None:
        codec.load_state_dict(state)
    return codec.eval()


def decode(codec: torch.nn.Module, codes: torch.Tensor) -> np.ndarray:
    with torch.inference_mode():
        return codec.decode(codes, None).numpy()


def within_minus_60_dbfs(audio: np.ndarray, reference: np.ndarray) -> bool:
    # Full scale is 1; a random codec's output can be louder, and then its peak is the scale.
    return float(np.abs(audio - reference).max()) <= MINUS_60_DBFS * max(1.0, float(np.abs(reference).max()))


@pytest.fixture(scope="module")
def released():
    """The released 32 kHz EnCodec's geometry with random weights: audiocraft's copy and the engine's."""
    cfg = build._compression_cfg(**RELEASED_CODEC)
    reference = audiocraft_codec(cfg)
    ours = audiocraft_codec(cfg, reference.state_dict())
    assert fast_codec.fold_weight_norm(ours) == fast_codec.fold_weight_norm(audiocraft_codec(cfg)) > 20
    assert fast_codec.pad_inside_convolutions(ours) > 10
    codes = torch.randint(0, 2048, (1, 4, 100), generator=torch.Generator().manual_seed(3))
    return reference, ours, codes


def test_folded_weight_norm_and_inner_padding_decode_bit_for_bit_as_audiocraft(released):
    reference, ours, codes = released
    assert not any(name.endswith("weight_g") for name, _ in ours.named_parameters())
    np.testing.assert_array_equal(decode(ours, codes), decode(reference, codes))


@needs_bf16
def test_the_bf16_lstm_stays_within_minus_60_dbfs_and_only_while_asked(released):
    reference, ours, codes = released
    loaded = LoadedModel(key="released", device="cpu", musicgen=type("MusicGen", (), {"compression_model": ours})())
    expected = decode(reference, codes)
    with fast_codec.fast_decoding(loaded, "fast"):
        fast = decode(ours, codes)
    assert within_minus_60_dbfs(fast, expected)
    assert not np.array_equal(fast, expected)  # the bfloat16 copy really ran
    with fast_codec.fast_decoding(loaded, "exact"):
        np.testing.assert_array_equal(decode(ours, codes), expected)
    np.testing.assert_array_equal(decode(ours, codes), expected)  # and the float32 LSTM is back


@pytest.mark.parametrize("precision", ["fast", "exact"])
def test_a_takes_audio_matches_audiocraft_decoding_its_tokens(tiny_models, tmp_path_factory, precision):
    folder = build.build_model_folder(tmp_path_factory.mktemp("lstm") / "model", seed=8,
                                      codec={"lstm": 2, "dimension": 32, "n_filters": 4})
    engine = Engine("cpu", offline=True, precision=precision)
    take = engine.generate(GenerationRequest(model=str(folder), prompts=("lofi piano",), duration=2.0, seed=5))[0]
    package = load_package(folder / "compression_state_dict.bin")
    from omegaconf import OmegaConf

    reference = audiocraft_codec(OmegaConf.to_container(OmegaConf.create(package["xp.cfg"])), package["best_state"])
    expected = decode(reference, torch.from_numpy(take.tokens.astype(np.int64))[None])[0]
    assert within_minus_60_dbfs(take.audio, expected)
    if precision == "exact":  # float32 throughout: only the thread count moves the last bits
        np.testing.assert_allclose(take.audio, expected, atol=1e-5)
    np.testing.assert_array_equal(engine.decode(str(folder), take.tokens, "encodec"), take.audio)
