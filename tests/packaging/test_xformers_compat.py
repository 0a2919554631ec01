"""The xformers stand-in (for macOS, which has no xformers wheel) gives audiocraft the same attention."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: this process may already hold the real xformers.
HIDDEN_XFORMERS = textwrap.dedent(
    """
    import sys
    import importlib.abc

    class HideXformers(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "xformers" or name.startswith("xformers."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, HideXformers())
    from sketchpad.engine.xformers_compat import install_if_missing, xformers_available
    assert not xformers_available()
    assert install_if_missing() and install_if_missing()  # idempotent
    """
)


def run_hidden(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", HIDDEN_XFORMERS + textwrap.dedent(code)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def test_stand_in_is_left_out_when_xformers_is_installed() -> None:
    if importlib.util.find_spec("xformers") is None:  # found, not imported: importing it costs seconds
        pytest.skip("xformers is not installed here")
    from sketchpad.engine.xformers_compat import install_if_missing

    assert install_if_missing() is False
    assert not getattr(sys.modules.get("xformers"), "__sketchpad_xformers_compat__", False)


def test_audiocraft_attention_matches_plain_attention_without_xformers() -> None:
    # MusicGen's LM runs memory_efficient attention (ops.unbind, LowerTriangularMask); compare it, causal and
    # with the torch backend, against audiocraft's own einsum path, which never touches xformers.
    out = run_hidden(
        """
        import torch
        from audiocraft.modules.transformer import StreamingMultiheadAttention, set_efficient_attention_backend
        from xformers import ops
        assert getattr(sys.modules["xformers"], "__sketchpad_xformers_compat__", False)
        set_efficient_attention_backend("torch")
        torch.manual_seed(0)
        fast = StreamingMultiheadAttention(32, 4, causal=True, memory_efficient=True).eval()
        plain = StreamingMultiheadAttention(32, 4, causal=True, memory_efficient=False).eval()
        plain.load_state_dict(fast.state_dict())
        x = torch.randn(2, 7, 32)
        with torch.no_grad():
            a, _ = fast(x, x, x)
            b, _ = plain(x, x, x)
        print("max_diff", float((a - b).abs().max()))
        assert torch.allclose(a, b, atol=1e-5)
        """
    )
    assert "max_diff" in out
