"""`sketchpad serve`: this machine's engine for others, behind Ray Serve (needs `sketchpad[server]`)."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from sketchpad.cli.errors import CliError


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve", help="serve this machine's engine to other computers (Ray Serve)",
        description="Serve the engine over HTTP with Ray Serve. Clients connect with "
                    "`sketchpad generate --server URL` or the window's Preferences > Engine.")
    serve.add_argument("--model", action="append", required=True, metavar="ID or NAME=FOLDER",
                       help="a model to offer: a hub id (offered under its id) or NAME=FOLDER; repeat for more")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer "
                                                          "only; anything else needs a token)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--token", help="the bearer token clients must give (default: $SKETCHPAD_SERVER_TOKEN)")
    serve.add_argument("--device", default="auto", help="auto, cuda, mps or cpu")
    serve.add_argument("--precision", choices=("auto", "fast", "exact"), default="auto")
    serve.add_argument("--offline", action="store_true", help="never touch the network")
    serve.add_argument("--mbd", metavar="FOLDER", help="MultiBand Diffusion folder for decoder switches "
                                                       "(default: facebook/multiband-diffusion from the hub)")
    serve.add_argument("--gpus", type=int, default=None, metavar="N",
                       help="engine replicas, one per GPU (default: every GPU this machine has, else one on the CPU)")
    serve.add_argument("--max-models", type=int, default=2, metavar="N",
                       help="models each replica keeps loaded; the least recently used goes first (default 2)")
    serve.add_argument("--max-batch", type=int, default=8, metavar="N",
                       help="takes one shared generation may hold (default 8)")
    serve.set_defaults(func=run_serve)


def _gpus() -> int:
    try:
        import torch

        return torch.cuda.device_count()
    except Exception:  # noqa: BLE001 - no usable CUDA: serve on the CPU
        return 0


def _folder(value: str | None, flag: str) -> str | None:
    from pathlib import Path

    if value is None:
        return None
    if not Path(value).expanduser().is_dir():
        raise CliError(f"{flag}: no such folder: {value}")
    return str(Path(value).expanduser().resolve())


def run_serve(args: argparse.Namespace) -> int:
    try:
        from sketchpad.server import app
        from sketchpad.server.config import ServerConfig, ServerConfigError, parse_models, token_from
    except ImportError as error:
        raise CliError(f"serving needs the server extra ({error.name} is missing): "
                       "install sketchpad[server], or `uv sync --extra server`") from None
    if not 1 <= args.port <= 65535:
        raise CliError(f"--port must be 1 to 65535, not {args.port}")
    gpus = _gpus() if args.gpus is None else args.gpus
    if gpus < 0:
        raise CliError("--gpus must be 0 or more")
    try:
        config = ServerConfig(models=parse_models(args.model), token=token_from(args.token), host=args.host,
                              port=args.port, device=args.device, offline=args.offline, precision=args.precision,
                              num_gpus=1.0 if gpus else 0.0, num_replicas=max(gpus, 1),
                              max_models_per_replica=args.max_models, max_batch_prompts=args.max_batch,
                              mbd=_folder(args.mbd, "--mbd"))
    except ServerConfigError as error:
        raise CliError(str(error)) from None

    def stop_on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)
    print(f"Starting Ray Serve with {len(config.models)} model(s) on "
          f"{f'{gpus} GPU(s)' if gpus else 'the CPU'}...", file=sys.stderr, flush=True)
    try:
        app.start(config)
        print(f"serving on {config.url}", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping the server", file=sys.stderr, flush=True)
    except RuntimeError as error:  # Serve could not deploy (a port in use, an engine that cannot start)
        raise CliError(f"the server could not start: {str(error).splitlines()[0]}") from None
    finally:
        app.stop()
    return 0
