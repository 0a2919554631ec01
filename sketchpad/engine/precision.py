"""How exactly the engine computes: "exact" (audiocraft's numbers, bit for bit) or "fast" (approximate).

Imports neither torch nor audiocraft, so the window can offer the choice and show what it costs.

- exact: every step computes what audiocraft computes, bit for bit at the same thread count, so a seed
  gives audiocraft's tokens. (torch's thread count itself moves the last bits of a large matrix
  product; over 103 steps of musicgen-small that changed no token.) On a CPU it still runs faster than
  audiocraft at the same thread count (a cache allocated once, the text projected once per take); on
  CUDA and Apple MPS it is audiocraft's own loop.
- fast: on a CPU the language model's weights are int8 (one scale per output channel), its activations
  are quantised per call and its key/value cache is bfloat16: a quarter of the bytes per step. Tokens
  differ from exact mode now and then; FAST_AGREEMENT says how often they agree. On CUDA it is the
  static cache captured in a CUDA graph; on MPS the static cache alone (neither measured: no GPU was
  available when they were written).
"""

from __future__ import annotations

PRECISIONS = ("fast", "exact")

# `variant.engine_fast.agreement` of bench/generation_speed.py --size small --agreement-seconds 2: fed
# the same 103 steps, the fraction of tokens the fast mode draws identically to float32 eager from the
# same seed (torch.multinomial's draw), over the released musicgen-small geometry with random weights
# (2-core Xeon). Trained weights may agree less (their outliers hurt int8 more): run the bench with
# --model on a real checkpoint where one is on disk, and update this.
FAST_AGREEMENT = 0.958
FAST_AGREEMENT_MEASURED_ON = "musicgen-small geometry, random weights"

LABELS = {
    "fast": "Fast (approximate)",
    "exact": "Exact (audiocraft's numbers)",
}


def default_precision(device: str) -> str:
    """Fast on the CPU, where int8 weights pay; exact (audiocraft's own loop) on CUDA and MPS."""
    return "fast" if device == "cpu" else "exact"


def resolve_precision(requested: str | None, device: str) -> str:
    """The precision to use: the one asked for, or the device's default for None or "auto"."""
    choice = (requested or "auto").strip().lower()
    if choice == "auto":
        return default_precision(device)
    if choice not in PRECISIONS:
        from sketchpad.engine.errors import InvalidRequestError

        raise InvalidRequestError(f"Unknown precision {requested!r}: use one of auto, {', '.join(PRECISIONS)}.")
    return choice


def describe(precision: str) -> str:
    """A line for the window: what the precision means, with the fast mode's measured agreement."""
    if precision == "fast":
        return (f"Fast: about {FAST_AGREEMENT:.0%} of tokens as in exact mode "
                f"(measured on {FAST_AGREEMENT_MEASURED_ON}); the same seed gives a slightly different take.")
    return "Exact: the same seed gives audiocraft's take, token for token."
