"""A bounded load on one replica: 8 clients x 3 requests, two models; everything arrives, nothing mixes."""

from __future__ import annotations

import threading

from tests.server.conftest import Client, wait_until_serving

CLIENTS, REQUESTS = 8, 3


def test_eight_clients_three_requests_each_all_complete_and_models_never_share_a_batch(server):
    wait_until_serving(server)
    outcomes: dict[tuple[int, int], dict] = {}
    problems: list[str] = []

    def run(number: int) -> None:
        model = "tiny" if number % 2 else "tiny-stereo"
        client = Client(server.url)
        try:
            client.until({"ready"}, timeout=60)
            for request in range(REQUESTS):
                prompt = f"{model} client {number} request {request}"
                job = client.generate(model=model, prompts=(prompt,), duration=0.3)
                end, _ = client.until({"result", "error", "cancelled"}, job_id=job, timeout=240)
                outcomes[number, request] = {"model": model, "prompt": prompt, "end": end}
        except Exception as error:  # noqa: BLE001 - reported below, with the others
            problems.append(f"client {number}: {error!r}")
        finally:
            client.engine.stop()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    assert not problems
    assert len(outcomes) == CLIENTS * REQUESTS
    shared = 0
    for outcome in outcomes.values():
        end = outcome["end"]
        assert end["type"] == "result", end
        (take,) = end["value"]["takes"]
        params = take["params"]
        assert params["model"] == outcome["model"] and params["prompt"] == outcome["prompt"]
        assert take["audio"].shape == ((2 if outcome["model"] == "tiny-stereo" else 1), 9600)
        assert all(prompt.startswith(outcome["model"] + " ") for prompt in params["batch_prompts"])
        shared += len(params["batch_prompts"]) > 1
    assert shared > 0  # concurrent requests for one model were merged into shared generations
