"""The engine's one entry point: load, generate, decode. One request runs at a time."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from sketchpad.core.decoders import DECODERS
from sketchpad.engine import device as devices
from sketchpad.engine import loops
from sketchpad.engine.decoders import DiffusionBands, check_tokens, decode_encodec, decode_mbd
from sketchpad.engine.errors import EngineOutOfMemoryError, InvalidRequestError
from sketchpad.engine.generation import Progress, run_generation
from sketchpad.engine.models import LoadedModel, LoadProgress, ModelCache
from sketchpad.engine.partial_audio import PartialAudio
from sketchpad.engine.precision import resolve_precision
from sketchpad.engine.quiet import silence_library_noise
from sketchpad.engine.request import GenerationRequest, GenerationResult
from sketchpad.engine.threads import thread_budget


def _cut_at(partial: PartialAudio, frames: int) -> PartialAudio:
    """Pieces of a loop's take up to the loop's end: what lies past it is folded into its start."""

    def hear(audio: np.ndarray, start: int) -> None:
        if start < frames:
            partial(audio[..., :frames - start], start)

    return hear


class Engine:
    """MusicGen through audiocraft, for one device. Thread-safe: calls are serialised.

    `precision` is "fast", "exact" or None/"auto" (fast on the CPU, exact elsewhere): see
    engine/precision.py. On the CPU each job uses every core that is free (engine/threads.py): the engine process
    runs below the window's priority, so the window still wins a core when it needs one.
    """

    def __init__(self, device: str | None = None, *, offline: bool = False, precision: str | None = None) -> None:
        silence_library_noise()
        self.device = devices.pick_device(device)
        self.offline = offline
        self.precision = resolve_precision(precision, self.device)
        self.models = ModelCache()
        self._bands: dict[str | None, DiffusionBands] = {}
        self._separator = None  # demucs' htdemucs, loaded on the first split
        self._busy = threading.Lock()

    def describe_device(self) -> str:
        return devices.describe_device(self.device)

    def memory_in_use(self) -> int | None:
        return devices.memory_in_use(self.device)

    def load(self, model: str, progress: LoadProgress | None = None) -> LoadedModel:
        """The model, loading it on first use (from a folder or the Hugging Face cache)."""
        with self._guard(f"loading {model}"):
            return self.models.get(model, self.device, offline=self.offline, progress=progress)

    def generate(
        self,
        request: GenerationRequest,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        load_progress: LoadProgress | None = None,
        partial: PartialAudio | None = None,
    ) -> list[GenerationResult]:
        """One take per prompt. Cancelling raises GenerationCancelledError and leaves the engine ready.

        `partial(audio [takes, channels, samples], start sample)`, when given, hears the takes while
        they are generated (engine/partial_audio.py).
        """
        loaded = self.load(request.model, load_progress)
        seconds = request.duration * len(request.prompts)
        loop = loops.loop_params(request.duration, loaded.sample_rate) if request.loop else None
        if loop is not None:  # generated past the end, folded back: engine/loops.py
            request = dataclasses.replace(request, duration=request.duration + loops.overlap_seconds(request.duration))
            partial = None if partial is None else _cut_at(partial, loop["frames"])
        with self._guard(f"generating {seconds:g} s of audio with {loaded.key}"), thread_budget(self.device):
            results = run_generation(loaded, request, progress=progress, cancel=cancel, precision=self.precision,
                                     partial=partial)
        if loop is None:
            return results
        return [dataclasses.replace(result, audio=loops.fold(result.audio, loop),
                                    params={**result.params, "duration": loop["frames"] / result.sample_rate,
                                            "loop": loop})
                for result in results]

    def decode(
        self,
        model: str,
        tokens: np.ndarray,
        decoder: str,
        *,
        mbd: str | None = None,
        seed: int = 0,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        loop: dict[str, int] | None = None,
    ) -> np.ndarray:
        """Audio [channels, samples] from stored tokens with "encodec" or "mbd"; never generates again.
        `loop`: a loop's take (its params' "loop"), folded as it was when generated."""
        if decoder not in DECODERS:
            raise InvalidRequestError(f"Unknown decoder {decoder!r}: use one of {', '.join(DECODERS)}.")
        loaded = self.load(model)
        check_tokens(loaded, tokens)  # before MultiBand Diffusion loads, or any memory is asked for
        with self._guard(f"decoding with {decoder}"), thread_budget(self.device):
            if decoder == "encodec":
                audio = decode_encodec(loaded, tokens, self.precision)
            else:
                bands = self._diffusion(mbd)
                audio = decode_mbd(loaded, bands, tokens, seed=seed, progress=progress, cancel=cancel)
        return audio if loop is None else loops.fold(audio, loop)

    def split(self, samples: np.ndarray, sample_rate: int, *, progress: Progress | None = None,
              cancel: threading.Event | None = None) -> dict[str, np.ndarray]:
        """Drums, bass, other and vocals of `samples` [channels, frames], each of the same shape, summing
        back to `samples` (engine/stems.py)."""
        from sketchpad.engine import stems

        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim != 2 or samples.shape[0] not in (1, 2) or samples.shape[1] == 0 or sample_rate <= 0:
            raise InvalidRequestError("Stems can be made of mono or stereo audio with at least one sample.")
        with self._guard("splitting into stems"), thread_budget(self.device):
            if self._separator is None:
                self._separator = stems.load_separator(self.device, offline=self.offline)
            return stems.split(self._separator, samples, sample_rate, device=self.device, progress=progress,
                               cancel=cancel)

    def unload(self, model: str | None = None) -> None:
        """Forget one model (or every model and the MultiBand Diffusion decoder) and return the memory."""
        with self._busy:
            self.models.drop(model)
            if model is None:
                self._bands.clear()
                self._separator = None
            devices.release_memory(self.device, collect=True)

    def _diffusion(self, source: str | None) -> DiffusionBands:
        if source not in self._bands:
            self._bands[source] = DiffusionBands.load(source, self.device, offline=self.offline)
        return self._bands[source]

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Serialise work on the device and turn running out of memory into a message."""
        with self._busy:
            try:
                yield
            except Exception as error:
                if not devices.is_out_of_memory(error):
                    raise
                devices.release_memory(self.device, collect=True)
                raise EngineOutOfMemoryError(
                    f"{self.describe_device()} ran out of memory while {what}. Try a smaller model, a shorter "
                    "duration or fewer variations; the engine is ready to try again.") from error

