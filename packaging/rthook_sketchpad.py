"""Runtime hook: runs inside the frozen program before the entry point.

A bundle has no compiler and no triton (left out on purpose), so keep torch from looking for them.
"""

import os

# torch._dynamo / inductor compile with triton and a C compiler; Sketchpad's inference runs eagerly.
os.environ.setdefault("TORCHDYNAMO_DISABLE", "1")

import logging

# torch warns at import that triton is missing, which only a bundle (triton left out above) sees.
logging.getLogger("torch.utils.flop_counter").setLevel(logging.ERROR)
