"""What Sketchpad remembers between runs, in QSettings: the preferences (read once at start, written when
the dialog is accepted), the idea panel, the export dialog's choices, the arrangement's snap and
metronome toggles, the window's geometry and splitters, prompts, model folders, recent files and how
fast each model generates here."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings

from sketchpad.core import decoders
from sketchpad.engine.catalog import DEVICE_CHOICES
from sketchpad.engine.precision import PRECISIONS

PROMPT_HISTORY = 20
T = TypeVar("T")

HUB_VARIABLES = ("HF_HOME", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


def hub_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str | None]:
    """The hub variables as they stand (None where unset)."""
    return {name: environ.get(name) for name in HUB_VARIABLES}


# What the person launched Sketchpad with, before any preference touched it: turning a preference off
# gives this back (offline mode set in the shell stays on; one set in Preferences goes with it).
LAUNCH_ENVIRONMENT = hub_environment()


@dataclass(frozen=True)
class Preferences:
    compute_device: str = "auto"
    input_device: str = ""  # "" is the system default
    output_device: str = ""
    model_folder: str = ""  # a folder of downloaded model folders, offered in the picker
    cache_folder: str = ""  # the Hugging Face cache (HF_HOME); "" keeps the environment's
    default_model: str = ""  # a catalog id or model folder; "" is the model used last (first: the best on disk)
    offline: bool = False
    mbd_folder: str = ""  # a MultiBand Diffusion folder; "" downloads facebook/multiband-diffusion when first used
    default_decoder: str = decoders.DEFAULT_DECODER  # what new generated clips play
    precision: str = "auto"  # the engine's: "auto" (fast on the CPU, exact on a GPU), "fast" or "exact"
    engine_server: str = ""  # "" generates on this computer; else a `sketchpad serve` address
    server_token: str = ""  # that server's bearer token, kept in the settings file as the address is

    def apply_environment(self, launched: Mapping[str, str | None] = LAUNCH_ENVIRONMENT,
                          environ: MutableMapping[str, str] = os.environ) -> None:
        """Point the hub libraries at the chosen cache and offline mode; call before the engine starts (it
        inherits them). Both ways: a preference turned off puts back what the app was `launched` with."""
        wanted = dict(launched)
        if self.cache_folder:
            wanted["HF_HOME"] = self.cache_folder
        if self.offline:
            wanted["HF_HUB_OFFLINE"] = wanted["TRANSFORMERS_OFFLINE"] = "1"
        for name in HUB_VARIABLES:
            value = wanted.get(name)
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value


def _load_fields(settings: QSettings, group: str, kind: type[T]) -> T:
    """A dataclass of plain fields (str, bool, int, float) from `group/field` keys; a value that does not
    read as its type keeps the default (an INI file hands everything back as text)."""
    values = {}
    for item in fields(kind):
        raw = settings.value(f"{group}/{item.name}", item.default)
        values[item.name] = _typed(raw, str(getattr(item.type, "__name__", item.type)), item.default)
    return kind(**values)


def _typed(raw: object, type_name: str, default: object) -> object:
    if raw is None:
        return default
    if type_name == "bool":
        return raw in (True, "true", "1", 1)
    if type_name in ("int", "float"):
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return default
        if not math.isfinite(number):
            return default
        return int(number) if type_name == "int" else number
    return str(raw)


def _save_fields(settings: QSettings, group: str, values: object) -> None:
    for item in fields(values):
        settings.setValue(f"{group}/{item.name}", getattr(values, item.name))


def load_preferences(settings: QSettings) -> Preferences:
    prefs = _load_fields(settings, "preferences", Preferences)
    if prefs.compute_device not in DEVICE_CHOICES:
        prefs = replace(prefs, compute_device="auto")
    if prefs.default_decoder not in decoders.DECODERS:
        prefs = replace(prefs, default_decoder=decoders.DEFAULT_DECODER)
    if prefs.precision not in ("auto", *PRECISIONS):
        prefs = replace(prefs, precision="auto")
    return prefs


def save_preferences(settings: QSettings, prefs: Preferences) -> None:
    _save_fields(settings, "preferences", prefs)
    settings.sync()


@dataclass(frozen=True)
class IdeaChoices:
    """The idea panel as the person left it: kept as it changes, put back at the next start."""

    model: str = ""  # a catalog id or a model folder; "" until one is chosen
    duration: float = 10.0
    variations: int = 1
    top_k: int = 250
    top_p: float = 0.0
    temperature: float = 1.0
    guidance: float = 3.0
    seed_locked: bool = False
    seed: int = 0  # kept only while locked: an unlocked seed is new every time anyway
    advanced_shown: bool = False


def load_idea(settings: QSettings) -> IdeaChoices | None:
    """What the idea panel last held; None before the first change was ever kept."""
    if not settings.contains("idea/duration"):
        return None
    return _load_fields(settings, "idea", IdeaChoices)


def save_idea(settings: QSettings, choices: IdeaChoices) -> None:
    _save_fields(settings, "idea", choices)


@dataclass(frozen=True)
class ExportChoices:
    """The export dialog's last choices (FORMAT_CHOICES keys; range "all", "loop" or "selection")."""

    format: str = "wav24"
    folder: str = ""  # where the last export went; "" is beside the sketch
    range: str = "all"
    stems: bool = False
    bitrate: int = 0  # MP3 kbps; 0 (or one the dialog does not offer) is its default


def load_export_choices(settings: QSettings) -> ExportChoices:
    return _load_fields(settings, "export", ExportChoices)


def save_export_choices(settings: QSettings, choices: ExportChoices) -> None:
    _save_fields(settings, "export", choices)


@dataclass(frozen=True)
class TimelineChoices:
    """The arrangement's toggles as the person left them."""

    snap: bool = True
    metronome: bool = False


def load_timeline_choices(settings: QSettings) -> TimelineChoices:
    return _load_fields(settings, "timeline", TimelineChoices)


def save_timeline_choices(settings: QSettings, choices: TimelineChoices) -> None:
    _save_fields(settings, "timeline", choices)


def load_window_state(settings: QSettings, name: str) -> QByteArray | None:
    """Bytes Qt saved for a window's geometry or a splitter (`name`), or None."""
    raw = settings.value(f"window/{name}")
    return raw if isinstance(raw, QByteArray) and not raw.isEmpty() else None


def save_window_state(settings: QSettings, name: str, state: QByteArray) -> None:
    settings.setValue(f"window/{name}", state)


def load_speeds(settings: QSettings) -> dict[str, float]:
    """Seconds of generation per second of audio per take, by model, measured on this computer."""
    try:
        raw = json.loads(str(settings.value("generation/speeds", "{}")))
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(model): float(value) for model, value in raw.items()
            if isinstance(value, (int, float)) and math.isfinite(value) and value > 0}


def save_speeds(settings: QSettings, speeds: dict[str, float]) -> None:
    settings.setValue("generation/speeds", json.dumps(speeds))


def load_prompt_history(settings: QSettings) -> list[str]:
    raw = settings.value("history/prompts", [])
    if isinstance(raw, str):
        raw = [raw]
    return [str(item) for item in (raw or []) if str(item).strip()]


def remember_prompt(settings: QSettings, prompt: str) -> list[str]:
    history = [prompt] + [item for item in load_prompt_history(settings) if item != prompt]
    history = history[:PROMPT_HISTORY]
    settings.setValue("history/prompts", history)
    return history


def _load_paths(settings: QSettings, key: str) -> list[str]:
    raw = settings.value(key, [])
    if isinstance(raw, str):  # an INI file gives one item back as text
        raw = [raw]
    return [str(item) for item in (raw or []) if str(item)]


def _remember_path(settings: QSettings, key: str, path: str, keep: int) -> list[str]:
    paths = [path] + [item for item in _load_paths(settings, key) if item != path]
    settings.setValue(key, paths[:keep])
    return paths[:keep]


def load_model_folders(settings: QSettings) -> list[str]:
    return _load_paths(settings, "models/folders")


def remember_model_folder(settings: QSettings, folder: str) -> None:
    _remember_path(settings, "models/folders", folder, 10)


RECENT_FILES = 10


def load_recent_files(settings: QSettings) -> list[str]:
    return _load_paths(settings, "files/recent")


def remember_recent_file(settings: QSettings, path: str) -> list[str]:
    return _remember_path(settings, "files/recent", path, RECENT_FILES)


AUTOSAVED_SKETCHES = 50  # saved sketches whose autosave may outlive a crash: offered at the next start


def load_autosaved_sketches(settings: QSettings) -> list[str]:
    return _load_paths(settings, "files/autosaved")


def remember_autosaved_sketch(settings: QSettings, path: str) -> None:
    """Written to disk at once: it matters only after a crash, which never lets QSettings write later."""
    if path not in load_autosaved_sketches(settings):
        _remember_path(settings, "files/autosaved", path, AUTOSAVED_SKETCHES)
        settings.sync()


def forget_autosaved_sketches(settings: QSettings, paths: list[str]) -> None:
    settings.setValue("files/autosaved", [item for item in load_autosaved_sketches(settings) if item not in paths])
