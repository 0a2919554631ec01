"""Audio while generating: pieces in order, end to end, equal to the whole take's decode within -60 dBFS."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sketchpad.engine import partial_audio
from sketchpad.engine.partial_audio import ChunkedDecoder
from sketchpad.engine.request import GenerationRequest
from tests import tiny_models as build

MINUS_60_DBFS = 10 ** (-60 / 20)


@pytest.fixture(scope="module")
def lstm_model(tiny_models, tmp_path_factory):
    """A tiny model whose codec has the released EnCodec's two LSTM layers (the part with memory)."""
    return build.build_model_folder(tmp_path_factory.mktemp("lstm") / "model", seed=8,
                                    codec={"lstm": 2, "dimension": 32, "n_filters": 4})


class Pieces:
    def __init__(self) -> None:
        self.pieces: list[tuple[np.ndarray, int]] = []

    def __call__(self, audio: np.ndarray, start: int) -> None:
        self.pieces.append((audio.copy(), start))

    def joined(self) -> np.ndarray:
        starts = [start for _, start in self.pieces]
        ends = [start + audio.shape[-1] for audio, start in self.pieces]
        assert starts[0] == 0 and starts[1:] == ends[:-1], "pieces touch end to end, in order"
        return np.concatenate([audio for audio, _ in self.pieces], axis=-1)


def assert_matches_whole(pieces: Pieces, takes) -> None:
    joined = pieces.joined()
    whole = np.stack([take.audio for take in takes])
    assert joined.shape == whole.shape
    assert np.abs(whole).max() > 0.05, "the comparison needs audio well above the tolerance"
    assert np.abs(joined - whole).max() <= MINUS_60_DBFS


@pytest.mark.parametrize("precision", ["fast", "exact"])
def test_pieces_join_into_the_whole_take_within_minus_60_dbfs(engine, lstm_model, precision):
    engine.precision = precision
    try:
        pieces = Pieces()
        takes = engine.generate(GenerationRequest(str(lstm_model), ("lofi", "jazz"), duration=4.0, seed=2),
                                partial=pieces)
    finally:
        engine.precision = "fast"
    assert len(pieces.pieces) >= 3, "the take arrives in several pieces"
    assert pieces.pieces[0][0].shape[:2] == (2, 1), "one row per take"
    assert_matches_whole(pieces, takes)


def test_pieces_cover_a_take_longer_than_the_window_and_a_stereo_take(engine, tiny_models):
    pieces = Pieces()
    takes = engine.generate(GenerationRequest(str(tiny_models.short_window), ("drone",), duration=6.0, seed=4),
                            partial=pieces)
    assert_matches_whole(pieces, takes)
    stereo = Pieces()
    takes = engine.generate(GenerationRequest(str(tiny_models.stereo), ("wide",), duration=2.0, seed=4),
                            partial=stereo)
    assert stereo.pieces[0][0].shape[1] == 2
    assert_matches_whole(stereo, takes)


def test_the_first_piece_comes_after_its_frames_and_right_context_and_no_sooner(engine, lstm_model):
    codec = engine.load(str(lstm_model)).musicgen.compression_model
    heard = Pieces()
    decoder = ChunkedDecoder(codec, total_frames=200, sink=heard)
    codes = torch.randint(0, 32, (1, 4, 200))
    needed = decoder.first + partial_audio.RIGHT_FRAMES
    for frames in range(1, needed):
        decoder.update(codes, frames)
    assert heard.pieces == []
    decoder.update(codes, needed)
    assert len(heard.pieces) == 1 and heard.pieces[0][0].shape[-1] == decoder.first * decoder.hop
    decoder.update(codes, 200)
    decoder.finish()
    with torch.no_grad():
        whole = codec.decode(codes, None).numpy()
    assert np.abs(heard.joined() - whole).max() <= MINUS_60_DBFS * max(1.0, float(np.abs(whole).max()))


def test_without_a_listener_nothing_is_decoded_twice(engine, tiny_models, monkeypatch):
    decodes: list[int] = []
    real = ChunkedDecoder._emit
    monkeypatch.setattr(ChunkedDecoder, "_emit", lambda self, until: (decodes.append(until), real(self, until)))
    engine.generate(GenerationRequest(str(tiny_models.mono), ("x",), duration=2.0, seed=1))
    assert decodes == []
