"""The static-cache step against audiocraft's streaming step: the same tokens for a fixed seed."""

from __future__ import annotations

import pytest
import torch
from audiocraft.modules.conditioners import ConditioningAttributes, WavCondition

from sketchpad.engine.cuda_graph import GraphedSteps, LeastRecentlyUsed, cache_bytes
from sketchpad.engine.decode_loop import LoopPlan, audiocraft_step, generate
from sketchpad.engine.lm_weights import extract_weights, unsupported_reason
from sketchpad.engine.static_lm import StaticCacheLM


def conditions(lm, prompts: list[str], melody: bool) -> list[ConditioningAttributes]:
    attributes = [ConditioningAttributes(text={"description": prompt}) for prompt in prompts]
    if melody:
        torch.manual_seed(0)
        for attribute in attributes:
            wav = 0.3 * torch.randn(1, 1, 32000)
            attribute.wav["self_wav"] = WavCondition(wav, torch.tensor([32000]), sample_rate=[32000], path=[None])
    return attributes


def graphed_plan(model: StaticCacheLM, **policy) -> tuple[GraphedSteps, LoopPlan]:
    """The CUDA graph's own step (fixed buffers, the whole cache attended with the unfilled part masked),
    on the CPU without a graph; a cache larger than needed, as on CUDA."""
    graphed = GraphedSteps(model, capacity=128, **policy)
    return graphed, LoopPlan(graphed.begin)


def sliced_plan(model: StaticCacheLM) -> LoopPlan:
    def begin(rows: int, positions: int, device: torch.device) -> StaticCacheLM:
        model.start(rows, positions, device, torch.float32)
        return model

    return LoopPlan(begin)


@pytest.mark.parametrize("kind", ["mono", "stereo", "melody"])
@pytest.mark.parametrize("attention", ["sliced", "masked"])
def test_the_static_cache_gives_audiocraft_streaming_tokens(engine, tiny_models, kind, attention):
    lm = engine.load(str(getattr(tiny_models, kind))).musicgen.lm
    assert unsupported_reason(lm) is None
    model = StaticCacheLM(extract_weights(lm), attention=attention)
    plan = graphed_plan(model)[1] if attention == "masked" else sliced_plan(model)
    attributes = conditions(lm, ["earthy tones", "jazz"], melody=kind == "melody")
    for seed in (1, 2):
        torch.manual_seed(seed)
        expected = lm.generate(None, attributes, max_gen_len=60, top_k=20, cfg_coef=3.0)  # audiocraft's loop
        torch.manual_seed(seed)
        tokens = generate(lm, plan, None, attributes, max_gen_len=60, top_k=20, cfg_coef=3.0)
        assert torch.equal(tokens, expected)


def test_a_prompt_fills_the_cache_in_one_call_and_the_tokens_still_match(engine, tiny_models):
    lm = engine.load(str(tiny_models.mono)).musicgen.lm
    torch.manual_seed(0)
    prompt = torch.randint(0, int(lm.card), (2, lm.num_codebooks, 17))
    attributes = conditions(lm, ["a", "b"], melody=False)
    torch.manual_seed(3)
    expected = lm.generate(prompt, attributes, max_gen_len=50, top_k=20)
    torch.manual_seed(3)
    tokens = generate(lm, sliced_plan(StaticCacheLM(extract_weights(lm))), prompt, attributes, max_gen_len=50,
                      top_k=20)
    assert torch.equal(tokens, expected) and torch.equal(tokens[..., :17], prompt)


def test_the_loop_with_audiocraft_step_is_audiocraft_loop(engine, tiny_models):
    """The reference the bench measures against: the loop itself adds nothing of its own."""
    lm = engine.load(str(tiny_models.stereo)).musicgen.lm
    attributes = conditions(lm, ["x"], melody=False)
    torch.manual_seed(4)
    expected = lm.generate(None, attributes, max_gen_len=40, top_k=0, top_p=0.6)
    torch.manual_seed(4)
    assert torch.equal(generate(lm, LoopPlan(audiocraft_step(lm)), None, attributes, max_gen_len=40, top_k=0,
                                top_p=0.6), expected)


def test_known_codes_are_told_frame_by_frame_in_order(engine, tiny_models):
    lm = engine.load(str(tiny_models.mono)).musicgen.lm
    heard: list[tuple[int, torch.Tensor]] = []
    plan = LoopPlan(audiocraft_step(lm), listener=lambda codes, frames, window: heard.append(
        (frames, codes[..., :frames].clone())))
    torch.manual_seed(5)
    tokens = generate(lm, plan, None, conditions(lm, ["y"], melody=False), max_gen_len=30, top_k=20)
    assert [frames for frames, _ in heard] == list(range(1, 31))
    for frames, codes in heard:
        assert torch.equal(codes, tokens[..., :frames])  # every code told is final


def test_a_cache_too_small_says_so(engine, tiny_models):
    lm = engine.load(str(tiny_models.mono)).musicgen.lm
    model = StaticCacheLM(extract_weights(lm))

    def begin(rows: int, positions: int, device: torch.device) -> StaticCacheLM:
        model.start(rows, 10, device, torch.float32)
        return model

    with pytest.raises(RuntimeError, match="cache holds 10 positions"):
        generate(lm, LoopPlan(begin), None, conditions(lm, ["z"], melody=False), max_gen_len=30, top_k=20)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA graphs need a CUDA GPU")
def test_the_cuda_graph_replays_the_masked_step(tiny_models):
    """Only where a GPU exists: graph replay gives the exact sliced step's tokens."""
    from sketchpad.engine.engine import Engine

    lm = Engine("cuda", offline=True).load(str(tiny_models.mono)).musicgen.lm
    attributes = conditions(lm, ["earthy tones", "jazz"], melody=False)
    graphed = GraphedSteps(StaticCacheLM(extract_weights(lm), attention="masked"), capacity=128)
    outcomes = []
    for plan in (sliced_plan(StaticCacheLM(extract_weights(lm))), LoopPlan(graphed.begin)):
        torch.manual_seed(6)
        outcomes.append(generate(lm, plan, None, attributes, max_gen_len=60, top_k=20))
    assert torch.equal(outcomes[0], outcomes[1])


def test_the_least_recently_used_entry_goes_first():
    store: LeastRecentlyUsed[str, int] = LeastRecentlyUsed(2)
    assert store.put("a", 1) == [] and store.put("b", 2) == []
    assert store.get("a") == 1  # "b" is now the oldest
    assert store.put("c", 3) == ["b"] and store.oldest_first() == ["a", "c"]
    assert store.get("b") is None
    store.clear()
    assert store.oldest_first() == []


def test_the_graphed_step_keeps_a_bounded_set_of_graphs_and_the_tokens_stay_exact(engine, tiny_models):
    lm = engine.load(str(tiny_models.mono)).musicgen.lm
    graphed, plan = graphed_plan(StaticCacheLM(extract_weights(lm), attention="masked"), max_graphs=2)
    prompt_sets = [["a"], ["earthy tones, warm"], ["a much longer prompt with many more words in it"], ["a"]]
    for index, prompts in enumerate(prompt_sets):
        attributes = conditions(lm, prompts, melody=False)
        torch.manual_seed(index)
        expected = lm.generate(None, attributes, max_gen_len=30, top_k=20, cfg_coef=3.0)
        torch.manual_seed(index)
        assert torch.equal(generate(lm, plan, None, attributes, max_gen_len=30, top_k=20, cfg_coef=3.0), expected)
        assert len(graphed.graphs.oldest_first()) == min(index + 1, 2)
    lengths = [rows_and_length[1] for rows_and_length in graphed.graphs.oldest_first()]
    assert len(set(lengths)) == 2  # the third prompt's length and the first's again, the second's evicted


def test_a_large_static_cache_is_given_back_after_the_job_and_a_small_one_stays(engine, tiny_models):
    from sketchpad.engine.stepping import release_caches

    loaded = engine.load(str(tiny_models.mono))
    lm = loaded.musicgen.lm
    attributes = conditions(lm, ["jazz"], melody=False)
    kept, kept_plan = graphed_plan(StaticCacheLM(extract_weights(lm), attention="masked"))
    given_back, given_back_plan = graphed_plan(StaticCacheLM(extract_weights(lm), attention="masked"),
                                               keep_cache_bytes=0)
    tokens = []
    for plan in (kept_plan, given_back_plan):
        torch.manual_seed(7)
        tokens.append(generate(lm, plan, None, attributes, max_gen_len=30, top_k=20))
    before = dict(loaded.steps)
    try:
        loaded.steps.update(kept=kept, given_back=given_back)
        release_caches(loaded)  # what the engine does after every generation
    finally:
        loaded.steps.clear()
        loaded.steps.update(before)
    assert cache_bytes(kept.model) > 0 and kept.graphs.oldest_first()
    assert cache_bytes(given_back.model) == 0 and given_back.graphs.oldest_first() == []
    torch.manual_seed(7)  # the next take allocates and captures again, with the same tokens
    assert torch.equal(generate(lm, given_back_plan, None, attributes, max_gen_len=30, top_k=20), tokens[1])
    assert torch.equal(tokens[0], tokens[1])


def test_the_graph_s_stream_is_made_on_the_engine_s_device(engine, tiny_models, monkeypatch):
    """`--device cuda:1`: the capture's side stream and its device context are the model's device, not
    whichever GPU is current. Checked on the CPU by recording what the capture asks torch.cuda for."""
    from contextlib import nullcontext

    from sketchpad.engine import cuda_graph

    asked = []

    def stream(*args, **kwargs):
        asked.append(("stream", kwargs.get("device", args[0] if args else None)))
        raise RuntimeError("no GPU here: the capture stops after asking")

    monkeypatch.setattr(torch.cuda, "device", lambda device: asked.append(("device", device)) or nullcontext())
    monkeypatch.setattr(torch.cuda, "Stream", stream)
    lm = engine.load(str(tiny_models.mono)).musicgen.lm
    model = StaticCacheLM(extract_weights(lm), attention="masked")
    sequence = torch.zeros((2, lm.num_codebooks, 1), dtype=torch.long)
    with pytest.raises(RuntimeError, match="no GPU here"):
        cuda_graph.capture_cuda_graph(model, sequence)
    assert asked == [("device", sequence.device), ("stream", sequence.device)]
