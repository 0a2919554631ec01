"""What a server offers and how it runs: the operator's choices, checked once, picklable for Ray."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sketchpad.engine_link.remote import TOKEN_VARIABLE

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class ServerConfigError(ValueError):
    """The operator's configuration cannot work; the text says why in one sentence."""


@dataclass(frozen=True)
class ServerConfig:
    """`models` maps the name a client uses to what the engine loads (a hub id, or a folder on the server)."""

    models: dict[str, str]
    token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    device: str = "auto"  # the engine's device in each replica: auto (a GPU when the replica has one), cuda, cpu
    offline: bool = False
    precision: str = "auto"
    mbd: str | None = None  # the MultiBand Diffusion folder decode requests use (None: the hub's); never the client's
    num_gpus: float = 0.0  # per engine replica: 1 gives one replica per GPU
    num_cpus: float = 1.0  # per engine replica
    num_replicas: int = 1  # ignored when autoscaling is given
    autoscaling: dict[str, Any] | None = None  # Serve's autoscaling_config, passed through
    max_models_per_replica: int = 2  # models kept loaded per replica; the least recently used goes first
    max_batch_prompts: int = 8  # takes one merged generation may hold
    batch_wait_s: float = 0.05  # how long a replica waits for more requests to merge with the first
    allow_unload: bool = False  # clients' Unload frees a model for everyone; by default the LRU decides
    max_body_bytes: int = 64 * 2**20
    max_ongoing_requests: int = 16

    def __post_init__(self) -> None:
        if not self.models:
            raise ServerConfigError("a server needs at least one model: --model ID or --model NAME=FOLDER")
        if self.token is None and not is_loopback(self.host):
            raise ServerConfigError(
                f"listening on {self.host} lets other computers in: give a token (--token or "
                f"{TOKEN_VARIABLE}), or listen on 127.0.0.1 only")
        if self.token is not None and len(self.token) < 8:
            raise ServerConfigError("the token must be at least 8 characters long")
        if not 1 <= self.max_models_per_replica <= 64 or not 1 <= self.max_batch_prompts <= 256:
            raise ServerConfigError("models per replica and prompts per batch must be small positive numbers")

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_models(specs: list[str]) -> dict[str, str]:
    """`--model ID` (offered under its id) and `--model NAME=FOLDER` (a model folder on this machine,
    offered under NAME): a client names one of these, never a path."""
    from sketchpad.core.model_ref import is_folder

    models: dict[str, str] = {}
    for spec in specs:
        name, sep, source = spec.partition("=")
        name, source = name.strip(), source.strip()
        if not sep:
            if is_folder(name):
                raise ServerConfigError(f"--model {spec}: give a folder a name a client can use (NAME=FOLDER)")
            source = name
        elif not name or not source:
            raise ServerConfigError(f"--model {spec}: expected NAME=FOLDER")
        elif not Path(source).expanduser().is_dir():
            raise ServerConfigError(f"--model {spec}: no such folder: {source}")
        else:
            source = str(Path(source).expanduser().resolve())
        if name in models:
            raise ServerConfigError(f"--model {name} is given twice")
        models[name] = source
    return models


def token_from(value: str | None) -> str | None:
    """The token given, else SKETCHPAD_SERVER_TOKEN, else None (loopback only)."""
    return value or os.environ.get(TOKEN_VARIABLE) or None


def from_args(args: dict[str, Any]) -> ServerConfig:
    """A config from `serve run ... key=value` arguments or a Serve config file's `args:` (see
    docs/serve-cluster.yaml): `models` a list (or comma-separated) of ID and NAME=FOLDER."""
    values = dict(args)
    models = values.pop("models", values.pop("model", []))
    if isinstance(models, str):
        models = [item for item in models.split(",") if item.strip()]
    values["token"] = token_from(values.get("token"))
    names = {item.name for item in ServerConfig.__dataclass_fields__.values()}
    unknown = set(values) - names
    if unknown:
        raise ServerConfigError(f"unknown server settings: {', '.join(sorted(unknown))}")
    return ServerConfig(models=parse_models(list(models)), **values)


__all__ = ["ServerConfig", "ServerConfigError", "from_args", "is_loopback", "parse_models", "token_from"]
