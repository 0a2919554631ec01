"""The person's preferences, kept in QSettings: read once at start, written when the dialog is accepted."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from PySide6.QtCore import QSettings

from sketchpad.core import decoders
from sketchpad.engine.catalog import DEVICE_CHOICES

PROMPT_HISTORY = 20


@dataclass(frozen=True)
class Preferences:
    compute_device: str = "auto"
    input_device: str = ""  # "" is the system default
    output_device: str = ""
    model_folder: str = ""  # a folder of downloaded model folders, offered in the picker
    cache_folder: str = ""  # the Hugging Face cache (HF_HOME); "" keeps the environment's
    default_model: str = ""  # "" picks musicgen-small or the best model on disk
    offline: bool = False
    mbd_folder: str = ""  # a MultiBand Diffusion folder; "" downloads facebook/multiband-diffusion when first used
    default_decoder: str = decoders.DEFAULT_DECODER  # what new generated clips play

    def apply_environment(self) -> None:
        """Point the hub libraries at the chosen cache and offline mode; call before the engine starts."""
        if self.cache_folder:
            os.environ["HF_HOME"] = self.cache_folder
        if self.offline:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"


def load_preferences(settings: QSettings) -> Preferences:
    values = {}
    for item in fields(Preferences):
        raw = settings.value(f"preferences/{item.name}", item.default)
        if item.type in (bool, "bool"):
            values[item.name] = raw in (True, "true", "1", 1)
        else:
            values[item.name] = str(raw) if raw is not None else item.default
    prefs = Preferences(**values)
    if prefs.compute_device not in DEVICE_CHOICES:
        prefs = replace(prefs, compute_device="auto")
    if prefs.default_decoder not in decoders.DECODERS:
        prefs = replace(prefs, default_decoder=decoders.DEFAULT_DECODER)
    return prefs


def save_preferences(settings: QSettings, prefs: Preferences) -> None:
    for item in fields(Preferences):
        settings.setValue(f"preferences/{item.name}", getattr(prefs, item.name))
    settings.sync()


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


def load_model_folders(settings: QSettings) -> list[str]:
    raw = settings.value("models/folders", [])
    if isinstance(raw, str):
        raw = [raw]
    return [str(item) for item in (raw or [])]


def remember_model_folder(settings: QSettings, folder: str) -> None:
    folders = [folder] + [item for item in load_model_folders(settings) if item != folder]
    settings.setValue("models/folders", folders[:10])


RECENT_FILES = 10


def load_recent_files(settings: QSettings) -> list[str]:
    raw = settings.value("files/recent", [])
    if isinstance(raw, str):
        raw = [raw]
    return [str(item) for item in (raw or []) if str(item)]


def remember_recent_file(settings: QSettings, path: str) -> list[str]:
    recent = [path] + [item for item in load_recent_files(settings) if item != path]
    settings.setValue("files/recent", recent[:RECENT_FILES])
    return recent[:RECENT_FILES]
