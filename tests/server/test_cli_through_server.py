"""`sketchpad generate --server` and `sketchpad models --server`, in fresh processes, against a real server."""

from __future__ import annotations

import numpy as np
import soundfile

from tests.server.conftest import free_port, wait_until_serving


def test_generate_through_the_server_writes_the_takes(server, tmp_path):
    wait_until_serving(server)
    out = tmp_path / "idea.wav"
    done = server.sketchpad("generate", "--server", server.url, "--model", "tiny-stereo", "--prompt", "lofi piano",
                            "--duration", "0.5", "--variations", "2", "--seed", "7", "--decoder", "mbd",
                            "--out", str(out))
    assert done.returncode == 0, done.stderr
    for path in (tmp_path / "idea-1.wav", tmp_path / "idea-2.wav"):
        info = soundfile.info(path)
        assert (info.channels, info.samplerate, info.frames) == (2, 32000, 16000)
        assert soundfile.read(path)[0].std() > 0  # audio, not silence
    assert "seed 7" in done.stderr


def test_a_melody_and_a_continuation_travel_to_the_server(server, tmp_path):
    wait_until_serving(server)
    rate = 22050
    hum = tmp_path / "hum.wav"
    soundfile.write(hum, 0.3 * np.sin(2 * np.pi * 330 * np.arange(rate) / rate), rate)
    tune = tmp_path / "tune.wav"
    done = server.sketchpad("generate", "--server", server.url, "--model", "tiny-melody", "--prompt", "tune",
                            "--duration", "0.5", "--melody", str(hum), "--out", str(tune))
    assert done.returncode == 0, done.stderr
    assert soundfile.info(tune).frames == 16000
    longer = tmp_path / "longer.wav"
    done = server.sketchpad("generate", "--server", server.url, "--model", "tiny", "--prompt", "more",
                            "--duration", "1.5", "--continue", str(hum), "--out", str(longer))
    assert done.returncode == 0, done.stderr
    assert soundfile.info(longer).frames == 48000
    done = server.sketchpad("generate", "--server", server.url, "--model", "tiny", "--prompt", "tune",
                            "--duration", "0.5", "--melody", str(hum), "--out", str(tune))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("sketchpad: tiny does not take a melody.")


def test_models_lists_what_the_server_offers(server):
    wait_until_serving(server)
    done = server.sketchpad("models", "--server", server.url)
    assert done.returncode == 0, done.stderr
    names = [line.split()[0] for line in done.stdout.splitlines()[2:] if line.strip()]
    assert {"tiny", "tiny-stereo", "tiny-melody"} <= set(names)
    assert "cpu" in done.stdout.lower() and str(server.models["tiny"]) not in done.stdout  # no server paths


def test_a_wrong_token_is_one_line(server, tmp_path):
    done = server.sketchpad("generate", "--server", server.url, "--model", "tiny", "--prompt", "x",
                            "--duration", "0.5", "--out", str(tmp_path / "x.wav"), token="not-the-token")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"sketchpad: The server at {server.url} refused the token: check it (--token, or SKETCHPAD_SERVER_TOKEN).")
    assert not (tmp_path / "x.wav").exists()


def test_no_token_is_refused_too(server):
    done = server.sketchpad("models", "--server", server.url, token=None)
    assert done.returncode == 2 and "refused the token" in done.stderr


def test_an_unreachable_server_is_one_line(server, tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    done = server.sketchpad("generate", "--server", url, "--model", "tiny", "--prompt", "x", "--duration", "0.5",
                            "--out", str(tmp_path / "x.wav"), timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"sketchpad: Nothing answers at {url}: is the server running (sketchpad serve)?")


def test_a_model_the_server_does_not_offer(server, tmp_path):
    wait_until_serving(server)
    done = server.sketchpad("generate", "--server", server.url, "--model", str(server.models["tiny"]),
                            "--prompt", "x", "--duration", "0.5", "--out", str(tmp_path / "x.wav"))
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"sketchpad: The server does not offer {server.models['tiny']}; it offers tiny")
