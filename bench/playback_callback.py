"""Cost of one playback callback block (512 frames, 16 stereo tracks) as a share of the block's duration,
at the rate the app's player runs (ui/common/playback.py's PLAYER_RATE).

Drives the same Transport.process the PortAudio callback runs, with every track audible and panned, so
the figure is the mixing work itself; PortAudio's own overhead is not included.
"""

from __future__ import annotations

import time

import numpy as np

from sketchpad.audio.mixer import PlacedBuffer, TrackMix, plan_mix
from sketchpad.audio.transport import Transport
from sketchpad.ui.common.playback import PLAYER_RATE as RATE

BLOCK = 512
TRACKS = 16
SECONDS = 20
BLOCKS = 5000


def main() -> None:
    rng = np.random.default_rng(0)
    buffers = [PlacedBuffer(rng.uniform(-0.1, 0.1, (2, RATE * SECONDS)).astype(np.float32), i * 997, f"t{i}")
               for i in range(TRACKS)]
    tracks = {f"t{i}": TrackMix(gain_db=-i * 0.5, pan=(i / (TRACKS - 1)) * 2 - 1) for i in range(TRACKS)}
    transport = Transport(max_block=BLOCK, fade_frames=int(0.005 * RATE))
    transport.plan = plan_mix(buffers, tracks)
    transport.set_loop(0, RATE * SECONDS)
    transport.play()
    out = np.zeros((BLOCK, 2), np.float32)
    for _ in range(200):  # warm caches and the first fade
        transport.process(out)
    costs = np.empty(BLOCKS)
    for i in range(BLOCKS):
        start = time.perf_counter()
        transport.process(out)
        costs[i] = time.perf_counter() - start
    block_seconds = BLOCK / RATE
    print(f"block_ms: {block_seconds * 1e3:.3f}")
    print(f"callback_mean_us: {costs.mean() * 1e6:.1f}")
    print(f"callback_p99_us: {np.percentile(costs, 99) * 1e6:.1f}")
    print(f"callback_max_us: {costs.max() * 1e6:.1f}")
    print(f"callback_load_pct: {costs.mean() / block_seconds * 100:.2f}")


if __name__ == "__main__":
    main()
