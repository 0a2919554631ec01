"""The engine deployment: one Engine per replica (one replica per GPU), jobs streamed back as frames.

Models are Serve's multiplexed models: the ingress names one per request (`multiplexed_model_id`), Serve
routes it to a replica that has it loaded where it can, and a replica keeps at most
`max_models_per_replica`, unloading the least recently used. Generate requests go through Serve's
dynamic batching; each batch is split into groups that can share one generation (batching.py: never two
models, never two settings), and the groups run one after another on the replica's engine.

A job's answers travel from the engine's thread to the request's async generator through an asyncio
queue; when the caller goes away (cancel, or the client disconnected) Serve cancels that generator,
and the job stops at its next step (or, in a shared generation, once every member has gone).
"""

from __future__ import annotations

import asyncio
import os
import time
import traceback
from collections.abc import AsyncIterator
from typing import Any

from ray import serve

from sketchpad.engine.errors import EngineError, GenerationCancelledError, ModelNotFoundError
from sketchpad.engine_host.jobs import JobRunner, Reporter, memory_report, offers
from sketchpad.engine_link import messages
from sketchpad.engine_link.wire import FrameDecoder, Message, encode
from sketchpad.server.batching import Member, SharedGeneration, group, merge_key, replace_model_name
from sketchpad.server.config import ServerConfig

TERMINAL = frozenset({"result", "error", "cancelled"})


class LoadedModel:
    """A multiplexed model: the engine holds the weights; evicting it unloads them."""

    def __init__(self, engine: Any, source: str) -> None:
        self.engine, self.source = engine, source
        self._gone = False

    def __del__(self) -> None:  # Serve calls this when it evicts the model (least recently used)
        if not self._gone:
            self._gone = True
            self.engine.unload(self.source)


def model_named(message: Message) -> str | None:
    """The model a request names (a name the server offers), or None for one that needs none."""
    if message.get("type") == "generate":
        request = message.get("request")
        return str(request.get("model")) if isinstance(request, dict) and request.get("model") else None
    model = message.get("model")
    return str(model) if model else None


def with_source(message: Message, source: str) -> Message:
    """The request with the client's model name replaced by what this server loads for it."""
    if message.get("type") == "generate":
        return {**message, "request": {**message["request"], "model": source}}
    return {**message, "model": source}


def operators_paths(message: Message, config: ServerConfig) -> Message:
    """A client never names a path on the server: the decoder's folder is the operator's choice."""
    if message.get("type") == "decode":
        return {**message, "mbd": config.mbd}
    return message


def error_message(job_id: Any, error: BaseException, details: str = "") -> Message:
    if isinstance(error, MemoryError):
        error = EngineError("The server ran out of memory. Try a smaller model, a shorter duration or fewer "
                            "variations; it is ready to try again.")
    return {"type": "error", "id": job_id, **messages.error_to_message(error), "details": details}


def run_job(engine: Any, message: Message, send: Any, report: Reporter) -> None:
    """One job on the engine (this thread), its answers to `send`: started, ..., result|error|cancelled."""
    send({"type": "started", "id": message["id"]})
    try:
        value = JobRunner(engine, send).run(message, report)
        send({"type": "result", "id": message["id"], "value": value, "sent": time.time()})
    except GenerationCancelledError:
        send({"type": "cancelled", "id": message["id"], "steps_after_cancel": report.steps_after_cancel})
    except Exception as error:  # noqa: BLE001 - every failure is answered; the replica stays up
        send(error_message(message["id"], error, traceback.format_exc()))


def batch_size(members: list[Member], cap: int) -> int:
    """Takes in a batch, as Serve counts them; one request larger than a batch counts as a full one."""
    return sum(min(member.rows, cap) if merge_key(member.message) else 1 for member in members)


def engine_deployment(config: ServerConfig) -> Any:
    """The deployment class, its multiplexing and batching sized from the operator's configuration."""
    options: dict[str, Any] = {
        "ray_actor_options": {"num_gpus": config.num_gpus, "num_cpus": config.num_cpus},
        "max_ongoing_requests": config.max_ongoing_requests,
        "health_check_period_s": 2.0,
        "health_check_timeout_s": 30.0,
    }
    if config.autoscaling is not None:
        options["autoscaling_config"] = config.autoscaling
    else:
        options["num_replicas"] = config.num_replicas

    @serve.deployment(name="Engine", **options)
    class EngineReplica:
        def __init__(self) -> None:
            from sketchpad.engine.engine import Engine
            from sketchpad.engine.runtime import import_audiocraft

            self.config = config
            self.engine = Engine(None if config.device == "auto" else config.device, offline=config.offline,
                                 precision=None if config.precision == "auto" else config.precision)
            import_audiocraft()  # now rather than inside the first request

        @serve.multiplexed(max_num_models_per_replica=config.max_models_per_replica)
        async def model(self, name: str) -> LoadedModel:
            source = self.config.models[name]
            await asyncio.to_thread(self.engine.load, source)
            return LoadedModel(self.engine, source)

        async def offers(self) -> dict[str, Any]:
            described = offers(self.engine, list(self.config.models))
            folders = {name for name, source in self.config.models.items() if source != name}
            for item in described["models"]:
                item["on_disk"] = item["on_disk"] or item["name"] in folders
            return {**described, "mbd_on_disk": described["mbd_on_disk"] or self.config.mbd is not None,
                    "memory": memory_report(self.engine), "pid": os.getpid(), "unload": self.config.allow_unload}

        async def job(self, body: bytes) -> AsyncIterator[bytes]:
            """The answers to one request (an encoded frame group the ingress has checked), as frames."""
            (message,) = FrameDecoder().feed(body)
            message = operators_paths(message, self.config)
            name = model_named(message)  # the ingress routed it by this name (Serve's multiplexed model id)
            source = name
            if name is not None:
                if name not in self.config.models:
                    yield encode(error_message(message["id"], ModelNotFoundError(
                        f"The server does not offer {name}.")))
                    return
                try:
                    loaded = await self.model(name)
                except Exception as error:  # noqa: BLE001 - a model that cannot load is the job's answer
                    yield encode(error_message(message["id"], error, traceback.format_exc()))
                    return
                source = loaded.source
                message = with_source(message, source)
            answers: asyncio.Queue[Message] = asyncio.Queue()
            loop = asyncio.get_running_loop()

            def send(answer: Message) -> None:
                loop.call_soon_threadsafe(answers.put_nowait, answer)

            member = Member(message, send)
            work = asyncio.ensure_future(self._run(member))
            finished = False
            try:
                while True:
                    answer = await answers.get()
                    if name is not None and source != name:
                        answer = replace_model_name(answer, source, name)
                        if answer.get("type") == "error":  # sentences name the model as the client did, too
                            answer["message"] = str(answer.get("message", "")).replace(source, name)
                    finished = answer.get("type") in TERMINAL
                    yield encode(answer)
                    if finished:
                        break
            finally:
                if not finished:  # the caller went away: stop the job (a shared one once all have gone)
                    member.cancelled = True
                    if member.cancel_group is not None:
                        member.cancel_group()
                del work

        async def _run(self, member: Member) -> None:
            try:
                if merge_key(member.message) is not None:  # it could share a generation: Serve's batching
                    await self._generate(member)
                else:
                    await asyncio.to_thread(self._run_alone, member)
            except Exception as error:  # noqa: BLE001 - the batching itself failed: still one answer
                member.send(error_message(member.job_id, error, traceback.format_exc()))

        def _run_alone(self, member: Member) -> None:
            if member.cancelled:
                return
            if member.message.get("type") == "unload" and not self.config.allow_unload:
                # Other people's jobs use these models; the replica evicts the least recently used itself.
                member.send({"type": "started", "id": member.job_id})
                member.send({"type": "result", "id": member.job_id, "value": {"unloaded": False},
                             "sent": time.time()})
                return
            report = Reporter(member.send, member.job_id)
            member.cancel_group = report.request_cancel
            run_job(self.engine, member.message, member.send, report)

        @serve.batch(max_batch_size=config.max_batch_prompts, batch_wait_timeout_s=config.batch_wait_s,
                     batch_size_fn=lambda members: batch_size(members, config.max_batch_prompts))
        async def _generate(self, members: list[Member]) -> list[None]:
            for indices in group([member.message for member in members], self.config.max_batch_prompts):
                await asyncio.to_thread(self._run_together, [members[index] for index in indices])
            return [None] * len(members)

        def _run_together(self, members: list[Member]) -> None:
            live = [member for member in members if not member.cancelled]
            if len(live) <= 1:
                for member in live:
                    self._run_alone(member)
                return
            shared = SharedGeneration(live)
            report = Reporter(shared.send, live[0].job_id)

            def cancel_when_all_gone() -> None:
                if all(member.cancelled for member in live):
                    report.request_cancel()

            for member in live:
                member.cancel_group = cancel_when_all_gone
            run_job(self.engine, shared.message, shared.send, report)

    return EngineReplica
