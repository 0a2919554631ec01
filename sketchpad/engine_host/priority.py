"""The engine process runs below the window: background rendering yields, the interface always wins.

Desktop audio programs render in the background at a lower OS priority and let that work use every
core; the window's event loop and its audio callback are then never starved by it, even while the
engine imports torch at start-up or generates on all cores. The engine lowers its own priority first
thing, before any heavy import; the CLI's in-process engine leaves the priority alone (it is the only
thing the user is waiting for).

- Linux and macOS: nice +10. The scheduler still gives the engine every idle cycle; it only loses
  when the window (nice 0) wants a core. macOS's background QoS class is not used: on Apple silicon
  it confines a process to the efficiency cores, which would slow generation several times over.
- Windows: BELOW_NORMAL_PRIORITY_CLASS (psutil calls SetPriorityClass on this process's handle).

A failure is written to the engine's log and never stops the engine: it only runs at normal priority.
"""

from __future__ import annotations

import os
import sys

NICE_STEP = 10  # far enough below the window to lose every contest, not so far that a busy system starves it


def run_in_background() -> bool:
    """Lower this process's CPU priority below its parent's; True when it was lowered."""
    try:
        if sys.platform == "win32":
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            os.nice(NICE_STEP)
    except Exception as error:  # noqa: BLE001 - OSError, psutil.AccessDenied and kin: never fatal
        _report(error)
        return False
    return True


def _report(error: BaseException) -> None:
    print(f"sketchpad engine: runs at normal priority (could not lower it: {error})", file=sys.stderr, flush=True)
