"""Finding input and output devices and the sample rates they accept."""

from __future__ import annotations

from dataclasses import dataclass

import sounddevice as sd

from sketchpad.audio.errors import AudioDeviceError

FALLBACK_RATES = (48000, 44100, 32000, 16000)
Device = int | str | None  # an index, a name sounddevice matches, or None for the system default


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    host_api: str
    input_channels: int
    output_channels: int
    default_rate: float
    is_default: bool


def rescan() -> None:
    """Re-enumerate devices: PortAudio lists them once at start-up, so a plugged-in mic needs this.

    Streams must be closed first; PortAudio invalidates every open stream when it restarts.
    """
    sd._terminate()
    sd._initialize()


def _devices(kind: str) -> list[DeviceInfo]:
    try:
        raw = sd.query_devices()
        default = sd.default.device[0 if kind == "input" else 1]
    except sd.PortAudioError:
        return []
    apis = sd.query_hostapis()
    key = "max_input_channels" if kind == "input" else "max_output_channels"
    found = [DeviceInfo(index=d["index"], name=d["name"], host_api=apis[d["hostapi"]]["name"],
                        input_channels=d["max_input_channels"], output_channels=d["max_output_channels"],
                        default_rate=d["default_samplerate"], is_default=d["index"] == default)
             for d in raw if d[key] > 0]
    return sorted(found, key=lambda info: not info.is_default)  # stable: default first, then system order


def input_devices() -> list[DeviceInfo]:
    """Devices that can record, the default first."""
    return _devices("input")


def output_devices() -> list[DeviceInfo]:
    """Devices that can play, the default first."""
    return _devices("output")


def resolve(device: Device, kind: str) -> DeviceInfo:
    """The DeviceInfo for `device` (None: the default), or AudioDeviceError saying why there is none."""
    found = _devices(kind)
    if not found:
        raise AudioDeviceError(f"no {kind} device is available")
    if device is None:
        return found[0]
    for info in found:
        if info.index == device or (isinstance(device, str) and device.lower() in info.name.lower()):
            return info
    raise AudioDeviceError(f"no {kind} device matches {device!r}")


def pick_rate(device: DeviceInfo, kind: str, channels: int, preferred: int | None) -> int:
    """`preferred` if the device takes it, else its default rate, else a common one; AudioDeviceError if none."""
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    candidates = [preferred] if preferred else []
    candidates += [int(device.default_rate), *FALLBACK_RATES]
    for rate in candidates:
        try:
            check(device=device.index, channels=channels, samplerate=rate, dtype="float32")
        except (sd.PortAudioError, ValueError):
            continue
        return int(rate)
    raise AudioDeviceError(f"{device.name} accepts none of the rates {sorted(set(candidates))} Hz "
                           f"with {channels} channel(s)")


def check_rate(device: DeviceInfo, kind: str, channels: int, rate: int) -> None:
    """Raise AudioDeviceError with a clear reason if `device` refuses `rate`."""
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    try:
        check(device=device.index, channels=channels, samplerate=rate, dtype="float32")
    except (sd.PortAudioError, ValueError) as exc:
        raise AudioDeviceError(f"{device.name} does not support {rate} Hz with {channels} channel(s): "
                               f"{exc}") from exc
