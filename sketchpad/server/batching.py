"""Which generate requests may share one generation, and how its answers are shared out again.

Requests merge only when one generation would give each what it asked for: the same model, the same
duration and sampling settings, the same seed (or none), the same wish for partial audio, and no
melody or audio to continue (those are per request). The merged request's prompts are the members'
prompts in order; every take's `params` still records its `batch_prompts` and `batch_index`, so a take
made in a shared batch says exactly how it was made. Models never mix: the model is part of the key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sketchpad.engine_link.wire import Message

Send = Callable[[Message], None]


@dataclass(eq=False)
class Member:
    """One client's generate request inside a shared generation: its rows, and where its answers go."""

    message: Message
    send: Send
    cancelled: bool = False
    first_row: int = 0
    cancel_group: Callable[[], None] | None = None  # set when its generation starts: stops it once all cancel

    @property
    def job_id(self) -> int:
        return int(self.message["id"])

    @property
    def rows(self) -> int:
        return len(self.message["request"]["prompts"])


def merge_key(message: Message) -> tuple[Any, ...] | None:
    """The settings a generate request must share to merge with another; None: it runs alone."""
    request = message.get("request")
    if message.get("type") != "generate" or not isinstance(request, dict):
        return None
    if message.get("melody_source") is not None or request.get("melody") is not None \
            or request.get("continuation") is not None or not isinstance(request.get("prompts"), list):
        return None
    settings = tuple((name, request.get(name)) for name in
                     ("model", "duration", "top_k", "top_p", "temperature", "cfg_coef", "seed"))
    try:
        hash(settings)
    except TypeError:  # a malformed field (a list where a number goes): run alone, the engine will say why
        return None
    return (*settings, ("partial", bool(message.get("partial"))))


def group(messages: list[Message], max_rows: int) -> list[list[int]]:
    """Indices of `messages` in groups that can each be one generation of at most `max_rows` takes
    (a single request larger than that stays whole), in arrival order."""
    groups: list[list[int]] = []
    open_groups: dict[Any, tuple[list[int], int]] = {}
    for index, message in enumerate(messages):
        key = merge_key(message)
        rows = len(message["request"]["prompts"]) if key is not None else 1
        if key is not None and key in open_groups:
            members, total = open_groups[key]
            if total + rows <= max_rows:
                members.append(index)
                open_groups[key] = (members, total + rows)
                continue
        members = [index]
        groups.append(members)
        if key is not None:
            open_groups[key] = (members, rows)
    return groups


@dataclass
class SharedGeneration:
    """One generate message standing for several members, and the fan-out of what it answers."""

    members: list[Member]
    message: Message = field(init=False)

    def __post_init__(self) -> None:
        first = self.members[0].message
        prompts: list[str] = []
        for member in self.members:
            member.first_row = len(prompts)
            prompts += member.message["request"]["prompts"]
        self.message = {**first, "request": {**first["request"], "prompts": prompts}}

    def live(self) -> list[Member]:
        return [member for member in self.members if not member.cancelled]

    def send(self, message: Message) -> None:
        """An answer about the shared generation, given to each member as if it had been its own."""
        kind = message.get("type")
        for member in self.live():
            if kind == "partial":
                rows = message["audio"][member.first_row:member.first_row + member.rows]
                member.send({**message, "id": member.job_id, "audio": rows})
            elif kind == "result":
                member.send({**message, "id": member.job_id, "value": self._share(message["value"], member)})
            else:
                member.send({**message, "id": member.job_id})

    @staticmethod
    def _share(value: dict[str, Any], member: Member) -> dict[str, Any]:
        takes = value.get("takes", [])[member.first_row:member.first_row + member.rows]
        return {**value, "takes": takes}


def replace_model_name(value: Any, source: str, name: str) -> Any:
    """Answers name the model as the client named it, never by the server's folder."""
    if isinstance(value, dict):
        return {key: (name if key in ("key", "model") and item == source else replace_model_name(item, source, name))
                for key, item in value.items()}
    if isinstance(value, list):
        return [replace_model_name(item, source, name) for item in value]
    return value

