"""What a server survives (bad requests, a killed replica) and how a client hears about it."""

from __future__ import annotations

import http.client
import os
import signal
import time
from urllib.parse import urlsplit

import numpy as np
import pytest

from sketchpad.engine_link.wire import encode
from tests.server.conftest import TOKEN, Client, wait_until_serving


def post(server, path: str, body: bytes, token: str | None = TOKEN, **headers: str) -> tuple[int, bytes]:
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


GOOD = encode({"type": "echo", "id": 1, "payload": {"samples": np.arange(6, dtype=np.float32).reshape(2, 3)}})


@pytest.mark.parametrize(("body", "token", "headers", "status"), [
    (GOOD, None, {}, 401),
    (GOOD, "wrong-token-123", {}, 401),
    (b"\x00\x00\x00\x05hello", TOKEN, {}, 400),  # not JSON
    (b"\xff\xff\xff\xff", TOKEN, {}, 400),  # claims 4 GiB
    (GOOD[:-3], TOKEN, {}, 400),  # an array frame cut short
    (GOOD + GOOD, TOKEN, {}, 400),  # two requests
    (encode({"type": "shutdown", "id": 1}), TOKEN, {}, 400),  # not a job a client may send
    (encode({"type": "generate", "id": "1", "request": {}}), TOKEN, {}, 400),  # the id is not an integer
    (GOOD, TOKEN, {"Content-Length": str(2**40)}, 413),  # oversized, refused before it is read
    (GOOD, TOKEN, {"Sketchpad-Protocol": "1"}, 409),  # an app of another protocol version
])
def test_bad_requests_get_a_4xx_and_the_server_keeps_serving(server, body, token, headers, status):
    wait_until_serving(server)
    got, answer = post(server, "/v2/jobs", body, token, **headers)
    assert got == status, answer
    got, answer = post(server, "/v2/jobs", GOOD, TOKEN)
    assert got == 200
    from sketchpad.engine_link.wire import FrameDecoder

    found = FrameDecoder().feed(answer)
    assert [message["type"] for message in found] == ["started", "result"]
    assert np.array_equal(found[-1]["value"]["payload"]["samples"], np.arange(6, dtype=np.float32).reshape(2, 3))


def test_an_explicit_cancel_stops_the_job_and_the_next_one_runs(client):
    job = client.generate(duration=120.0)  # 6,000 steps: half a minute or more for the tiny model
    message = {}
    while message.get("stage") != "Generating" or not message.get("done"):
        message, _ = client.until({"progress"}, job_id=job)
    asked = time.monotonic()
    assert client.engine.send({"type": "cancel", "id": job})
    end, _ = client.until({"result", "error", "cancelled"}, job_id=job, timeout=30)
    assert end["type"] == "cancelled", end
    assert time.monotonic() - asked < 5
    again = client.generate()
    end, seen = client.until({"result", "error", "cancelled"}, job_id=again)
    assert end["type"] == "result", end
    assert end["value"]["takes"][0]["audio"].shape == (1, 16000)


def test_dropping_the_connection_cancels_and_the_next_request_works(server, client):
    job = client.generate(duration=120.0)  # a minute or more of work for the tiny model
    client.until({"progress"}, job_id=job)
    client.engine.kill()  # every connection dropped, as a crashed window's would be
    gone, _ = client.until({"exited"}, timeout=30)
    assert gone["problem"]
    fresh = Client(server.url)
    fresh.until({"ready"})
    again = fresh.generate()
    end, _ = fresh.until({"result", "error", "cancelled"}, job_id=again, timeout=10)
    assert end["type"] == "result", end  # the dropped job did not keep the replica busy for 30 s of audio
    fresh.engine.stop()


def test_a_killed_replica_is_one_error_and_the_next_request_works(server, client):
    pid = wait_until_serving(server)["pid"]
    job = client.generate(duration=30.0)
    client.until({"progress"}, job_id=job)
    killed = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    end, _ = client.until({"result", "error", "cancelled"}, job_id=job, timeout=60)
    assert end["type"] == "error" and end["kind"] == "EngineCrashedError", end
    assert "stopped in the middle of this job" in end["message"]
    assert time.monotonic() - killed < 15
    again = client.generate()
    end, _ = client.until({"result", "error", "cancelled"}, job_id=again, timeout=240)
    assert end["type"] == "result", end
    assert wait_until_serving(server)["pid"] != pid  # Serve started a new replica
