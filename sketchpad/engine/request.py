"""Plain requests in, plain results out: numpy arrays and dataclasses, no torch."""

from __future__ import annotations

import dataclasses
import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sketchpad.engine.errors import InvalidRequestError

MAX_DURATION_S = 600.0
MAX_SECTIONS = 32


@dataclass(frozen=True)
class AudioInput:
    """Audio handed to the engine (a melody or the start of a continuation): float32 [channels, samples]."""

    samples: np.ndarray
    sample_rate: int

    def validate(self, what: str) -> None:
        if self.samples.ndim != 2 or self.samples.shape[0] not in (1, 2):
            raise InvalidRequestError(f"The {what} must be mono or stereo audio shaped [channels, samples].")
        if self.samples.shape[1] == 0:
            raise InvalidRequestError(f"The {what} is empty.")
        if self.sample_rate <= 0:
            raise InvalidRequestError(f"The {what} has an invalid sample rate ({self.sample_rate}).")
        if not np.isfinite(self.samples).all():
            raise InvalidRequestError(f"The {what} contains invalid samples (NaN or infinity).")

    @property
    def seconds(self) -> float:
        return self.samples.shape[1] / self.sample_rate

    def describe(self) -> dict[str, Any]:
        digest = hashlib.sha256(np.ascontiguousarray(self.samples, dtype=np.float32).tobytes()).hexdigest()
        return {"sample_rate": self.sample_rate, "channels": int(self.samples.shape[0]),
                "frames": int(self.samples.shape[1]), "sha256": digest}


@dataclass(frozen=True)
class GenerationRequest:
    """Everything that decides a generation; the same request and seed give the same audio on one device.

    Checked once, when it is made (InvalidRequestError): a request that exists is a valid one, wherever
    it was made (the idea panel, the command line, the engine decoding a message), and nothing later checks
    it again."""

    model: str
    prompts: tuple[str, ...]
    duration: float = 10.0
    top_k: int = 250
    top_p: float = 0.0
    temperature: float = 1.0
    cfg_coef: float = 3.0
    seed: int | None = None
    melody: AudioInput | None = None
    continuation: AudioInput | None = None
    loop: bool = False  # exactly `duration` long and seamless when repeated (engine/loops.py)
    sections: tuple[tuple[float, str], ...] = ()  # (seconds, prompt from there on): engine/sections.py

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:
        if not self.prompts:
            raise InvalidRequestError("At least one prompt is needed.")
        if not all(isinstance(prompt, str) for prompt in self.prompts):
            raise InvalidRequestError("Prompts must be text.")
        if not math.isfinite(self.duration) or self.duration <= 0:
            raise InvalidRequestError(f"The duration must be more than 0 seconds (got {self.duration:g}).")
        if self.duration > MAX_DURATION_S:
            raise InvalidRequestError(f"The duration is limited to {MAX_DURATION_S:g} seconds.")
        if self.top_k < 0:
            raise InvalidRequestError("top-k must be 0 (off) or a positive number.")
        if not 0.0 <= self.top_p <= 1.0:
            raise InvalidRequestError("top-p must be between 0 and 1.")
        if not math.isfinite(self.temperature) or self.temperature <= 0:
            raise InvalidRequestError("The temperature must be more than 0.")
        if not math.isfinite(self.cfg_coef) or self.cfg_coef < 0:
            raise InvalidRequestError("The guidance coefficient must be 0 or more.")
        if self.seed is not None and not 0 <= self.seed < 2**63:
            raise InvalidRequestError("The seed must be a whole number from 0 to 2^63 - 1.")
        if len(self.sections) > MAX_SECTIONS:
            raise InvalidRequestError(f"A take may change its prompt at most {MAX_SECTIONS} times.")
        times = [start for start, _text in self.sections]
        if any(not isinstance(text, str) or not text.strip() for _start, text in self.sections):
            raise InvalidRequestError("Every prompt section needs some text.")
        if any(not math.isfinite(t) or not 0 <= t < self.duration for t in times) or times != sorted(set(times)):
            raise InvalidRequestError("Prompt sections must start within the take, each later than the one before.")
        if self.loop and self.continuation is not None:
            raise InvalidRequestError("A loop cannot continue other audio: its end must lead back to its own start.")
        if self.loop and self.duration < 1.0:
            raise InvalidRequestError("A loop must last at least a second.")
        if self.melody is not None and self.continuation is not None:
            raise InvalidRequestError("Use either a melody or a continuation, not both.")
        if self.melody is not None:
            self.melody.validate("melody")
        if self.continuation is not None:
            self.continuation.validate("audio to continue")
            if self.continuation.seconds >= self.duration:
                raise InvalidRequestError(
                    f"The audio to continue ({self.continuation.seconds:.1f} s) must be shorter than the "
                    f"duration to generate ({self.duration:g} s).")

    def with_melody(self, melody: AudioInput) -> GenerationRequest:
        return dataclasses.replace(self, melody=melody)


@dataclass(frozen=True)
class GenerationResult:
    """One take: audio float32 [channels, samples], tokens [codebooks, frames], and how it was made."""

    audio: np.ndarray
    tokens: np.ndarray
    sample_rate: int
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return self.audio.shape[1] / self.sample_rate
