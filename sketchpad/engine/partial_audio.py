"""Audio while the take is generated: the codes known so far, decoded in overlapping chunks.

EnCodec's decoder is convolutional around a two-layer LSTM, all at 50 frames per second: a sample
depends on a few frames ahead (the non-causal convolutions) and, fading fast, on the frames before
(the LSTM's memory and the convolutions behind). Each chunk is decoded with LEFT_FRAMES of context
before it and RIGHT_FRAMES after, and only its middle is kept, so the pieces join into what one
decode of the whole take gives, within -60 dBFS (tests/engine/test_partial_audio.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import torch

# (audio float32 [takes, channels, samples], the first sample's index in the take)
PartialAudio = Callable[[np.ndarray, int], None]

FIRST_CHUNK_S = 1.0  # the first piece: heard after this much audio's tokens plus RIGHT_FRAMES
CHUNK_S = 1.5  # later pieces: longer, so the context decoded twice costs less
LEFT_FRAMES = 16  # 0.32 s: the LSTM and the convolutions behind have forgotten what lies further back
RIGHT_FRAMES = 6  # 0.12 s: the non-causal convolutions' reach ahead, with room to spare


class ChunkedDecoder:
    """Takes the codes as they become known (absolute frames) and hands out audio in order, once."""

    def __init__(self, codec: torch.nn.Module, total_frames: int, sink: PartialAudio, *,
                 first_s: float = FIRST_CHUNK_S, chunk_s: float = CHUNK_S,
                 left: int = LEFT_FRAMES, right: int = RIGHT_FRAMES) -> None:
        self.codec = codec
        self.total = total_frames
        self.sink = sink
        frame_rate = float(codec.frame_rate)
        self.hop = int(round(codec.sample_rate / frame_rate))
        self.first = max(1, int(round(first_s * frame_rate)))
        self.chunk = max(1, int(round(chunk_s * frame_rate)))
        self.left, self.right = left, right
        self.codes: torch.Tensor | None = None  # [B, K, total], -1 where not known yet
        self.known = 0  # frames known from the start of the take
        self.emitted = 0  # frames whose audio has been handed out
        self.decode_seconds = 0.0  # time spent decoding pieces (the bench reports it)

    def update(self, codes: torch.Tensor, frames: int, offset: int = 0) -> None:
        """The first `frames` of `codes` [B, K, T] are known, and begin at frame `offset` of the take."""
        end = min(offset + frames, self.total)
        if end <= offset:
            return
        if self.codes is None:
            self.codes = torch.full((codes.shape[0], codes.shape[1], self.total), -1, dtype=torch.long,
                                    device=codes.device)
        self.codes[..., offset:end] = codes[..., :end - offset]
        self.known = max(self.known, end)
        while self.emitted < self.total:
            wanted = self.first if self.emitted == 0 else self.chunk
            if self.known - self.right < self.emitted + wanted and self.known < self.total:
                return
            self._emit(min(self.emitted + wanted, self.total if self.known >= self.total else self.known - self.right))

    def finish(self) -> None:
        """After the last window: whatever is left, to the end of the take."""
        if self.codes is not None and self.emitted < self.known:
            self._emit(self.known)

    def _emit(self, until: int) -> None:
        assert self.codes is not None
        if until <= self.emitted:
            return
        start = max(0, self.emitted - self.left)
        stop = min(self.known, until + self.right)
        began = time.perf_counter()
        with torch.no_grad():
            audio = self.codec.decode(self.codes[..., start:stop], None)
        self.decode_seconds += time.perf_counter() - began
        first = (self.emitted - start) * self.hop
        piece = audio[..., first:first + (until - self.emitted) * self.hop]
        self.sink(np.ascontiguousarray(piece.detach().float().cpu().numpy()), self.emitted * self.hop)
        self.emitted = until
