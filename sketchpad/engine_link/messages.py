"""What the messages mean: requests and results as plain dicts (arrays in place), and errors by kind.

Window → engine: `load`, `unload`, `generate`, `decode`, `split` (audio into drums, bass, other and
vocals), `echo` (answers with what it was sent: a health
check, and how transfer times are measured), `cancel`, `status`, `shutdown`; each job request carries an
`id` that every answer about it repeats. Engine → window: `hello` (protocol version, pid) at once, then
`ready` (device, and `precision`: "fast" or "exact", see sketchpad/engine/precision.py) or `failed`;
per job `queued`, `started`, `progress`, `loaded` (model facts), and one of `result` (with `sent`, the
engine's clock when it sent it), `error`, `cancelled`; `memory` whenever asked and after each job.

Audio while generating: a `generate` request with `"partial": true` also gets, before its `result`,
`partial {id, audio, start}` messages: `audio` float32 [takes, channels, samples] (one row per prompt),
`start` the index of its first sample in the takes. They arrive in order, touch end to end from sample 0
and cover every take whole; their audio matches the result's within -60 dBFS (the result's is one
decode of the whole take). Without the flag none are sent, and a window that ignores them loses
nothing but the early listen.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from sketchpad.engine import errors
from sketchpad.engine.request import AudioInput, GenerationRequest, GenerationResult

JOB_REQUESTS = frozenset({"load", "unload", "generate", "decode", "echo", "split"})


@dataclass(frozen=True)
class ModelFacts:
    """What is known about a model once it has loaded."""

    key: str
    melody: bool
    channels: int
    sample_rate: int
    window_seconds: float

    def to_message(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_message(cls, data: dict[str, Any]) -> ModelFacts:
        return cls(key=str(data["key"]), melody=bool(data["melody"]), channels=int(data["channels"]),
                   sample_rate=int(data["sample_rate"]), window_seconds=float(data["window_seconds"]))


@dataclass(frozen=True)
class MelodySource:
    """A melody as the person gave it; the engine prepares it for the model once the model is known."""

    samples: np.ndarray  # float32 [channels, frames]
    sample_rate: int


def _audio_input(value: AudioInput | None) -> dict[str, Any] | None:
    return None if value is None else {"samples": value.samples, "sample_rate": value.sample_rate}


def _from_audio_input(value: dict[str, Any] | None) -> AudioInput | None:
    if value is None:
        return None
    return AudioInput(np.asarray(value["samples"], dtype=np.float32), int(value["sample_rate"]))


def request_to_message(request: GenerationRequest) -> dict[str, Any]:
    fields = {item.name: getattr(request, item.name) for item in dataclasses.fields(request)}
    fields["prompts"] = list(request.prompts)
    fields["melody"] = _audio_input(request.melody)
    fields["continuation"] = _audio_input(request.continuation)
    fields["sections"] = [list(section) for section in request.sections]
    return fields


def request_from_message(data: dict[str, Any]) -> GenerationRequest:
    names = {item.name for item in dataclasses.fields(GenerationRequest)}
    unknown = set(data) - names
    if unknown:
        raise errors.InvalidRequestError(f"Unknown request fields: {', '.join(sorted(unknown))}.")
    values = dict(data)
    values["prompts"] = tuple(str(prompt) for prompt in data.get("prompts", ()))
    values["melody"] = _from_audio_input(data.get("melody"))
    values["continuation"] = _from_audio_input(data.get("continuation"))
    try:
        values["sections"] = tuple((float(start), str(text)) for start, text in data.get("sections") or ())
    except (TypeError, ValueError) as error:
        raise errors.InvalidRequestError("Prompt sections must be pairs of seconds and text.") from error
    return GenerationRequest(**values)


def result_to_message(result: GenerationResult) -> dict[str, Any]:
    return {"audio": result.audio, "tokens": result.tokens, "sample_rate": result.sample_rate,
            "params": result.params}


def result_from_message(data: dict[str, Any]) -> GenerationResult:
    return GenerationResult(audio=np.asarray(data["audio"], dtype=np.float32), tokens=np.asarray(data["tokens"]),
                            sample_rate=int(data["sample_rate"]), params=dict(data.get("params") or {}))


def melody_to_message(source: MelodySource | None) -> dict[str, Any] | None:
    return None if source is None else {"samples": source.samples, "sample_rate": source.sample_rate}


def melody_from_message(data: dict[str, Any] | None) -> MelodySource | None:
    if data is None:
        return None
    return MelodySource(np.asarray(data["samples"], dtype=np.float32), int(data["sample_rate"]))


def error_to_message(error: BaseException) -> dict[str, str]:
    """The engine's own errors keep their class; anything else is an internal error with its text."""
    kind = type(error).__name__ if isinstance(error, errors.EngineError) else "InternalError"
    return {"kind": kind, "message": str(error).strip() or type(error).__name__}


def error_from_message(data: dict[str, Any]) -> errors.EngineError:
    """The engine error a message names, as the same class the engine raised (EngineError if unknown)."""
    cls = getattr(errors, str(data.get("kind", "")), None)
    if not (isinstance(cls, type) and issubclass(cls, errors.EngineError)):
        cls = errors.EngineError
    return cls(str(data.get("message", "The engine failed.")))
