"""What can go wrong in the engine, each with a message a musician can act on."""

from __future__ import annotations


class EngineError(Exception):
    """Base class: `str(error)` is a complete, user-facing sentence."""


class ModelNotFoundError(EngineError):
    """The model id or folder does not exist."""


class ModelUnavailableOfflineError(EngineError):
    """The model is not on this computer and cannot be downloaded now."""


class ModelLoadError(EngineError):
    """The checkpoint exists but cannot be loaded (damaged, wrong format, incompatible)."""


class InvalidRequestError(EngineError, ValueError):
    """A generation or decoding request that cannot be honoured as asked."""


class MelodyNotSupportedError(InvalidRequestError):
    """A melody was given to a model without melody conditioning."""


class GenerationCancelledError(EngineError):
    """The person cancelled; the engine is ready for the next request."""


class EngineOutOfMemoryError(EngineError):
    """The device ran out of memory; the engine released what it could and stays usable."""


class DecoderUnavailableError(EngineError):
    """The MultiBand Diffusion weights are missing or cannot be loaded."""


class StemsUnavailableError(EngineError):
    """demucs' htdemucs, which splits audio into stems, is not on this computer or cannot be loaded."""


class EngineCrashedError(EngineError):
    """The engine process stopped unexpectedly; the window's work is untouched and a new engine can start."""
