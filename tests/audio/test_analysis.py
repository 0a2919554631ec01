"""Tempo, metre and key of synthetic material whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.audio.analysis import analyse
from tests.audio.music import RATE, clicks, drums, progression

TEMPI = (60, 73, 97, 120, 133, 151, 180)


@pytest.mark.parametrize("bpm", TEMPI)
@pytest.mark.parametrize("material", [clicks, drums], ids=["clicks", "swung-drums"])
def test_tempo_within_one_percent_and_no_octave_error(material, bpm):
    found = analyse(material(bpm), RATE)
    assert found.tempo is not None and abs(found.tempo - bpm) / bpm < 0.01, found
    assert found.beats_per_bar == 4


@pytest.mark.parametrize("material", [clicks, drums], ids=["clicks", "drums"])
def test_a_waltz_is_three_beats_to_the_bar(material):
    found = analyse(material(100, beats_per_bar=3), RATE)
    assert found.metre == "3/4" and abs(found.tempo - 100) < 1


def test_stereo_at_another_rate_reads_the_same():
    mono = drums(120)[0]
    stereo = np.stack([mono, 0.5 * mono])
    from sketchpad.core.resample import resample

    found = analyse(resample(stereo, RATE, 44100), 44100)
    assert abs(found.tempo - 120) < 1.2 and found.beats_per_bar == 4


@pytest.mark.parametrize(("tonic", "minor", "key"), [(60, False, "C major"), (57, True, "A minor"),
                                                     (63, False, "Eb major"), (62, True, "D minor")])
def test_key_of_a_chord_progression(tonic, minor, key):
    found = analyse(progression(tonic, minor), RATE)
    assert found.key == key and found.confidence > 0.8
    assert found.tempo is None  # four chords in 16 s: no steady beat, and none is invented


def test_silence_noise_and_a_short_file_are_unknown_not_guessed():
    noise = np.random.default_rng(1).standard_normal((1, 20 * RATE)).astype(np.float32) * 0.1
    for samples in (np.zeros((2, 20 * RATE), np.float32), noise, clicks(120, seconds=2.0)):
        found = analyse(samples, RATE)
        assert found.tempo is None and found.key is None, found
    assert analyse(drums(120), RATE).key is None  # drums have no key
    assert found.lines() == ["tempo: unknown", "metre: unknown", "key: unknown"]
