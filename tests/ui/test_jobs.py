"""The worker queue on its own: generator jobs, progress, cancel at a yield, superseded results dropped."""

from __future__ import annotations

import threading

import pytest

from sketchpad.ui.jobs import JobQueue, Progress


@pytest.fixture
def queue(qtbot):
    jobs = JobQueue()
    yield jobs
    jobs.shutdown()


def test_a_generator_job_reports_each_yield_then_its_result(qtbot, queue):
    def job(context):
        for step in range(3):
            yield Progress("counting", step + 1, 3)
        return "done"

    seen = []
    queue.progress.connect(lambda _id, progress: seen.append(progress.done))
    with qtbot.waitSignal(queue.result, timeout=5000) as blocker:
        job_id = queue.submit(job)
    assert blocker.args == [job_id, "done"] and seen == [1, 2, 3]


def test_cancelling_stops_at_the_next_yield(qtbot, queue):
    release, reached = threading.Event(), []

    def job(context):
        yield Progress("first")
        release.wait(5)
        reached.append("after")
        yield Progress("second")
        reached.append("never")
        return "no"

    with qtbot.waitSignal(queue.cancelled, timeout=5000):
        job_id = queue.submit(job)
        qtbot.waitSignal(queue.progress, timeout=5000).wait()
        queue.cancel(job_id)
        release.set()
    assert reached == ["after"]


def test_a_newer_job_in_the_lane_supersedes_and_drops_the_older(qtbot, queue):
    gate = threading.Event()

    def slow(context):
        yield Progress("waiting")
        gate.wait(5)
        return "stale"

    def fast(context):
        return "fresh"
        yield  # noqa: B901 - makes this a generator

    results, cancelled = [], []
    queue.result.connect(lambda _id, value: results.append(value))
    queue.cancelled.connect(cancelled.append)
    queue.submit(slow, lane="generate")
    newer = queue.submit(fast, lane="generate")
    gate.set()
    qtbot.waitUntil(lambda: results == ["fresh"], timeout=5000)
    qtbot.wait(50)
    assert results == ["fresh"] and cancelled == [] and not queue.is_live(newer)


def test_an_exception_becomes_an_error_with_its_message(qtbot, queue):
    def job(context):
        yield Progress("about to fail")
        raise ValueError("the file is damaged")

    with qtbot.waitSignal(queue.error, timeout=5000) as blocker:
        queue.submit(job)
    assert blocker.args[1] == "the file is damaged" and "ValueError" in blocker.args[2]
