"""`sketchpad generate --server URL` and `sketchpad models --server URL`: the same commands on a server.

The request is the one the window sends (a melody travels as the person gave it; the server prepares
it for the model), over engine_link/remote.py; answers and faults come back as one-line errors.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
from collections.abc import Callable
from typing import Any

from sketchpad.cli.errors import CliError
from sketchpad.engine_link.remote import TOKEN_VARIABLE, RemoteEngine, RemoteError, ServerAddress, fetch_offers
from sketchpad.engine_link.wire import Message

WAIT_S = 3600.0


def address_of(args: argparse.Namespace) -> ServerAddress:
    try:
        return ServerAddress(args.server, args.token or os.environ.get(TOKEN_VARIABLE))
    except RemoteError as error:
        raise CliError(str(error)) from None


class Session:
    """A RemoteEngine used one job at a time from a plain thread: `call` blocks until the answer."""

    def __init__(self, address: ServerAddress) -> None:
        self.inbox: queue.Queue[Message] = queue.Queue()
        self.engine = RemoteEngine(address, self.inbox.put)
        self.engine.start()
        self.ready = self._wait_for("ready", None)

    def _wait_for(self, kind: str, job_id: int | None,
                  on_message: Callable[[Message], None] | None = None) -> Message:
        while True:
            try:
                message = self.inbox.get(timeout=WAIT_S)
            except queue.Empty:
                raise CliError("the server said nothing for an hour; giving up") from None
            if message["type"] in ("failed", "exited"):
                raise CliError(message.get("message") or message.get("problem") or "the connection to the server ended")
            if job_id is not None and message.get("id") != job_id:
                continue
            if message["type"] == kind:
                return message
            if message["type"] == "error":
                raise CliError(str(message.get("message")))
            if message["type"] == "cancelled":
                raise CliError("the server cancelled the job")
            if on_message is not None:
                on_message(message)

    def call(self, kind: str, on_message: Callable[[Message], None] | None = None, **fields: Any) -> dict[str, Any]:
        job_id = self.engine.request(kind, **fields)
        return self._wait_for("result", job_id, on_message)["value"]

    def close(self) -> None:
        self.engine.stop()


def run_models(args: argparse.Namespace) -> int:
    address = address_of(args)
    try:
        offers = fetch_offers(address)
    except RemoteError as error:
        raise CliError(str(error)) from None
    print(f"Server {address.url}: {offers.get('device')}, protocol {offers.get('protocol')}")
    print(f"{'model':38} status")
    for item in offers.get("models", []):
        print(f"{item['name']:38} {'on disk' if item.get('on_disk') else 'downloads on first use'}")
    print(f"\nPrecisions: {', '.join(offers.get('precisions', []))} (this server uses {offers.get('precision')})")
    mbd = "on disk" if offers.get("mbd_on_disk") else "downloads on first use"
    print(f"MultiBand Diffusion decoder: {mbd}")
    return 0


def run_generate(args: argparse.Namespace, request: Any, melody: Any, progress: Any, decoding: Any) -> list[Any]:
    """Takes (GenerationResult) from the server, their audio already switched to --decoder."""
    from sketchpad.core import decoders
    from sketchpad.engine_link import messages

    session = Session(address_of(args))
    try:
        print(f"Generating with {request.model} on {session.ready['device']}...", file=sys.stderr)

        def show(message: Message) -> None:
            if message["type"] == "progress" and message.get("stage") == "Generating":
                progress(int(message["done"]), int(message["total"]))

        fields: dict[str, Any] = {"request": messages.request_to_message(request)}
        if melody is not None:
            fields["melody_source"] = messages.melody_to_message(
                messages.MelodySource(melody.samples, melody.sample_rate))
        value = session.call("generate", show, **fields)
        progress.finish()
        results = [messages.result_from_message(take) for take in value["takes"]]
        if args.decoder == decoders.MBD:
            def show_decoding(message: Message) -> None:
                if message["type"] == "progress" and message.get("total"):
                    decoding(int(message["done"]), int(message["total"]))

            for index, result in enumerate(results):
                decoded = session.call("decode", show_decoding, model=request.model, tokens=result.tokens,
                                       decoder=decoders.MBD, seed=result.params["seed"],
                                       loop=result.params.get("loop"))
                results[index] = type(result)(audio=decoded["audio"], tokens=result.tokens,
                                              sample_rate=result.sample_rate, params=result.params)
            decoding.finish()
        return results
    finally:
        session.close()
