"""A generated take, what it is called, and the clip media it becomes: the same in the window and the CLI."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sketchpad.core import decoders, model_ref
from sketchpad.engine.request import GenerationResult
from sketchpad.sketch import ClipMedia

_ids = itertools.count(1)
CLIP_NAME_CHARS = 40


@dataclass(frozen=True)
class Take:
    """One result of a request: `variation` of `variations`, from request number `group`."""

    result: GenerationResult
    group: int
    variation: int = 0
    variations: int = 1
    id: int = field(default_factory=lambda: next(_ids))

    @property
    def prompt(self) -> str:
        return str(self.result.params.get("prompt", ""))

    @property
    def model(self) -> str:
        return str(self.result.params.get("model", ""))

    @property
    def model_name(self) -> str:
        return model_ref.short_name(self.model)

    @property
    def seed(self) -> int:
        return int(self.result.params.get("seed", 0))

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
        """"Take 2/3" for the second of three variations; "Take" for a request of one."""
        return f"Take {self.variation + 1}/{self.variations}" if self.variations > 1 else "Take"

    def describe(self) -> str:
        kind = "continuation, " if self.result.params.get("continuation") else ""
        kind += "melody, " if self.result.params.get("melody") else ""
        return (f"{self.label}: {self.prompt or '(no prompt)'}\n{kind}{self.model_name} · seed {self.seed} · "
                f"{self.seconds:.1f} s · {'stereo' if self.channels == 2 else 'mono'} · "
                f"{decoders.label(self.decoder)}")

    @property
    def clip_name(self) -> str:
        return self.prompt[:CLIP_NAME_CHARS] or self.label

    def clip_media(self) -> ClipMedia:
        """What the take becomes on the timeline: its audio, with the tokens that let it change decoder."""
        result = self.result
        return ClipMedia(result.sample_rate, {self.decoder: result.audio}, origin="generated",
                         tokens=result.tokens, model=self.model, params=dict(result.params))


def takes_of(results: list[GenerationResult], group: int) -> list[Take]:
    """The takes of one request, numbered."""
    return [Take(result, group, index, len(results)) for index, result in enumerate(results)]
