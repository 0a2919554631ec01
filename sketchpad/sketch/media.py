"""The audio and tokens behind clips: heavy, shared, and never edited in place.

Several clips (a split, a duplicate, every step of the undo history) point at one `ClipMedia`, so
its arrays are stored read-only and are never copied. The only change a media object allows is
gaining or losing one decoder's audio (EnCodec now, MultiBand Diffusion later), which belongs to
the tokens and therefore to every clip cut from them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from sketchpad.core.decoders import DECODERS

Origin = Literal["generated", "imported", "recorded"]
ORIGINS: tuple[str, ...] = ("generated", "imported", "recorded")
SOURCE = "source"  # the one "decoder" of imported and recorded audio
GENERATED_DECODERS: tuple[str, ...] = DECODERS
MAX_CHANNELS = 2


def new_id() -> str:
    """A short random id for tracks, clips and media; unique enough within one sketch."""
    return uuid.uuid4().hex[:16]


def frozen_audio(audio: np.ndarray, what: str = "audio") -> np.ndarray:
    """A read-only float32 [channels, frames] view of `audio`, validated; copies only to convert."""
    array = np.asarray(audio)
    if array.ndim != 2 or not 1 <= array.shape[0] <= MAX_CHANNELS or array.shape[1] < 1:
        raise ValueError(f"{what} must be [channels (1 or 2), frames >= 1], got shape {array.shape}")
    if array.dtype != np.float32:
        array = array.astype(np.float32)
    if not np.isfinite(array).all():
        raise ValueError(f"{what} holds NaN or infinite samples")
    view = array.view()
    view.flags.writeable = False
    return view


# What the engine makes and the engine link carries (engine_link/arrays.py sends no other integers).
TOKEN_DTYPES = ("int16", "int32", "int64")
MAX_CODEBOOKS = 32  # MusicGen has 4 (mono) or 8 (stereo)


def token_problem(dtype: np.dtype, shape: tuple[int, ...]) -> str | None:
    """What is wrong with tokens of this dtype and shape, or None: they are [codebooks (1 to 32), frames]
    of int16, int32 or int64."""
    if len(shape) != 2 or dtype.name not in TOKEN_DTYPES or not 1 <= shape[0] <= MAX_CODEBOOKS:
        return (f"{dtype} {tuple(shape)}, where tokens are an integer [codebooks (1 to {MAX_CODEBOOKS}), frames] "
                f"array of {', '.join(TOKEN_DTYPES)}")
    return None


def frozen_tokens(tokens: np.ndarray) -> np.ndarray:
    """A read-only integer [codebooks, frames] view of `tokens`, validated (never negative)."""
    array = np.asarray(tokens)
    if (array.dtype.kind in "iu" and array.dtype.name not in TOKEN_DTYPES and array.ndim == 2
            and (not array.size or int(array.max()) <= np.iinfo(np.int64).max)):
        array = array.astype(np.int64)  # a narrower or unsigned array from a caller: the same numbers
    problem = token_problem(array.dtype, array.shape)
    if problem is not None:
        raise ValueError(f"tokens are {problem}")
    if array.size and int(array.min()) < 0:
        raise ValueError("tokens must not be negative")
    view = array.view()
    view.flags.writeable = False
    return view


def check_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Generation parameters must survive JSON unchanged, or saving would lose them."""
    try:
        text = json.dumps(dict(params), allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise ValueError(f"generation parameters must be plain JSON values: {error}") from None
    restored = json.loads(text)
    if restored != dict(params):
        raise ValueError("generation parameters must be plain JSON values (tuples, non-string keys?)")
    return restored


@dataclass(eq=False)
class ClipMedia:
    """Audio per decoder (+ tokens and provenance for generated clips), at one sample rate.

    Identity, not value, is equality: two media with equal samples are still two assets.
    """

    sample_rate: int
    audio: dict[str, np.ndarray]
    origin: Origin = "imported"
    tokens: np.ndarray | None = None
    model: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    source_file: str | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not isinstance(self.sample_rate, int) or not 8000 <= self.sample_rate <= 384000:
            raise ValueError(
                f"sample rate must be an integer between 8000 and 384000, got {self.sample_rate}"
            )
        if self.origin not in ORIGINS:
            raise ValueError(f"origin must be one of {ORIGINS}, got {self.origin!r}")
        if not self.audio:
            raise ValueError("media needs audio for at least one decoder")
        self.audio = {name: frozen_audio(a, f"{name} audio") for name, a in self.audio.items()}
        for name in self.audio:
            self.check_decoder_name(name)
        if len({a.shape[0] for a in self.audio.values()}) != 1:
            raise ValueError("every decoder's audio must have the same number of channels")
        if self.tokens is not None:
            self.tokens = frozen_tokens(self.tokens)
        self.params = check_params(self.params)

    def __repr__(self) -> str:
        shapes = ", ".join(f"{name} {a.shape[0]}x{a.shape[1]}" for name, a in self.audio.items())
        return f"ClipMedia(id={self.id!r}, {self.origin}, {shapes} @ {self.sample_rate} Hz)"

    def check_decoder_name(self, name: str) -> None:
        allowed = GENERATED_DECODERS if self.origin == "generated" else (SOURCE,)
        if name not in allowed:
            raise ValueError(f"{self.origin} media can hold audio for {allowed}, not {name!r}")

    @property
    def channels(self) -> int:
        return next(iter(self.audio.values())).shape[0]

    def frames(self, decoder: str) -> int:
        return self.audio[decoder].shape[1]

    @property
    def default_decoder(self) -> str:
        return next(iter(self.audio))

    def seconds(self, decoder: str) -> float:
        return self.frames(decoder) / self.sample_rate


