"""RemoteEngine's sentences for what a real server can do wrong: another protocol, a stream cut short.

A plain standard-library HTTP server plays the misbehaving server (no engine is involved: these are
faults of the connection, which a healthy Sketchpad server never produces on purpose).
"""

from __future__ import annotations

import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from sketchpad.engine_link.remote import RemoteEngine, RemoteError, ServerAddress
from sketchpad.engine_link.wire import PROTOCOL_VERSION, encode


class Misbehaving(BaseHTTPRequestHandler):
    protocol = PROTOCOL_VERSION + 1
    cut_after = 0  # bytes of a result to send before the connection drops

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps({"protocol": self.protocol, "device": "cpu", "models": []}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        frames = encode({"type": "started", "id": 1}) + encode(
            {"type": "result", "id": 1, "value": {"audio": np.zeros((2, 32000), dtype=np.float32)}})
        self.send_response(200)
        self.send_header("Sketchpad-Job", "abc")
        self.end_headers()
        self.wfile.write(frames[:self.cut_after])
        self.wfile.flush()
        self.close_connection = True


@pytest.fixture
def misbehaving():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_server_of_another_protocol_version_is_one_sentence(misbehaving, monkeypatch):
    monkeypatch.setattr(Misbehaving, "protocol", PROTOCOL_VERSION + 1)
    inbox: queue.Queue = queue.Queue()
    RemoteEngine(ServerAddress(misbehaving), inbox.put).start()
    failed, message = inbox.get(timeout=10), inbox.get(timeout=10)
    assert failed["type"] == "failed" and failed["message"] == message["problem"]
    assert message["type"] == "exited" and not message["expected"]
    assert message["problem"] == (f"The server at {misbehaving} speaks protocol {PROTOCOL_VERSION + 1}, this "
                                  f"Sketchpad {PROTOCOL_VERSION}: update the app so both are the same version.")


def test_a_connection_dropped_mid_stream_is_the_jobs_error_and_the_next_job_runs(misbehaving, monkeypatch):
    monkeypatch.setattr(Misbehaving, "protocol", PROTOCOL_VERSION)
    monkeypatch.setattr(Misbehaving, "cut_after", 5000)  # the started frame and part of the result
    inbox: queue.Queue = queue.Queue()
    engine = RemoteEngine(ServerAddress(misbehaving), inbox.put)
    engine.start()
    assert [inbox.get(timeout=10)["type"] for _ in range(2)] == ["hello", "ready"]
    engine.request("echo", payload=None)
    assert inbox.get(timeout=10)["type"] == "started"
    error = inbox.get(timeout=10)
    assert error["type"] == "error" and error["kind"] == "EngineCrashedError"
    assert error["message"] == (f"The connection to the server at {misbehaving} dropped in the middle of the job; "
                                "try again.")
    monkeypatch.setattr(Misbehaving, "cut_after", 10**9)  # whole
    engine.request("echo", payload=None)
    assert [inbox.get(timeout=10)["type"] for _ in range(2)] == ["started", "result"]
    assert engine.running


@pytest.mark.parametrize("url", ["gpu-box:8000", "ftp://gpu-box", "http://", "http://host:99999"])
def test_an_address_that_is_not_one(url):
    with pytest.raises(RemoteError, match="is not a server address"):
        ServerAddress(url)
