"""The Serve application: `serve run sketchpad.server.app:build_app models=facebook/musicgen-small`, a Serve
config file naming `sketchpad.server.app:build_app` (docs/serve-cluster.yaml), or `sketchpad serve`.
"""

from __future__ import annotations

from typing import Any

from sketchpad.server.config import ServerConfig, from_args
from sketchpad.server.ingress import build_ingress
from sketchpad.server.replica import engine_deployment

APP_NAME = "sketchpad"


def build(config: ServerConfig) -> Any:
    """The bound application: the ingress, holding a handle to the engine deployment."""
    return build_ingress(config).bind(engine_deployment(config).bind())


def build_app(args: dict[str, Any]) -> Any:
    """For `serve run` and Serve config files: the arguments are ServerConfig's fields (`models` a list)."""
    return build(from_args(args))


def start(config: ServerConfig, *, num_cpus: int | None = None, blocking_ready: bool = True) -> None:
    """Serve the application on config.host:config.port from this process, starting a local Ray (or
    joining the one RAY_ADDRESS names); returns once it accepts requests."""
    import ray
    from ray import serve

    if not ray.is_initialized():
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    serve.start(http_options={"host": config.host, "port": config.port}, logging_config={"log_level": "WARNING"})
    serve.run(build(config), name=APP_NAME, route_prefix="/", blocking=False)


def stop() -> None:
    import ray
    from ray import serve

    try:
        serve.shutdown()
    finally:
        ray.shutdown()
