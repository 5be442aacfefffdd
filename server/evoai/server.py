"""uvicorn with a draining shutdown: on SIGTERM readiness turns 503 and in-flight requests finish.

With SHUTDOWN_DRAIN_SECONDS the process first keeps serving that long (readiness already 503), so a
load balancer or Kubernetes takes it out of rotation before it stops accepting connections; then
uvicorn's graceful shutdown waits up to SHUTDOWN_GRACE_SECONDS for the requests in flight.
"""

from __future__ import annotations

import asyncio
from types import FrameType
from typing import Any

import uvicorn

from evoai.app import create_app
from evoai.config import Settings
from evoai.kit.memory import settle_heap
from evoai.realtime.server import ask_clients_to_reconnect
from evoai.state import AppState


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, state: AppState, sio: Any, drain_seconds: float = 0) -> None:
        super().__init__(config)
        self._state = state
        self._sio = sio
        self._drain_seconds = drain_seconds
        self._stop_timer: asyncio.TimerHandle | None = None
        self._notice: asyncio.Task[None] | None = None  # kept so the task is not garbage-collected

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if not self._state.draining:
            self._state.draining = True
            if self._drain_seconds > 0:
                self._stop_timer = asyncio.get_running_loop().call_later(
                    self._drain_seconds, self._stop_accepting, sig, frame
                )
                return
        elif self._stop_timer is not None:
            # A second signal during the drain delay: stop accepting now.
            self._stop_timer.cancel()
        self._stop_accepting(sig, frame)

    def _stop_accepting(self, sig: int, frame: FrameType | None) -> None:
        self._stop_timer = None
        if self._notice is None:
            # Browsers reconnect once this process stops accepting, so they land on another one.
            self._notice = asyncio.get_running_loop().create_task(ask_clients_to_reconnect(self._sio))
        super().handle_exit(sig, frame)


def serve(settings: Settings, host: str, port: int) -> None:
    asgi = create_app(settings)
    fastapi_app = asgi.other_asgi_app
    config = uvicorn.Config(
        asgi,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=None,
        timeout_graceful_shutdown=settings.SHUTDOWN_GRACE_SECONDS,
        lifespan="on",
    )
    settle_heap()
    DrainingServer(
        config, fastapi_app.state.evoai, fastapi_app.state.sio, settings.SHUTDOWN_DRAIN_SECONDS
    ).run()
