"""What the engine refuses, said in its own words: a checkpoint that would run code is refused without
torch's advice to load it unsafely (never suggested), by the engine and `sketchpad generate`; a decode
of tokens longer than the longest take (int16 tokens of 65,536 frames asked 22 minutes of audio and
2 GB) or holding codes the model does not have is refused before anything is decoded."""

from __future__ import annotations

import shutil
import time

import numpy as np
import pytest
import torch

from sketchpad.cli import main
from sketchpad.engine.engine import Engine
from sketchpad.engine.errors import InvalidRequestError, ModelLoadError
from sketchpad.engine.request import MAX_DURATION_S
from tests.engine.conftest import Payload


def ours(text: str) -> None:
    assert "weights_only" not in text and "likely succeed" not in text and "\x1b" not in text, text
    assert "\n" not in text and "could run code" in text, text


def test_a_checkpoint_that_would_run_code_is_refused_in_our_words(tiny_models, tmp_path, capsys):
    shutil.copytree(tiny_models.mono, tmp_path / "model")
    torch.save({"xp.cfg": "", "best_state": {}, "payload": Payload()}, tmp_path / "model" / "state_dict.bin")
    with pytest.raises(ModelLoadError, match="not a plain checkpoint") as caught:
        Engine("cpu").load(str(tmp_path / "model"))
    ours(str(caught.value))
    assert "Payload" in str(caught.value)
    code = main(["generate", "--model", str(tmp_path / "model"), "--prompt", "x", "--duration", "0.2",
                 "--out", str(tmp_path / "x.wav"), "--offline"])
    said = capsys.readouterr().err.strip().splitlines()[-1]
    assert code != 0 and "not a plain checkpoint" in said
    ours(said)


def test_a_tampered_melody_extractor_is_refused_in_our_words(tiny_models, tampered_htdemucs):
    with pytest.raises(ModelLoadError, match="htdemucs melody extractor") as caught:
        Engine("cpu", offline=True).load(str(tiny_models.melody))
    ours(str(caught.value))


def test_a_decode_longer_than_the_longest_take_is_refused_at_once(engine, tiny_models):
    model = str(tiny_models.mono)
    codebooks = engine.load(model).musicgen.compression_model.num_codebooks
    started = time.perf_counter()
    with pytest.raises(InvalidRequestError, match=f"a decode makes at most {MAX_DURATION_S:g} s") as caught:
        engine.decode(model, np.zeros((codebooks, 65_536), np.int16), "encodec")
    assert time.perf_counter() - started < 5 and "1,311 s of audio" in str(caught.value)
    with pytest.raises(InvalidRequestError, match="at most"):
        engine.decode(model, np.zeros((codebooks, 65_536), np.int16), "mbd")
    with pytest.raises(InvalidRequestError, match="codes run from 0 to"):
        engine.decode(model, np.full((codebooks, 10), 2**15 - 1, np.int16), "encodec")
    with pytest.raises(InvalidRequestError, match="codes run from 0 to"):
        engine.decode(model, np.full((codebooks, 10), -1, np.int16), "encodec")
    audio = engine.decode(model, np.zeros((codebooks, 10), np.int16), "encodec")  # short and valid: decoded
    assert audio.shape[0] == 1 and audio.shape[1] > 0
