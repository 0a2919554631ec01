"""Which requests share a generation, and how its answers are shared out (no Ray needed)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sketchpad.server.batching import Member, SharedGeneration, group, merge_key, replace_model_name
from sketchpad.server.config import ServerConfig, ServerConfigError, parse_models


def generate(job_id: int, model: str = "m", prompts=("a",), **request) -> dict:
    return {"type": "generate", "id": job_id, "request": {"model": model, "prompts": list(prompts), "duration": 1.0,
                                                          "top_k": 250, "seed": None, **request}}


requests = st.builds(
    lambda job_id, model, rows, duration, melody: generate(
        job_id, model, [f"p{job_id}-{row}" for row in range(rows)], duration=duration,
        melody={"samples": [0.0], "sample_rate": 1} if melody else None),
    st.integers(0, 10**6), st.sampled_from(["small", "medium"]), st.integers(1, 5), st.sampled_from([1.0, 2.0]),
    st.booleans())


@given(st.lists(requests, max_size=12), st.integers(1, 8))
def test_groups_never_mix_settings_and_fit(messages, max_rows):
    groups = group(messages, max_rows)
    assert sorted(index for members in groups for index in members) == list(range(len(messages)))
    for members in groups:
        keys = {merge_key(messages[index]) for index in members}
        assert len(keys) == 1
        if len(members) > 1:
            assert None not in keys  # a melody runs alone
            assert sum(len(messages[index]["request"]["prompts"]) for index in members) <= max_rows
        assert members == sorted(members)


def test_models_seeds_and_partial_audio_keep_requests_apart():
    base = generate(1)
    assert merge_key(base) == merge_key(generate(2))
    assert merge_key(base) != merge_key(generate(3, model="other"))
    assert merge_key(base) != merge_key(generate(4, seed=7))
    assert merge_key(base) != merge_key({**generate(5), "partial": True})
    assert merge_key({**generate(6), "melody_source": {"samples": np.zeros((1, 4))}}) is None
    assert merge_key({"type": "decode", "id": 7}) is None


def test_a_shared_generation_gives_each_member_its_own_rows():
    heard: dict[int, list[dict]] = {1: [], 2: []}
    members = [Member(generate(1, prompts=("a",)), heard[1].append),
               Member(generate(2, prompts=("b", "c")), heard[2].append)]
    shared = SharedGeneration(members)
    assert shared.message["request"]["prompts"] == ["a", "b", "c"]
    audio = np.arange(3 * 4, dtype=np.float32).reshape(3, 1, 4)
    shared.send({"type": "partial", "id": 1, "audio": audio, "start": 0})
    shared.send({"type": "result", "id": 1, "value": {"takes": ["A", "B", "C"], "seconds": 1.0}})
    assert heard[1][0]["id"] == 1 and np.array_equal(heard[1][0]["audio"], audio[:1])
    assert heard[2][0]["id"] == 2 and np.array_equal(heard[2][0]["audio"], audio[1:])
    assert heard[1][1]["value"]["takes"] == ["A"] and heard[2][1]["value"]["takes"] == ["B", "C"]
    members[0].cancelled = True  # a member that left hears nothing more
    shared.send({"type": "progress", "id": 1})
    assert len(heard[1]) == 2 and heard[2][-1] == {"type": "progress", "id": 2}


def test_answers_name_the_model_as_the_client_did():
    value = {"facts": {"key": "/srv/models/x"}, "takes": [{"params": {"model": "/srv/models/x", "prompt": "p"}}]}
    assert replace_model_name(value, "/srv/models/x", "x") == {
        "facts": {"key": "x"}, "takes": [{"params": {"model": "x", "prompt": "p"}}]}


def test_the_operator_names_models_and_a_token_guards_other_computers(tmp_path):
    assert parse_models(["facebook/musicgen-small", f"mine={tmp_path}"]) == {
        "facebook/musicgen-small": "facebook/musicgen-small", "mine": str(tmp_path.resolve())}
    for specs, words in ((["mine=/no/such/folder"], "no such folder"), ([str(tmp_path)], "NAME=FOLDER"),
                         (["a", "a"], "twice")):
        try:
            parse_models(specs)
        except ServerConfigError as error:
            assert words in str(error)
        else:
            raise AssertionError(specs)
    ServerConfig(models={"a": "a"}, host="127.0.0.1")
    ServerConfig(models={"a": "a"}, host="0.0.0.0", token="long-enough-token")
    for host in ("0.0.0.0", "192.168.1.5", "gpu-box"):
        try:
            ServerConfig(models={"a": "a"}, host=host)
        except ServerConfigError as error:
            assert "token" in str(error)
        else:
            raise AssertionError(host)


def test_the_example_cluster_config_is_a_valid_serve_config_that_builds(monkeypatch):
    from pathlib import Path

    import yaml
    from ray.serve.schema import ServeDeploySchema

    from sketchpad.server.app import build_app

    text = (Path(__file__).resolve().parents[2] / "docs" / "serve-cluster.yaml").read_text()
    config = ServeDeploySchema.model_validate(yaml.safe_load(text))
    (application,) = config.applications
    assert application.import_path == "sketchpad.server.app:build_app"
    monkeypatch.setenv("SKETCHPAD_SERVER_TOKEN", application.runtime_env["env_vars"]["SKETCHPAD_SERVER_TOKEN"])
    built = build_app(application.args)
    assert type(built).__name__ == "Application"
