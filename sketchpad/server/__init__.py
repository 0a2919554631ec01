"""The engine served by Ray Serve: `sketchpad serve`, or `serve run sketchpad.server.app:build_app`.

An HTTP ingress (FastAPI) checks the token and the request and streams the engine's answers back as the
protocol's own frames (engine_link/wire.py); the engine deployment runs the jobs (engine_host/jobs.py),
one replica per GPU, several models per replica (Serve's model multiplexing, least recently used
evicted), and same-model, same-parameter text requests merged into one generation (Serve's batching).
Never imported by the window's process: its client is engine_link/remote.py (standard library only).
"""

import os

# Ray runs its workers through `uv run` when it sees it was started under uv: it packages the current
# folder and syncs a second environment in its session folder for every worker. The replicas must run
# in this environment as it is, so the hook stays off unless the operator turned it on. Set before
# anything here imports Ray, which reads it once.
os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
