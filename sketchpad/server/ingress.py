"""The HTTP side: FastAPI behind Serve's proxy; checks who asks and what, and streams the engine's frames.

- `GET /v2/offers`: JSON, what the server offers (protocol, device, models by name, MBD, precisions).
- `POST /v2/jobs`: the body is one encoded request (engine_link/wire.py); the response streams the
  answers as frames (started, progress, loaded, partial, then result, error or cancelled). Its
  `Sketchpad-Job` header names the job for
- `POST /v2/jobs/{job}/cancel`. A client that disconnects cancels its job too (Serve cancels the call).

Anything not a well-formed request of this protocol is refused with a 4xx before it reaches an engine;
a wrong or missing token is 401. A replica that dies mid-job gives that job one `error` frame (Serve
starts a new replica) instead of a broken stream.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations as objects, and Ray
# pickles this module's classes by value, so names in string annotations would not resolve there.

import asyncio
import hmac
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from ray import serve

from sketchpad.engine.errors import EngineCrashedError, ModelNotFoundError
from sketchpad.engine_link import messages
from sketchpad.engine_link.wire import PROTOCOL_VERSION, FrameDecoder, Message, ProtocolError, encode
from sketchpad.server.config import ServerConfig
from sketchpad.server.replica import error_message, model_named

FRAMES = "application/vnd.sketchpad.frames"
JOB_HEADER = "Sketchpad-Job"
PROTOCOL_HEADER = "Sketchpad-Protocol"

log = logging.getLogger("sketchpad.server")


class Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def refusal(error: Refused) -> JSONResponse:
    return JSONResponse({"detail": error.detail}, status_code=error.status,
                        headers={"WWW-Authenticate": "Bearer"} if error.status == 401 else None)


def check_caller(config: ServerConfig, request: Request) -> None:
    """401 without the token; 409 for a client of another protocol version (it says which to update)."""
    check_token(config, request.headers.get("authorization"))
    theirs = request.headers.get(PROTOCOL_HEADER.lower())
    if theirs is not None and theirs != str(PROTOCOL_VERSION):
        newer = "app" if theirs.isdigit() and int(theirs) < PROTOCOL_VERSION else "server"
        raise Refused(409, f"this server speaks protocol {PROTOCOL_VERSION} and the app {theirs[:8]}: update the "
                           f"{newer} so both are the same version")


def check_token(config: ServerConfig, header: str | None) -> None:
    if config.token is None:
        return
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), config.token.encode()):
        raise Refused(401, "this server needs its token (Authorization: Bearer TOKEN)")


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise Refused(413, f"a request may be at most {limit // 2**20} MiB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(413, f"a request may be at most {limit // 2**20} MiB")
    return bytes(body)


def parse_request(body: bytes) -> Message:
    """The one job request a body holds, or Refused(400)."""
    decoder = FrameDecoder()
    try:
        found = decoder.feed(body)
    except ProtocolError as error:
        raise Refused(400, f"the body is not a request of protocol {PROTOCOL_VERSION}: {error}") from None
    if len(found) != 1 or not decoder.between_messages:
        raise Refused(400, f"the body must hold exactly one request of protocol {PROTOCOL_VERSION}")
    message = found[0]
    if message["type"] not in messages.JOB_REQUESTS or type(message.get("id")) is not int:
        raise Refused(400, f"a job must be one of {', '.join(sorted(messages.JOB_REQUESTS))} with an integer id")
    if message["type"] == "generate" and not isinstance(message.get("request"), dict):
        raise Refused(400, "a generate request needs its request")
    return message


def build_ingress(config: ServerConfig) -> Any:
    api = FastAPI(title="Sketchpad engine server", docs_url=None, redoc_url=None, openapi_url=None)

    @serve.deployment(name="Ingress", ray_actor_options={"num_cpus": 0}, max_ongoing_requests=256)
    @serve.ingress(api)
    class Ingress:
        def __init__(self, engine: Any) -> None:
            self.engine = engine
            self.jobs: dict[str, tuple[Any, int, list[bool]]] = {}  # job -> (the call, its id, [cancelled])

        @api.get("/v2/offers")
        async def get_offers(self, request: Request) -> Response:
            try:
                check_caller(config, request)
            except Refused as error:
                return refusal(error)
            described = await self.engine.offers.remote()
            return JSONResponse(described, headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)})

        @api.post("/v2/jobs")
        async def post_job(self, request: Request) -> Response:
            try:
                check_caller(config, request)
                body = await read_body(request, config.max_body_bytes)
                message = parse_request(body)
            except Refused as error:
                return refusal(error)
            job, name = uuid.uuid4().hex, model_named(message)
            headers = {JOB_HEADER: job, PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Cache-Control": "no-store"}
            if name is not None and name not in config.models:
                offered = ", ".join(sorted(config.models))
                refused = error_message(message["id"], ModelNotFoundError(
                    f"The server does not offer {name}; it offers {offered}."))
                return Response(encode(refused), media_type=FRAMES, headers=headers)
            call = self.engine.options(multiplexed_model_id=name or "", stream=True).job.remote(body)
            cancelled = [False]
            self.jobs[job] = (call, message["id"], cancelled)
            return StreamingResponse(self._stream(job, call, message["id"], cancelled), media_type=FRAMES,
                                     headers=headers)

        @api.post("/v2/jobs/{job}/cancel")
        async def cancel_job(self, job: str, request: Request) -> Response:
            try:
                check_caller(config, request)
            except Refused as error:
                return refusal(error)
            entry = self.jobs.get(job)
            if entry is None:
                return JSONResponse({"detail": "no such job running here"}, status_code=404)
            call, _, cancelled = entry
            cancelled[0] = True
            call.cancel()
            return JSONResponse({"cancelled": True})

        async def _stream(self, job: str, call: Any, job_id: int, cancelled: list[bool]) -> AsyncIterator[bytes]:
            finished = False
            try:
                async for frames in call:
                    yield frames
                finished = True
            except asyncio.CancelledError:  # the client went away: Serve's cancel reaches the engine's call
                call.cancel()
                raise
            except Exception as error:  # noqa: BLE001 - the call ended without its answer
                if cancelled[0]:
                    yield encode({"type": "cancelled", "id": job_id, "steps_after_cancel": None})
                else:
                    log.warning("job %s ended without its answer: %r", job_id, error)  # the cause, for the operator
                    yield encode(error_message(job_id, EngineCrashedError(
                        "The server's engine stopped in the middle of this job (it is being restarted); "
                        "try again in a moment.")))
                finished = True
            finally:
                self.jobs.pop(job, None)
                if not finished:
                    call.cancel()

    return Ingress
