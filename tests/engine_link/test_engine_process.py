"""The engine process, spoken to as the window speaks to it: results, cancel, queue, memory, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from sketchpad.engine.request import GenerationRequest
from sketchpad.engine_link import messages
from tests import tiny_models as build


def test_a_take_from_the_process_equals_the_same_take_made_in_process(link, engine, tiny_models):
    job = link.generate(str(tiny_models.mono), duration=1.0, seed=11)
    assert link.wait("started", job)["id"] == job
    facts = messages.ModelFacts.from_message(link.wait("loaded", job)["facts"])
    value = link.wait("result", job)["value"]
    take = messages.result_from_message(value["takes"][0])
    assert facts.key == str(tiny_models.mono.resolve()) and facts.sample_rate == take.sample_rate == 32000
    direct = engine.generate(GenerationRequest(model=str(tiny_models.mono), prompts=("lofi piano",), duration=1.0,
                                               seed=11))[0]
    np.testing.assert_array_equal(take.tokens, direct.tokens)
    np.testing.assert_array_equal(take.audio, direct.audio)
    assert take.params == direct.params
    decoded = link.process.request("decode", model=str(tiny_models.mono), tokens=take.tokens, decoder="encodec", seed=0)
    np.testing.assert_allclose(link.wait("result", decoded)["value"]["audio"], take.audio, atol=1e-5)


def test_cancel_stops_a_long_generation_within_one_step_and_the_engine_goes_on(link, tiny_models):
    job = link.generate(str(tiny_models.mono), duration=120.0)
    while link.wait("progress", job)["done"] < 5:
        pass
    link.process.send({"type": "cancel", "id": job})
    cancelled = link.wait("cancelled", job, timeout=10)
    assert cancelled["steps_after_cancel"] is not None and cancelled["steps_after_cancel"] <= 1
    after = link.generate(str(tiny_models.mono), duration=0.5)
    assert link.wait("result", after)["value"]["takes"]


def test_a_second_request_waits_its_turn_and_a_queued_one_can_be_cancelled(link, tiny_models):
    first = link.generate(str(tiny_models.mono), duration=6.0)
    second = link.generate(str(tiny_models.mono), duration=0.5)
    third = link.generate(str(tiny_models.mono), duration=0.5)
    assert link.wait("queued", second)["position"] == 1
    assert link.wait("queued", third)["position"] == 2
    link.process.send({"type": "cancel", "id": third})
    link.wait("result", first)
    link.wait("started", second)
    link.wait("result", second)
    assert link.wait("cancelled", third)["id"] == third
    assert not any(m["type"] == "started" and m.get("id") == third for m in link.seen)


def test_engine_errors_keep_their_kind_and_the_engine_stays_up(link, tiny_models, tmp_path):
    job = link.process.request("load", model=str(tmp_path / "no-such-model"))
    error = link.wait("error", job)
    assert error["kind"] == "ModelNotFoundError" and "no-such-model" in error["message"]
    assert isinstance(messages.error_from_message(error), messages.errors.ModelNotFoundError)
    job = link.process.request("decode", model=str(tiny_models.mono), tokens=np.zeros((2, 5), np.int64),
                               decoder="encodec", seed=0)
    assert link.wait("error", job)["kind"] == "InvalidRequestError"
    link.process.send({"type": "no such thing", "id": 99})
    assert link.wait("error", 99)["kind"] == "InvalidRequestError"
    assert link.wait("result", link.process.request("load", model=str(tiny_models.mono)))


def _rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


def test_unload_gives_the_memory_of_the_models_back(own_link, tiny_models, tmp_path):
    big = build.build_model_folder(tmp_path / "bigger", seed=9, dim=512, layers=12)  # ~40 M weights, 150 MB
    pid = own_link.process.pid
    own_link.wait("result", own_link.generate(str(tiny_models.mono), duration=0.5))  # everything imported, warm
    own_link.wait("result", own_link.process.request("unload"))
    idle = _rss_mb(pid)
    own_link.wait("result", own_link.generate(str(big), duration=0.5))
    loaded = _rss_mb(pid)
    unloaded = own_link.wait("result", own_link.process.request("unload"))["value"]["memory"]["rss"] / 2**20
    after = _rss_mb(pid)
    assert loaded - idle > 120, (idle, loaded)
    assert abs(unloaded - after) < 8
    assert after - idle < 0.2 * (loaded - idle), (idle, loaded, after)


def test_a_killed_engine_is_reported_and_a_new_one_works(tiny_models):
    from tests.engine_link.conftest import Link

    first = Link().start()
    job = first.generate(str(tiny_models.mono), duration=60.0)
    first.wait("progress", job)
    os.kill(first.process.pid, signal.SIGKILL)
    exited = first.wait("exited")
    assert exited["code"] == -signal.SIGKILL and exited["expected"] is False
    second = Link().start()
    try:
        assert second.wait("result", second.generate(str(tiny_models.mono), duration=0.5))
    finally:
        second.stop()


def test_stopping_mid_generation_ends_the_process_at_once(own_link, tiny_models):
    job = own_link.generate(str(tiny_models.mono), duration=120.0)
    own_link.wait("progress", job)
    pid = own_link.process.pid
    began = time.monotonic()
    own_link.process.stop(timeout=5.0)
    assert time.monotonic() - began < 2.0
    assert not psutil.pid_exists(pid)
    assert own_link.wait("exited")["expected"] is True


def test_an_engine_outlives_no_window_killed_without_warning(tiny_models, tmp_path):
    """The window's process dies (SIGKILL: no clean-up runs); its engine ends by itself."""
    window = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, threading, time
        from sketchpad.engine_link.client import EngineOptions, EngineProcess
        greeted = threading.Event()
        process = EngineProcess(EngineOptions(device="cpu", offline=True),
                                lambda message: greeted.set() if message.get("type") == "hello" else None)
        process.start()
        greeted.wait(120)  # the engine is up and speaking
        print(process.pid, flush=True)
        time.sleep(600)
    """)], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    engine_pid = int(window.stdout.readline())
    engine = psutil.Process(engine_pid)
    window.kill()
    window.wait()
    try:
        engine.wait(timeout=30)
    except psutil.TimeoutExpired:
        engine.kill()
        pytest.fail("the engine process kept running after its window was killed")


def test_garbage_on_the_pipe_ends_the_engine_cleanly(own_link):
    stdin = own_link.process._process.stdin
    stdin.write(b"\x00\x00\x00\x05hello")
    stdin.flush()
    assert own_link.wait("exited", timeout=30)["code"] == 3  # it ends itself, saying why in its log


def test_the_engine_says_what_it_offers_from_its_own_disk(link, tiny_models):
    """The window decides from this (model picker, network notice), never from its own caches."""
    offers = link.ready["offers"]
    assert offers["protocol"] == 2 and offers["device"] == link.ready["device"] and offers["remote"] is False
    assert set(offers["precisions"]) == {"fast", "exact"} and offers["precision"] in offers["precisions"]
    assert offers["text_encoder_on_disk"] is True and offers["melody_extractor_on_disk"] is True  # the tiny caches
    assert offers["mbd_on_disk"] is False
    names = {entry["name"]: entry["on_disk"] for entry in offers["models"]}
    assert "facebook/musicgen-small" in names and not any(names.values())  # nothing of the hub's is cached here


def test_a_split_travels_through_the_process_with_progress(link, tiny_models):
    audio = np.stack([np.linspace(-0.5, 0.5, 48000), np.zeros(48000)]).astype(np.float32)
    job = link.process.request("split", audio=audio, sample_rate=48000)
    assert link.wait("progress", job)["stage"] == "Splitting into stems"
    value = link.wait("result", job)["value"]
    assert value["sample_rate"] == 48000 and list(value["stems"]) == ["drums", "bass", "other", "vocals"]
    np.testing.assert_allclose(sum(value["stems"].values()), audio, atol=1e-6)
    assert link.ready["offers"]["stems"] is True
