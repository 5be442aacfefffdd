"""A real sandbox on a free 127.0.0.1 port (uvicorn in a thread) and a webhook receiver that records."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from evoai.ops.embedded import free_port
from evoai.sandbox.app import create_app
from evoai.sandbox.settings import SandboxSettings

GLOBAL_KEY = "sandbox-test-global-key"


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Receiver:
    """Records every POST; `fail[path]` holds status codes to answer before answering 200."""

    port: int = 0
    hits: list[Hit] = field(default_factory=list)
    fail: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def events(self, event: str, instance: str | None = None) -> list[Hit]:
        with self.lock:
            return [
                h
                for h in self.hits
                if h.body.get("event") == event and (instance is None or h.body.get("instance") == instance)
            ]

    async def wait(
        self, predicate: Callable[[], list[Hit]], count: int = 1, within: float = 5.0
    ) -> list[Hit]:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = predicate()
            if len(found) >= count:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"only {len(predicate())} of {count} webhooks arrived; all: {self.hits}")


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with receiver.lock:
                receiver.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                queued = receiver.fail.get(self.path) or []
                status = queued.pop(0) if queued else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    recorder = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    recorder.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield recorder
    server.shutdown()
    server.server_close()


@dataclass
class RunningSandbox:
    url: str
    settings: SandboxSettings


def start_sandbox(data_dir: Path) -> tuple[RunningSandbox, uvicorn.Server, threading.Thread]:
    settings = SandboxSettings(
        api_key=GLOBAL_KEY,
        data_dir=data_dir,
        port=free_port(),
        retry_initial_delay=0.05,
        retry_max_delay=0.2,
        server_ack_delay=0.05,
        delivery_ack_delay=0.15,
    )
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=settings.port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.02)
    return RunningSandbox(settings.server_url, settings), server, thread


def stop_sandbox(server: uvicorn.Server, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running, server, thread = start_sandbox(tmp_path_factory.mktemp("sandbox-data"))
    yield running
    stop_sandbox(server, thread)


@pytest.fixture
async def http(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.url, headers={"apikey": GLOBAL_KEY}, timeout=10) as client:
        yield client


_counter = iter(range(1, 10_000))


def unique_name(prefix: str = "loja") -> str:
    return f"{prefix}-{next(_counter)}-{int(time.time() * 1000) % 100000}"


async def create_instance(
    http: httpx.AsyncClient, receiver: Receiver, *, events: list[str] | None = None, **webhook: Any
) -> tuple[str, str]:
    """Create an instance whose webhook points at the receiver; returns (name, instance token)."""
    name = unique_name()
    spec = {
        "url": receiver.url,
        "byEvents": False,
        "base64": False,
        "headers": {"x-webhook-secret": "s3cr3t"},
    }
    spec |= webhook
    spec["events"] = [] if events is None else events
    response = await http.post(
        "/instance/create", json={"instanceName": name, "integration": "WHATSAPP-BAILEYS", "webhook": spec}
    )
    assert response.status_code == 201, response.text
    return name, str(response.json()["hash"])


async def connect_and_scan(http: httpx.AsyncClient, name: str) -> dict[str, Any]:
    qr = await http.get(f"/instance/connect/{name}")
    assert qr.status_code == 200, qr.text
    scanned = await http.post(f"/sandbox/instances/{name}/scan", json={})
    assert scanned.status_code == 200, scanned.text
    body: dict[str, Any] = qr.json()
    return body
