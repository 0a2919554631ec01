"""MP3 export at a chosen constant bitrate: the files hold that bitrate (measured from their size), a
higher choice makes a larger file, and they read back at the mix's length, level and pitch."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sketchpad.core.write_errors import WriteFailed
from sketchpad.sketch import MP3_BITRATES, Clip, ClipMedia, ExportOptions, Sketch, Track, export_mix, export_stems
from tests.sketch.faults import failing_disk

SECONDS = 4


def tone_sketch(rate: int, amplitude: float = 0.5) -> Sketch:
    """A 1 kHz tone panned hard left (the right channel is silent), SECONDS long."""
    t = np.arange(SECONDS * rate) / rate
    audio = (amplitude * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)[None, :]
    track = Track(pan=-1.0, clips=[Clip(ClipMedia(rate, {"source": audio}))])
    return Sketch(sample_rate=rate, title="Tone", tracks=[track])


def kbps(path: Path) -> float:
    """The bitrate a file actually has: its size over its length (tags and the encoder's frame included)."""
    return path.stat().st_size * 8 / SECONDS / 1000


@pytest.mark.parametrize(("rate", "export_rate"), [(32000, None), (32000, 44100), (32000, 48000)])
def test_each_bitrate_is_written_and_a_higher_one_is_larger(tmp_path: Path, rate: int, export_rate: int | None) -> None:
    sketch = tone_sketch(rate)
    measured = []
    for chosen in MP3_BITRATES:
        path = tmp_path / f"{chosen}.mp3"
        result = export_mix(sketch, path, ExportOptions(format="mp3", bitrate=chosen, sample_rate=export_rate))
        info = sf.info(str(path))
        assert (info.format, info.subtype, info.samplerate) == ("MP3", "MPEG_LAYER_III", export_rate or rate)
        assert info.frames == result.frames == SECONDS * (export_rate or rate)  # gapless: not a frame more
        measured.append(kbps(path))
        assert chosen <= measured[-1] < chosen * 1.04  # constant: the headers add a little, never less
    assert measured == sorted(measured) and len(set(measured)) == len(MP3_BITRATES)


# LAME's presets scale the signal at the lower bitrates (headroom against clipping when decoded).
LAME_SCALE = {128: 0.95, 192: 0.97, 256: 1.0, 320: 1.0}


@pytest.mark.parametrize("chosen", MP3_BITRATES)
def test_an_mp3_reads_back_at_the_mix_level_and_pitch(tmp_path: Path, chosen: int) -> None:
    path = tmp_path / "tone.mp3"
    export_mix(tone_sketch(48000), path, ExportOptions(format="mp3", bitrate=chosen))
    data, rate = sf.read(path, dtype="float32", always_2d=True)
    left, right = data[rate // 10 : -rate // 10].T  # away from the clip's hard edges
    level_db = 20 * np.log10(np.sqrt(np.mean(left**2)) / (0.5 / np.sqrt(2)))
    assert level_db == pytest.approx(20 * np.log10(LAME_SCALE[chosen]), abs=0.05)  # -0.45 dB at 128 kbps
    assert np.sqrt(np.mean(right**2)) < 1e-3  # the silent side stays silent (-60 dB)
    spectrum = np.abs(np.fft.rfft(left * np.hanning(left.size)))
    assert np.argmax(spectrum) * rate / left.size == pytest.approx(1000.0, abs=1.0)
    expected = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(data.shape[0]) / rate)[rate // 10 : -rate // 10]
    assert np.corrcoef(left, expected)[0, 1] > 0.999  # in time with the mix: no encoder delay left in


def test_mp3_stems_and_rates_it_cannot_hold(tmp_path: Path) -> None:
    stems = export_stems(tone_sketch(32000), tmp_path / "stems", ExportOptions(format="mp3", bitrate=128))
    assert [r.path.name for r in stems] == ["01 Track.mp3"] and sf.info(str(stems[0].path)).format == "MP3"
    odd = tone_sketch(24000)  # MPEG-1 holds 32, 44.1 and 48 kHz only
    with pytest.raises(ValueError, match="MP3 files hold 32000, 44100 or 48000 Hz, not the sketch's 24000 Hz; "
                                         "export at 44100 or 48000 Hz"):
        export_mix(odd, tmp_path / "odd.mp3", ExportOptions(format="mp3"))
    assert export_mix(odd, tmp_path / "odd.mp3", ExportOptions(format="mp3", sample_rate=48000)).sample_rate == 48000


def test_an_mp3_on_a_full_disk_says_so_and_keeps_the_previous_file(tmp_path: Path, monkeypatch, capfd) -> None:
    target = tmp_path / "mix.mp3"
    target.write_bytes(b"the previous export")
    failing_disk(monkeypatch, room=10_000)
    with pytest.raises(WriteFailed) as caught:
        export_mix(tone_sketch(32000), target, ExportOptions(format="mp3", bitrate=320))
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC and str(caught.value).startswith("the disk is full: ")
    assert target.read_bytes() == b"the previous export" and [p.name for p in tmp_path.iterdir()] == ["mix.mp3"]
    assert "Traceback" not in capfd.readouterr().err
