"""Virtual ALSA devices for the real sounddevice/PortAudio path.

A `file` PCM over the `null` PCM records from a raw float32 file (`infile`) and plays into another raw
file. The `null` PCM keeps no clock, so streams run as fast as the CPU allows: a take of several seconds
is captured in milliseconds and recordings end by their maximum length. PortAudio reads the ALSA
configuration when it initialises, so the fixture points ALSA_CONFIG_PATH at its own file and restarts
PortAudio (devices.rescan) on the way in and out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from sketchpad.audio import devices

SYSTEM_ALSA_CONF = Path("/usr/share/alsa/alsa.conf")
HUM_RATE = 48000
HUM_HZ = 220.0


def hum(seconds: float = 2.0, *, lead: float = 0.5, tail: float = 12.0, rate: int = HUM_RATE) -> np.ndarray:
    """A hummed note: a 220 Hz tone with a few harmonics and a gentle vibrato, between stretches of silence."""
    t = np.arange(int(seconds * rate)) / rate
    phase = 2 * np.pi * HUM_HZ * t + 0.3 * np.sin(2 * np.pi * 5 * t)
    tone = 0.4 * np.sin(phase) + 0.1 * np.sin(2 * phase) + 0.05 * np.sin(3 * phase)
    envelope = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.05)
    parts = [np.zeros(int(lead * rate)), tone * envelope, np.zeros(int(tail * rate))]
    return np.concatenate(parts).astype(np.float32)


@dataclass
class VirtualAlsa:
    folder: Path
    infile: Path  # what the capture device delivers (raw float32, interleaved)
    outfile: Path  # what the playback device received (raw float32, interleaved), once the stream closes

    def played(self, channels: int = 2) -> np.ndarray:
        raw = np.fromfile(self.outfile, dtype="<f4")
        return raw[: len(raw) - len(raw) % channels].reshape(-1, channels).T


def _config(infile: Path, outfile: Path) -> str:
    return f"""
pcm.hum {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{infile}"
    format "raw"
}}
pcm.speaker {{
    type file
    slave.pcm "null"
    file "{outfile}"
    format "raw"
}}
pcm.!default {{
    type asym
    playback.pcm "speaker"
    capture.pcm "hum"
}}
"""


# A machine whose only device does not exist: PortAudio finds nothing to open.
NO_DEVICES = """
pcm.!default {
    type hw
    card 99
}
"""


def _point_alsa_at(monkeypatch: pytest.MonkeyPatch, config: Path) -> None:
    if not SYSTEM_ALSA_CONF.exists():
        pytest.skip("ALSA's alsa.conf is not installed")
    monkeypatch.setenv("ALSA_CONFIG_PATH", f"{SYSTEM_ALSA_CONF}:{config}")
    devices.rescan()


@pytest.fixture
def virtual_alsa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[VirtualAlsa]:
    infile, outfile = tmp_path / "hum.raw", tmp_path / "speaker.raw"
    hum().astype("<f4").tofile(infile)
    config = tmp_path / "asoundrc"
    config.write_text(_config(infile, outfile))
    _point_alsa_at(monkeypatch, config)
    yield VirtualAlsa(tmp_path, infile, outfile)
    monkeypatch.undo()
    devices.rescan()


@pytest.fixture
def no_audio_devices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    config = tmp_path / "asoundrc"
    config.write_text(NO_DEVICES)
    _point_alsa_at(monkeypatch, config)
    yield
    monkeypatch.undo()
    devices.rescan()


def callback_peak_bytes(player, blocks: int = 200) -> int:
    """The most memory the playing player's audio callback allocated over `blocks` blocks (after one
    block of warm-up): the real-time callback must only copy into what exists."""
    import tracemalloc

    out = np.zeros((player.block_frames, 2), np.float32)
    player.transport.process(out)
    tracemalloc.start()
    for _ in range(blocks):
        player.transport.process(out)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak
