"""The worker queue on its own: generator jobs, one handle each, progress, cancel at a yield, errors."""

from __future__ import annotations

import threading

import pytest

from sketchpad.ui.common.jobs import JobQueue, Progress


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

    handle = queue.submit(job)
    seen = []
    handle.progress.connect(lambda progress: seen.append(progress.done))
    with qtbot.waitSignal(handle.result, timeout=5000) as blocker:
        pass
    assert blocker.args == ["done"] and seen == [1, 2, 3] and handle.done and not queue.busy


def test_cancelling_stops_at_the_next_yield(qtbot, queue):
    release, reached = threading.Event(), []

    def job(context):
        yield Progress("first")
        release.wait(5)
        reached.append("after")
        yield Progress("second")
        reached.append("never")
        return "no"

    handle = queue.submit(job)
    results = []
    handle.result.connect(results.append)
    with qtbot.waitSignal(handle.cancelled, timeout=5000):
        qtbot.waitSignal(handle.progress, timeout=5000).wait()
        handle.cancel()
        release.set()
    assert reached == ["after"] and results == []


def test_jobs_run_one_at_a_time_in_order_and_a_waiting_one_can_be_cancelled(qtbot, queue):
    gate, order = threading.Event(), []

    def first(context):
        gate.wait(5)
        order.append("first")
        return 1
        yield  # noqa: B901 - makes this a generator

    def second(context):
        order.append("second")
        return 2
        yield  # noqa: B901

    handles = [queue.submit(first), queue.submit(second), queue.submit(second)]
    handles[2].cancel()
    gate.set()
    with qtbot.waitSignal(handles[2].cancelled, timeout=5000):
        pass
    qtbot.waitUntil(lambda: handles[1].done, timeout=5000)
    assert order == ["first", "second"]


def test_an_exception_becomes_an_error_with_its_message(qtbot, queue):
    def job(context):
        yield Progress("about to fail")
        raise ValueError("the file is damaged")

    handle = queue.submit(job)
    with qtbot.waitSignal(handle.error, timeout=5000) as blocker:
        pass
    assert blocker.args[0] == "the file is damaged" and "ValueError" in blocker.args[1]
