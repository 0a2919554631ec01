"""Import: a corpus of ordinary, odd and damaged files generated here."""

from __future__ import annotations

import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sketchpad.audio.errors import AudioFileError
from sketchpad.audio.files import read_audio
from tests.audio.signals import dominant_hz, sine


def _wav_header(channels: int, rate: int, bits: int, data_bytes: int, payload: bytes = b"") -> bytes:
    align = (channels * bits // 8) & 0xFFFF
    fmt = struct.pack("<IHHIIHH", 16, 1, channels, rate, (rate * align) & 0xFFFFFFFF, align, bits)
    return b"RIFF" + struct.pack("<I", 36 + len(payload)) + b"WAVEfmt " + fmt + b"data" + \
        struct.pack("<I", data_bytes) + payload


@pytest.mark.parametrize(("subtype", "tolerance"), [("PCM_U8", 1 / 64), ("PCM_16", 1e-4), ("PCM_24", 1e-6),
                                                   ("PCM_32", 1e-7), ("FLOAT", 0), ("DOUBLE", 0)])
def test_every_bit_depth_decodes_to_float32(tmp_path: Path, subtype: str, tolerance: float) -> None:
    signal = sine(440, 0.5, 44100)
    path = tmp_path / f"{subtype}.wav"
    sf.write(path, signal, 44100, subtype=subtype)
    decoded = read_audio(path)
    assert decoded.samples.dtype == np.float32 and decoded.samples.shape == (1, len(signal))
    assert decoded.sample_rate == 44100 and decoded.source_name == path.name
    np.testing.assert_allclose(decoded.samples[0], signal, atol=tolerance)


@pytest.mark.parametrize("suffix", [".flac", ".ogg", ".mp3", ".aiff"])
def test_compressed_and_other_containers(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"tone{suffix}"
    sf.write(path, np.stack([sine(330, 1.0, 48000), sine(550, 1.0, 48000)], axis=1), 48000)
    decoded = read_audio(path)
    assert decoded.samples.shape[0] == 2 and abs(decoded.frames - 48000) < 2000
    assert dominant_hz(decoded.samples[0, 4000:40000], 48000) == pytest.approx(330, abs=2)
    assert dominant_hz(decoded.samples[1, 4000:40000], 48000) == pytest.approx(550, abs=2)


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 96000, 192000, 7919])
def test_odd_rates_are_resampled_in_pitch_and_length(tmp_path: Path, rate: int) -> None:
    path = tmp_path / "odd.wav"
    sf.write(path, sine(1000, 2.0, rate), rate, subtype="PCM_16")
    decoded = read_audio(path, target_rate=32000)
    assert decoded.sample_rate == 32000
    assert abs(decoded.frames - 64000) <= 2
    assert dominant_hz(decoded.samples[0, 1000:-1000], 32000) == pytest.approx(1000, abs=0.5)


def test_many_channels_become_mono_or_stereo(tmp_path: Path) -> None:
    channels = np.stack([np.full(1000, 0.1 * (c + 1), np.float32) for c in range(8)], axis=1)
    path = tmp_path / "octo.wav"
    sf.write(path, channels, 48000, subtype="FLOAT")
    assert read_audio(path).samples.shape == (8, 1000)
    np.testing.assert_allclose(read_audio(path, channels=1).samples, 0.45, rtol=1e-6)
    stereo = read_audio(path, channels=2).samples
    np.testing.assert_allclose(stereo[:, 0], [0.1, 0.2], rtol=1e-6)
    mono_file = tmp_path / "mono.wav"
    sf.write(mono_file, channels[:, 0], 48000, subtype="FLOAT")
    np.testing.assert_array_equal(read_audio(mono_file, channels=2).samples, np.full((2, 1000), np.float32(0.1)))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _cut(tmp_path: Path, suffix: str) -> Path:
    whole = tmp_path / f"whole{suffix}"
    sf.write(whole, sine(440, 1.0, 48000), 48000)
    data = whole.read_bytes()
    return _write(tmp_path / f"cut{suffix}", data[: len(data) // 2])


@pytest.mark.parametrize(("make", "reason"), [
    (lambda d: _write(d / "empty.wav", b""), "is empty"),
    (lambda d: _write(d / "noise.wav", np.random.default_rng(1).bytes(5000)), "not a readable audio file"),
    (lambda d: _write(d / "notes.mp3", b"not audio at all\n" * 100), "not a readable audio file"),
    (lambda d: _write(d / "header.wav", _wav_header(1, 48000, 16, 0)), "holds no audio"),
    (lambda d: _write(d / "nochan.wav", _wav_header(0, 48000, 16, 100, bytes(100))), "Channel count is zero"),
    (lambda d: _write(d / "rate0.wav", _wav_header(1, 0, 16, 100, bytes(100))), "impossible sample rate"),
    (lambda d: _write(d / "crowd.wav", _wav_header(5000, 48000, 16, 10000, bytes(10000))), "channels"),
    (lambda d: _cut(d, ".flac"), "truncated"),
    (lambda d: _cut(d, ".ogg"), "not a readable audio file"),
    (lambda d: _cut(d, ".mp3"), "truncated"),
    (lambda d: d / "missing.wav", "cannot be opened"),
])
def test_bad_files_give_one_clear_line(tmp_path: Path, make, reason: str) -> None:
    path = make(tmp_path)
    with pytest.raises(AudioFileError) as caught:
        read_audio(path)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ") and reason in message and "\n" not in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_samples_are_refused(tmp_path: Path, bad: float) -> None:
    signal = sine(440, 1.0, 48000)
    signal[24000] = bad
    path = tmp_path / "bad.wav"
    sf.write(path, signal, 48000, subtype="FLOAT")
    with pytest.raises(AudioFileError, match=r"NaN or infinite samples \(first at 0:00.5\)"):
        read_audio(path)


def test_truncated_wav_keeps_what_is_there(tmp_path: Path) -> None:
    path = _cut(tmp_path, ".wav")  # libsndfile trusts the file size over the header for WAV
    decoded = read_audio(path)
    np.testing.assert_allclose(decoded.samples[0], sine(440, 1.0, 48000)[: decoded.frames], atol=1e-4)
    assert 20000 < decoded.frames < 24000


def test_a_header_claiming_hours_of_audio_reads_what_exists(tmp_path: Path) -> None:
    path = _write(tmp_path / "claims.wav", _wav_header(1, 48000, 16, 0xFFFFFFF0, b"\x01\x00" * 1000))
    assert read_audio(path).frames == 1000


def test_too_long_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    sf.write(path, np.zeros(48000 * 5, np.float32), 48000, subtype="PCM_16")
    with pytest.raises(AudioFileError, match=r"too long \(0:05.0; the limit is 0:02.0\)"):
        read_audio(path, max_seconds=2)


def test_memory_stays_near_the_size_of_the_result(tmp_path: Path) -> None:
    path = tmp_path / "minute.flac"
    rng = np.random.default_rng(2)
    sf.write(path, rng.uniform(-0.5, 0.5, (48000 * 60, 2)).astype(np.float32), 48000, subtype="PCM_16")
    tracemalloc.start()
    decoded = read_audio(path, target_rate=32000)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    result = decoded.samples.nbytes
    assert decoded.samples.shape == (2, 32000 * 60)
    assert peak < result + 8 * 1024 * 1024  # the result plus a few blocks, never a second full copy


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(channels=st.integers(0, 70000), rate=st.integers(0, 2**32 - 1), bits=st.sampled_from([0, 7, 8, 16, 24, 33]),
       claim=st.integers(0, 2**32 - 1), payload=st.binary(max_size=512))
def test_random_headers_never_crash(tmp_path: Path, channels: int, rate: int, bits: int, claim: int,
                                    payload: bytes) -> None:
    path = _write(tmp_path / "fuzz.wav", _wav_header(channels % 65536, rate, bits, claim, payload))
    try:
        decoded = read_audio(path)
    except AudioFileError:
        return
    assert decoded.samples.dtype == np.float32 and np.isfinite(decoded.samples).all()
