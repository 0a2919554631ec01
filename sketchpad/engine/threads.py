"""How many threads torch uses on the CPU: every core that is free now.

A step of MusicGen on the CPU streams every weight once, and each thread streams its share, so a
second core nearly halves a step when it is idle. When another process holds a core, torch's threads
wait for each other at every operation: measured here, a two-thread float32 step went from 0.2 s to
1 s while the test suite ran beside it. So the count follows the cores that are free now.

The window used to keep one core to itself. Now the engine process runs below the window's priority
(engine_host/priority.py): the GUI thread and the audio callback take a core the moment they need it,
for the few milliseconds they need it, and the engine has every idle cycle otherwise. Measured with
bench/generation_speed.py --size small --duration 1 on the 2-core Xeon:

- machine quiet (issue 22's figures): one thread, a fast step of 48.9 ms and first audio after 3.23 s;
  two threads, 32.7 ms and 2.04 s. The idle core was worth a third of every step.
- machine shared and loaded (other programs kept both cores busy, load average 6-9): two threads forced
  (SKETCHPAD_THREADS=2), a fast step of 912 ms; the same build choosing for itself took one thread
  and 119 ms in the run before. A pre-empted thread stalls the other at every operation.

- after this change, a quieter moment of the shared machine (load average 1.7 rising to 5), two threads:
  a fast step of 33.0 ms and first audio after 1.66 s; left to choose, at load average 3-4, the engine
  saw the busy cores and took one thread: 57.3 ms.

So every core, as long as it is free: the busy check below is what keeps the second case away.
"""
from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psutil
import torch

SAMPLE_S = 0.1  # long enough to see a busy core, short beside any generation
REUSE_S = 5.0  # jobs in quick succession (a decoder switch after a take) reuse the last look
THREADS_ENV = "SKETCHPAD_THREADS"  # a fixed count, for measurements and people who know better

_last: tuple[float, int] | None = None  # (when, threads) of the last look at the cores


def usable_cores() -> int:
    """Cores this process may run on (its affinity), physical ones where that is known."""
    try:
        allowed = len(psutil.Process().cpu_affinity() or [])
    except (AttributeError, psutil.Error):  # macOS has no affinity
        allowed = 0
    logical = psutil.cpu_count() or 1
    physical = psutil.cpu_count(logical=False) or logical
    # Hyper-threads share a core's memory port and arithmetic units: count physical cores.
    cores = physical if not allowed else max(1, round(allowed * physical / logical))
    return max(1, cores)


def busy_elsewhere(sample_s: float = SAMPLE_S) -> float:
    """How many cores other processes kept busy over a short sample (this process's own work excluded)."""
    me = psutil.Process()
    before_all, before_me = psutil.cpu_times(), me.cpu_times()
    started = time.monotonic()
    time.sleep(sample_s)
    elapsed = time.monotonic() - started
    after_all, after_me = psutil.cpu_times(), me.cpu_times()
    idle_fields = ("idle", "iowait")
    busy = sum(getattr(after_all, name) - getattr(before_all, name) for name in after_all._fields
               if name not in idle_fields and name not in ("guest", "guest_nice"))
    mine = (after_me.user - before_me.user) + (after_me.system - before_me.system)
    return max(0.0, (busy - mine) / max(elapsed, 1e-6))


def choose_threads(cores: int | None = None, busy: float | None = None) -> int:
    """Threads for the next job: every usable core, fewer when others are busy, at least one."""
    fixed = os.environ.get(THREADS_ENV, "").strip()
    if fixed.isdigit() and int(fixed) > 0:
        return int(fixed)
    cores = usable_cores() if cores is None else cores
    busy = busy_elsewhere() if busy is None else busy
    # A core counts as taken once others use more than a quarter of it: sharing it costs more than it adds.
    free = cores - math.ceil(max(0.0, busy - 0.25))
    return max(1, min(cores, free))


def _recent_choice() -> int:
    global _last
    now = time.monotonic()
    if _last is None or now - _last[0] > REUSE_S:
        _last = (now, choose_threads())
    return _last[1]


@contextmanager
def thread_budget(device: str, threads: int | None = None) -> Iterator[int]:
    """torch's intra-op threads for one job on the CPU (restored after); other devices are left alone."""
    if device != "cpu":
        yield torch.get_num_threads()
        return
    chosen = _recent_choice() if threads is None else threads
    before = torch.get_num_threads()
    if chosen != before:
        torch.set_num_threads(chosen)
    try:
        yield chosen
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)
