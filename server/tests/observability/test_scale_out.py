"""Two real `evoai api` processes on one PostgreSQL and Redis: a realtime event caused on process B
reaches a browser connected to process A (Socket.IO's Redis manager), and either process serves
the other's sessions."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Any

import httpx
import socketio

from evoai.config import Settings
from tests.conftest import register
from tests.observability.obs_helpers import process_env, start_api


async def test_an_event_from_process_b_reaches_a_browser_on_process_a(
    settings: Settings, tmp_path: Path
) -> None:
    env = process_env(settings, tmp_path / "data", LOG_LEVEL="warning")
    first, base_a = await asyncio.to_thread(start_api, env, tmp_path / "a.log")
    second, base_b = await asyncio.to_thread(start_api, env, tmp_path / "b.log")
    browser = socketio.AsyncClient(reconnection=False)
    try:
        async with httpx.AsyncClient(base_url=base_a) as on_a, httpx.AsyncClient(base_url=base_b) as on_b:
            account = await register(on_a, "Paula", "Two Pods")
            received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
            browser.on("contact-updated", received.put_nowait)
            await browser.connect(base_a, auth={"token": account.access}, transports=["websocket"])

            # The token issued by A works on B; the change is made (and its event emitted) on B.
            created = await on_b.post(
                "/api/contacts",
                headers=account.headers,
                json={"name": "Cliente Remoto", "phoneNumber": "5511955554444"},
            )
            assert created.status_code == 201, created.text
            event = await asyncio.wait_for(received.get(), 10)
            assert event["id"] == created.json()["data"]["id"]
    finally:
        await browser.disconnect()
        for process in (first, second):
            process.send_signal(signal.SIGTERM)
        for process in (first, second):
            await asyncio.to_thread(process.wait, 30)
