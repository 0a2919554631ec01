"""A step that reports nothing for minutes (a model downloading) still says the job is alive, so the
window's job deadline (client.py) only ends engines that have really hung."""

from __future__ import annotations

import time

from sketchpad.engine_host import jobs
from sketchpad.engine_host.jobs import Reporter, still_working


def test_a_silent_step_sends_a_sign_of_life_until_it_ends(monkeypatch):
    monkeypatch.setattr(jobs, "STILL_WORKING_S", 0.05)
    sent: list[dict] = []
    report = Reporter(sent.append, job_id=7)
    with still_working(report, "Loading the model"):
        time.sleep(0.4)  # a download: nothing reported by the step itself
    during = len(sent)
    time.sleep(0.2)
    assert during >= 4 and len(sent) == during  # every 50 ms while it ran, nothing once it ended
    assert all(message == {"type": "progress", "id": 7, "stage": "Loading the model", "done": 0, "total": 0}
               for message in sent)
