"""How long and how much memory refusing each hostile .sketch takes (the cases of
tests/sketch/test_hostile_bundles.py, which asserts their bounds): the slowest and the hungriest."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# Ahead of site-packages, where a dependency installs a top-level package also named `tests`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.sketch.test_hostile_bundles import CASES, refusal_cost  # noqa: E402


def main() -> None:
    costs = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, build, _error, _message in CASES:
            path = Path(folder) / "hostile.sketch"
            path.write_bytes(build())
            costs[name] = refusal_cost(path)[:2]
    slowest = max(costs.items(), key=lambda item: item[1][0])
    hungriest = max(costs.items(), key=lambda item: item[1][1])
    print(f"hostile_bundles: {len(costs)}")
    print(f"hostile_slowest_seconds: {slowest[1][0]:.3f}")
    print(f"hostile_slowest_case: {slowest[0]}")
    print(f"hostile_peak_mib: {hungriest[1][1] / 2**20:.1f}")
    print(f"hostile_hungriest_case: {hungriest[0]}")


if __name__ == "__main__":
    main()
