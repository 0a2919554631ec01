"""Each end of the engine link faced with a hostile peer: a clean message or a clean exit within 2 s,
never a hang, never an orphan process, never an exception escaping a reader thread."""

from __future__ import annotations

import io
import os
import queue
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings

from sketchpad.engine_host import host as host_module
from sketchpad.engine_link import client
from sketchpad.engine_link.client import EngineOptions, EngineProcess
from sketchpad.engine_link.wire import PROTOCOL_VERSION, encode
from tests.engine_link.hostile import CRAFTED, hostile_streams

# A peer in place of the engine: it says hello, then writes the bytes in the file it is given, then
# stays alive (as a hung engine would) until it is killed.
PEER = """
import sys, time
sys.stdout.buffer.write(open(sys.argv[1], "rb").read())
sys.stdout.flush()
time.sleep(60)
"""


def _hello() -> bytes:
    return encode({"type": "hello", "protocol": PROTOCOL_VERSION, "pid": 0})


@pytest.fixture
def peer_engine(monkeypatch, tmp_path):
    """An EngineProcess whose process is the peer above, fed `data`; its messages and its pid."""

    def start(data: bytes, *, silence: float = 1.0) -> tuple[EngineProcess, queue.Queue]:
        script, payload = tmp_path / "peer.py", tmp_path / f"payload-{time.monotonic_ns()}"
        script.write_text(PEER)
        payload.write_bytes(data)
        monkeypatch.setattr(client, "host_command", lambda: [sys.executable, str(script), str(payload)])
        inbox: queue.Queue = queue.Queue()
        process = EngineProcess(EngineOptions(silence_limit_s=silence), inbox.put)
        process.start()
        return process, inbox

    return start


def _exited_within(inbox: queue.Queue, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        message = inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        if message["type"] == "exited":
            return message


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hostile_streams())
def test_the_window_survives_any_engine_output_and_ends_that_engine(peer_engine, data):
    process, inbox = peer_engine(_hello() + data)
    began = time.monotonic()
    exited = _exited_within(inbox, 10.0)
    # the peer never stops by itself: whatever it sent, the window noticed and ended it
    assert time.monotonic() - began < 2.5, exited
    assert exited["expected"] is False and exited["problem"], exited
    assert not psutil.pid_exists(process.pid) or psutil.Process(process.pid).status() == psutil.STATUS_ZOMBIE


def test_an_engine_of_another_protocol_is_refused_in_one_sentence(peer_engine):
    for version in (1, True, "2", 3):
        process, inbox = peer_engine(encode({"type": "hello", "protocol": version}))
        exited = _exited_within(inbox, 5.0)
        assert "protocol" in exited["problem"] and "reinstall" in exited["problem"], exited


def test_a_silent_engine_is_noticed_by_its_missing_heartbeat(peer_engine):
    process, inbox = peer_engine(_hello(), silence=1.0)
    began = time.monotonic()
    exited = _exited_within(inbox, 5.0)
    assert 0.9 < time.monotonic() - began < 3.0
    assert "no sign of life" in exited["problem"]


def test_a_job_that_goes_silent_while_the_engine_beats_is_noticed(monkeypatch, tmp_path):
    """The main thread hung, the heartbeat thread alive: the job's own deadline ends the engine."""
    script = tmp_path / "beating.py"
    script.write_text(f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).parents[2])!r})
from sketchpad.engine_link.wire import write_message, read_message
out = sys.stdout.buffer
write_message(out, {{"type": "hello", "protocol": {PROTOCOL_VERSION}}})
read_message(sys.stdin.buffer)  # the window's hello
job = read_message(sys.stdin.buffer)
write_message(out, {{"type": "started", "id": job["id"]}})
while True:
    time.sleep(0.1)
    write_message(out, {{"type": "heartbeat"}})
""")
    monkeypatch.setattr(client, "host_command", lambda: [sys.executable, str(script)])
    inbox: queue.Queue = queue.Queue()
    process = EngineProcess(EngineOptions(silence_limit_s=5.0, job_limit_s=1.0), inbox.put)
    process.start()
    process.request("generate", request={})
    exited = _exited_within(inbox, 10.0)
    assert "said nothing for 1 s" in exited["problem"], exited


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


@settings(max_examples=150, deadline=None)
@given(data=hostile_streams())
def test_the_engine_reader_ends_its_process_on_any_input(data):
    """The real Host reader, fed hostile bytes: it ends the process (clean EOF: 0, unreadable: 3), it
    never raises anything else, and it never waits for more than the stream holds."""
    sent: list[dict] = []
    host = host_module.Host(type("Sink", (), {"send": staticmethod(sent.append)})(), device="cpu", offline=True)
    original = os._exit
    try:
        os._exit = lambda code: (_ for _ in ()).throw(_Exit(code))  # type: ignore[assignment]
        began = time.monotonic()
        with pytest.raises(_Exit) as ended:
            host.read(io.BytesIO(data))
    finally:
        os._exit = original
    assert ended.value.code in (0, 3, 4) and time.monotonic() - began < 2.0


@pytest.mark.parametrize("data", CRAFTED[:3], ids=["deep", "long-int", "terabytes"])
def test_the_real_engine_process_ends_itself_on_hostile_input(data):
    engine = subprocess.Popen([sys.executable, "-m", "sketchpad.engine_host", "--device", "cpu", "--offline"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              cwd=Path(__file__).parents[2])
    try:
        assert engine.stdout.read(4)  # its hello: the reader thread is running
        engine.stdin.write(encode({"type": "hello", "protocol": PROTOCOL_VERSION}) + data)
        engine.stdin.flush()
        assert engine.wait(timeout=30) == 3
    finally:
        engine.kill()
        engine.wait()
