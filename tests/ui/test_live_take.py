"""Sound while it generates: the engine's pieces grow the take in the waveform, they join into the take
within -60 dBFS, and the player waits at the edge of what exists instead of running into silence."""

from __future__ import annotations

import numpy as np

from sketchpad.engine.request import GenerationRequest, GenerationResult
from sketchpad.engine_link.messages import ModelFacts
from sketchpad.ui.common.engine_service import Generated, PartialTake
from sketchpad.ui.common.jobs import JobHandle
from tests.ui.conftest import GENERATE_TIMEOUT_MS

RATE = 32000


def test_pieces_arrive_before_the_take_and_join_into_it(qtbot, window):
    pieces: list[PartialTake] = []
    shown: list[str] = []
    window.service.generation_started.connect(lambda job, _request: job.partial.connect(pieces.append))
    window.live_take.changed.connect(lambda: shown.append(window.waveform.info.text()))
    window.idea.prompt.setPlainText("slow strings")
    window.idea.duration.setValue(6.0)
    with qtbot.waitSignal(window.generation.takes_ready, timeout=GENERATE_TIMEOUT_MS) as done:
        window.idea.generate_button.click()
    take = done.args[1][0]
    assert len(pieces) >= 3 and pieces[0].start == 0 and all(p.sample_rate == RATE for p in pieces)
    joined = np.zeros_like(take.audio)
    for piece in pieces:
        end = min(piece.start + piece.audio.shape[2], take.audio.shape[1])
        joined[:, piece.start:end] = piece.audio[0][:, :end - piece.start]
    assert sum(piece.audio.shape[2] for piece in pieces) == take.audio.shape[1]  # end to end, no gap, no overlap
    assert 20 * np.log10(np.abs(joined - take.audio).max() + 1e-12) < -60
    assert any(text.startswith("Generating: 1.0 of 6 s ready") for text in shown)
    assert window.live_take.complete and np.array_equal(window.live_take.buffer, take.audio)


def _piece(audio: np.ndarray, start: int, end: int) -> PartialTake:
    return PartialTake(audio[None, :, start:end].copy(), start, RATE)


def test_the_player_waits_at_the_edge_of_what_exists_and_goes_on(qtbot, window, virtual_alsa):
    live = window.live_take
    take = (np.sin(np.arange(4 * RATE) * 2 * np.pi * 220 / RATE) * 0.3).astype(np.float32)[None, :]
    job = JobHandle(lambda: None)
    live.follow(job, GenerationRequest(model="x", prompts=("x",), duration=4.0))
    assert not live.play()  # nothing exists yet
    job.partial.emit(_piece(take, 0, RATE))
    assert window.waveform.listen_action.isVisible()
    window.waveform.listen_action.trigger()
    # The virtual device has no clock: the player races ahead, so it must stop at the first second's edge.
    qtbot.waitUntil(lambda: live.waits == 1, timeout=5_000)
    assert 0.9 <= live.heard_seconds <= 1.0
    qtbot.wait(200)
    assert live.waits == 1 and not window.playback.is_playing  # waiting there, not running into silence
    job.partial.emit(_piece(take, RATE, int(2.5 * RATE)))
    qtbot.waitUntil(lambda: live.waits == 2, timeout=5_000)
    assert 2.4 <= live.heard_seconds <= 2.5
    result = GenerationResult(audio=take, tokens=np.zeros((4, 200), np.int32), sample_rate=RATE)
    job.succeed(Generated([result], ModelFacts("x", False, 1, RATE, 30.0), 1.0))
    qtbot.waitUntil(lambda: live.heard_seconds >= 3.9, timeout=5_000)
    assert live.waits == 2 and live.complete
    window.playback.close()
    heard = virtual_alsa.played()
    assert heard.shape[1] > 0 and np.abs(heard).max() > 0.1
