"""A generated take, what it is called, the clip media it becomes and what the sketch keeps of it: the same
in the window and the CLI.

A take is kept with the sketch (sketch.takes.KeptTake) as it arrives. Its media is made once and shared:
the kept take and every clip placed from it hold the same ClipMedia, so a take on the timeline is stored
once in the bundle, and a take read back from a file is a Take again over that same media."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

import numpy as np

from sketchpad.core import decoders, model_ref
from sketchpad.engine.request import GenerationResult
from sketchpad.sketch import ClipMedia, KeptTake, new_id

CLIP_NAME_CHARS = 40


@functools.lru_cache(maxsize=64)
def _short_name(model: str) -> str:
    """A take's model as people read it; asked once per model, not once per take (it looks at the disk)."""
    return model_ref.short_name(model)


def default_name(variation: int, variations: int) -> str:
    """"Take 2/3" for the second of three variations; "Take" for a request of one."""
    return f"Take {variation + 1}/{variations}" if variations > 1 else "Take"


@dataclass(frozen=True)
class Take:
    """One result of a request: `variation` of `variations`, from request number `group`."""

    result: GenerationResult
    group: int
    variation: int = 0
    variations: int = 1
    id: str = field(default_factory=new_id)  # the kept take's id too
    media: ClipMedia | None = field(default=None, compare=False, repr=False)  # made once, then shared

    @property
    def prompt(self) -> str:
        return str(self.result.params.get("prompt", ""))

    @property
    def model(self) -> str:
        return str(self.result.params.get("model", ""))

    @property
    def model_name(self) -> str:
        return _short_name(self.model)

    @property
    def seed(self) -> int:
        return int(self.result.params.get("seed") or 0)  # a sketch's kept seed is checked whole (sketch/schema.py)

    @property
    def seconds(self) -> float:
        return self.result.seconds

    @property
    def decoder(self) -> str:
        return str(self.result.params.get("decoder", decoders.DEFAULT_DECODER))

    @property
    def channels(self) -> int:
        return int(self.result.audio.shape[0])

    @property
    def label(self) -> str:
        return default_name(self.variation, self.variations)

    @property
    def batch(self) -> tuple[int, int]:
        """(row, rows) of the request that made it: one seed draws every row of a request together, so
        the seed and the row are what reproduce it (a take generated again alone keeps its row)."""
        params = self.result.params
        rows = params.get("batch_prompts")
        if isinstance(rows, list) and rows:
            return int(params.get("batch_index", self.variation)), len(rows)
        return self.variation, self.variations

    @property
    def reproducible(self) -> bool:
        """Whether it can be generated again from what it keeps: its prompts, settings and seed (a melody's
        or a continuation's audio is not kept with it, and a partial take has no finished request)."""
        params = self.result.params
        return (not params.get("melody") and not params.get("continuation") and not params.get("partial")
                and isinstance(params.get("batch_prompts"), list) and params.get("seed") is not None
                and bool(self.model))

    def describe(self, name: str | None = None) -> str:
        """Two lines: its name (the label unless renamed) and prompt, then how it was made."""
        return f"{name or self.label}: {self.prompt or '(no prompt)'}\n{self.making}"

    @functools.cached_property
    def making(self) -> str:
        """How it was made, in one line (worked out once: a list of 20,000 takes draws it for each)."""
        params = self.result.params
        kind = "partial, " if params.get("partial") else ""
        kind += "loop, " if params.get("loop") else ""
        kind += "sections, " if params.get("sections") else ""
        kind += "continuation, " if params.get("continuation") else ""
        kind += "melody, " if params.get("melody") else ""
        row, rows = self.batch
        seed = f"seed {self.seed}" + (f" #{row + 1} of {rows}" if rows > 1 else "")
        return (f"{kind}{self.model_name} · {seed} · {self.seconds:.1f} s · "
                f"{'stereo' if self.channels == 2 else 'mono'} · {decoders.label(self.decoder)}")

    @property
    def clip_name(self) -> str:
        return self.prompt[:CLIP_NAME_CHARS] or self.label

    def clip_media(self) -> ClipMedia:
        """What the take becomes on the timeline: its audio, with the tokens that let it change decoder.
        A kept take's own media (no copy: its clips and the kept take are stored once)."""
        if self.media is not None:
            return self.media
        result = self.result
        tokens = result.tokens if result.tokens.size else None  # a partial take's tokens never arrived
        return ClipMedia(result.sample_rate, {self.decoder: result.audio}, origin="generated",
                         tokens=tokens, model=self.model, params=dict(result.params))

    def kept(self) -> KeptTake:
        """What the sketch keeps of this take, named by its label until renamed, sharing its media."""
        return KeptTake(self.clip_media(), name=self.label, group=self.group, variation=self.variation,
                        variations=self.variations, id=self.id)


def takes_of(results: list[GenerationResult], group: int) -> list[Take]:
    """The takes of one request, numbered, each holding the one media its clips and kept take share."""
    takes = [Take(result, group, index, len(results)) for index, result in enumerate(results)]
    return [dataclasses.replace(take, media=take.clip_media()) for take in takes]


def take_of(kept: KeptTake) -> Take:
    """A kept take as a Take again (after opening a sketch): its audio as generated, over the kept media."""
    media = kept.media
    decoder = str(media.params.get("decoder", decoders.DEFAULT_DECODER))
    audio = media.audio.get(decoder, media.audio[media.default_decoder])
    tokens = media.tokens if media.tokens is not None else np.zeros((0, 0), dtype=np.int64)
    params = {"model": media.model or "", **media.params}
    result = GenerationResult(audio, tokens, media.sample_rate, params)
    return Take(result, kept.group, kept.variation, kept.variations, id=kept.id, media=media)
