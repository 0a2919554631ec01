"""Recording through PortAudio from a virtual ALSA capture device that plays a synthesised hum."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import sounddevice as sd

from sketchpad.audio.devices import AudioDeviceError, input_devices
from sketchpad.audio.files import read_audio
from sketchpad.audio.recorder import Recorder, TakeEnd
from tests.audio.conftest import HUM_HZ, HUM_RATE, VirtualAlsa
from tests.audio.signals import dominant_hz


def _recorded_hum(virtual_alsa: VirtualAlsa) -> np.ndarray:
    return np.fromfile(virtual_alsa.infile, dtype="<f4")


def test_default_input_is_listed_first(virtual_alsa: VirtualAlsa) -> None:
    found = input_devices()
    assert found[0].is_default and found[0].name == "default"
    assert {d.name for d in found} >= {"default", "hum"}


def test_a_hummed_take_is_recorded_sample_for_sample(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "take.wav", sample_rate=HUM_RATE, max_seconds=3.0)
    recorder.start()
    result = recorder.wait(timeout=20)
    assert result is not None and result.ended is TakeEnd.MAX_LENGTH
    assert result.frames == 3 * HUM_RATE and result.overflows == 0 and "maximum length" in result.message
    take = read_audio(result.path)
    assert take.sample_rate == HUM_RATE and take.samples.shape == (1, 3 * HUM_RATE)
    np.testing.assert_array_equal(take.samples[0], _recorded_hum(virtual_alsa)[: 3 * HUM_RATE])
    voiced = np.flatnonzero(np.abs(take.samples[0]) > 0.01)
    assert abs((voiced[-1] - voiced[0]) / HUM_RATE - 2.0) < 0.01  # the hum lasts 2 s
    assert abs(dominant_hz(take.samples[0, voiced[0]:voiced[-1]], HUM_RATE) - HUM_HZ) < 1.0
    levels = recorder.levels.drain()
    assert len(levels) >= 3 * HUM_RATE // recorder.block_frames
    assert max(level.peak for level in levels) == pytest.approx(np.abs(take.samples).max())
    assert min(level.rms for level in levels) == 0.0  # the silent lead-in reads as silence


def test_stereo_take_when_asked(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    # The device delivers the raw file as interleaved frames, so pairs of mono samples become L/R.
    recorder = Recorder(tmp_path / "take.wav", sample_rate=HUM_RATE, channels=2, max_seconds=1.0)
    recorder.start()
    result = recorder.wait(timeout=20)
    assert result is not None and result.channels == 2
    take = read_audio(result.path)
    assert take.samples.shape == (2, HUM_RATE)
    raw = _recorded_hum(virtual_alsa)[: 2 * HUM_RATE]
    np.testing.assert_array_equal(take.samples.T.reshape(-1), raw)


def test_stop_keeps_what_was_recorded(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "take.wav", sample_rate=HUM_RATE, max_seconds=100.0)
    recorder.start()
    time.sleep(0.005)
    result = recorder.stop()
    assert result.ended is TakeEnd.STOPPED and 0 < result.frames < 100 * HUM_RATE
    take = read_audio(result.path)
    assert take.frames == result.frames
    n = min(take.frames, len(_recorded_hum(virtual_alsa)))  # past the infile's end ALSA repeats stale data
    np.testing.assert_array_equal(take.samples[0, :n], _recorded_hum(virtual_alsa)[:n])


def test_cancel_deletes_the_take(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "take.wav", sample_rate=HUM_RATE, max_seconds=100.0)
    recorder.start()
    result = recorder.cancel()
    assert result.ended is TakeEnd.CANCELLED and result.path is None and result.frames == 0
    assert not (tmp_path / "take.wav").exists()


def test_device_lost_mid_take_keeps_the_audio_and_says_so(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "take.wav", sample_rate=HUM_RATE, max_seconds=100.0)
    recorder.start()
    while recorder.frames_captured < HUM_RATE:
        time.sleep(0.001)
    recorder._stream.abort()  # what PortAudio does when the device disappears: the stream ends by itself
    result = recorder.wait(timeout=20)
    assert result is not None and result.ended is TakeEnd.DEVICE_LOST
    assert "stopped delivering audio" in result.message and "kept" in result.message
    take = read_audio(result.path)
    assert take.frames == result.frames >= HUM_RATE
    np.testing.assert_array_equal(take.samples[0, :HUM_RATE], _recorded_hum(virtual_alsa)[:HUM_RATE])


def test_overflows_are_counted_and_reported(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "take.wav", sample_rate=HUM_RATE, max_seconds=100.0)
    recorder.start()
    overflow = sd.CallbackFlags(sd._lib.paInputOverflow)
    recorder._callback(np.zeros((256, 1), np.float32), 256, None, overflow)  # as PortAudio reports one
    assert recorder.stop().overflows == 1


def test_no_input_device_is_a_clear_error(no_audio_devices: None, tmp_path: Path) -> None:
    with pytest.raises(AudioDeviceError, match="no input device is available"):
        Recorder(tmp_path / "take.wav")
    assert not (tmp_path / "take.wav").exists()


def test_unsupported_rate_is_a_clear_error(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    with pytest.raises(AudioDeviceError, match="does not support 1000000 Hz"):
        Recorder(tmp_path / "take.wav", sample_rate=1_000_000)


def test_without_a_rate_the_device_default_is_used(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "take.wav", max_seconds=0.1)
    assert recorder.sample_rate == int(input_devices()[0].default_rate)


_CRASHING_TAKE = """
import os, signal, sys, time
from sketchpad.audio.recorder import Recorder
recorder = Recorder(sys.argv[1], sample_rate=48000, max_seconds=100.0)
recorder.start()
while recorder.frames_on_disk < 96000:
    time.sleep(0.0005)
print(recorder.frames_on_disk, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_crash_mid_take_leaves_a_readable_file(virtual_alsa: VirtualAlsa, tmp_path: Path) -> None:
    path = tmp_path / "crash.wav"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.run([sys.executable, "-c", _CRASHING_TAKE, str(path)], env=env, capture_output=True,
                           text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    on_disk = int(child.stdout.split()[0])
    take = read_audio(path)
    assert take.frames >= on_disk >= 96000
    n = min(take.frames, len(_recorded_hum(virtual_alsa)))
    np.testing.assert_array_equal(take.samples[0, :n], _recorded_hum(virtual_alsa)[:n])


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 256 KiB tmpfs: a real full disk (needs the privilege to mount; skipped without it)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


def test_a_take_on_a_full_disk_says_the_disk_is_full_and_keeps_what_fitted(
        virtual_alsa: VirtualAlsa, small_disk: Path) -> None:
    recorder = Recorder(small_disk / "take.wav", sample_rate=HUM_RATE, max_seconds=10.0)
    recorder.start()
    result = recorder.wait(timeout=30)
    assert result is not None and result.ended is TakeEnd.WRITE_FAILED
    assert "disk" in result.message and "full" in result.message and "System error" not in result.message
    kept = read_audio(result.path)  # what reached the disk before it filled is a playable take
    assert 0 < result.frames <= kept.samples.shape[1] < 10 * HUM_RATE


def test_a_write_error_mid_take_is_explained_by_its_cause(virtual_alsa: VirtualAlsa, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Always runs (no mount needed): the disk fails after a second of audio, with the errno libsndfile hides."""
    import errno

    from sketchpad.audio.take_file import TakeFile

    real_write = TakeFile.write

    def failing(self: TakeFile, block: np.ndarray) -> None:
        if self.frames >= HUM_RATE:
            raise OSError(errno.EIO, "Input/output error")
        real_write(self, block)

    monkeypatch.setattr(TakeFile, "write", failing)
    recorder = Recorder(tmp_path / "take.wav", sample_rate=HUM_RATE, max_seconds=5.0)
    recorder.start()
    result = recorder.wait(timeout=30)
    assert result is not None and result.ended is TakeEnd.WRITE_FAILED
    assert "input/output error" in result.message and "failing" in result.message
    assert read_audio(result.path).samples.shape[1] >= HUM_RATE
