"""Test helpers: fixture bodies and a local HTTP server that plays a gateway.

The server is a real aiohttp app on 127.0.0.1 (random port), so the adapters' full HTTP stack runs:
connection handling, timeouts, status codes, JSON bodies and headers.
"""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "whatsapp"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_names(prefix: str) -> list[str]:
    return sorted(p.name for p in FIXTURES.glob(f"{prefix}*.json"))


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    delay: float = 0.0  # seconds before answering (to provoke client read timeouts)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class FakeGateway:
    """Answers each `(method, path)` with the queued replies in order; the last one repeats.
    Unrouted requests get Evolution's 404 envelope."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._routes: dict[tuple[str, str], list[Reply]] = {}
        self._runner: web.AppRunner | None = None
        self.url = ""

    def on(self, method: str, path: str, *replies: Reply) -> None:
        self._routes[(method, path)] = list(replies) or [Reply()]

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw) if raw else None
        # The raw (still percent-encoded) path, so tests see exactly what the client put on the wire.
        path = request.rel_url.raw_path
        self.requests.append(Recorded(request.method, path, dict(request.query), dict(request.headers), body))
        queue = self._routes.get((request.method, path))
        if not queue:
            message = {
                "status": 404,
                "error": "Not Found",
                "response": {"message": [f"Cannot {request.method}"]},
            }
            return web.json_response(message, status=404)
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.body is None:
            return web.Response(status=reply.status, headers=reply.headers)
        return web.json_response(reply.body, status=reply.status, headers=reply.headers)
