"""Webhook delivery as Evolution 2.3.7 does it: envelope, headers, byEvents suffix, event filter, retries.

Every event goes through a per-instance queue, so first attempts reach the receiver in emit order. A
delivery that fails with a retryable status leaves the queue and retries on its own timer (backoff
doubling from `retry_initial_delay`), so one bad moment of the receiver does not hold back later events.
No HTTP handler ever waits for a delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt

from evoai.sandbox.payloads import JSON, evolution_date_time
from evoai.sandbox.settings import SandboxSettings
from evoai.sandbox.state import Instance

log = logging.getLogger("evoai.sandbox")

NON_RETRYABLE = frozenset({400, 401, 403, 404, 422})
AXIOS_HEADERS = {
    "Accept": "application/json, text/plain, */*",
    "Content-Type": "application/json",
    "User-Agent": "axios/1.7.9",
}


def event_names(event: str) -> tuple[str, str]:
    """`messages.upsert` -> (`MESSAGES_UPSERT`, `messages-upsert`): the filter name and the URL suffix."""
    upper = event.replace(".", "_").replace("-", "_").upper()
    return upper, upper.replace("_", "-").lower()


def _headers(configured: dict[str, Any]) -> dict[str, str]:
    headers = {name: str(value) for name, value in configured.items() if name != "jwt_key"}
    if "jwt_key" in configured:
        issued = int(time.time())
        claims = {"iat": issued, "exp": issued + 600, "app": "evolution", "action": "webhook"}
        headers["Authorization"] = "Bearer " + jwt.encode(
            claims, str(configured["jwt_key"]), algorithm="HS256"
        )
    return {**AXIOS_HEADERS, **headers}


@dataclass
class Delivery:
    event: str
    url: str
    headers: dict[str, str]
    body: JSON
    attempts: int = 0
    outcome: str = "pendente"
    finished: bool = False
    at: float = field(default_factory=time.time)

    def summary(self) -> JSON:
        return {
            "event": self.event,
            "url": self.url,
            "attempts": self.attempts,
            "outcome": self.outcome,
            "finished": self.finished,
            "at": self.at,
        }


class Dispatcher:
    def __init__(self, settings: SandboxSettings, client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.client = client or httpx.AsyncClient(timeout=settings.request_timeout)
        self.recent: deque[Delivery] = deque(maxlen=50)
        self._queues: dict[str, asyncio.Queue[Delivery]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def emit(self, instance: Instance, event: str, data: Any) -> None:
        """Queue `event` for the instance's webhook if it is enabled and subscribed to it."""
        webhook = instance.webhook
        upper, suffix = event_names(event)
        if webhook is None or not webhook.enabled or upper not in webhook.events:
            return
        if not webhook.url.startswith(("http://", "https://")):
            return
        body: JSON = {
            "event": event,
            "instance": instance.name,
            "data": data,
            "destination": webhook.url,
            "date_time": evolution_date_time(),
        }
        if instance.owner_jid:  # JSON drops Evolution's undefined `sender` before the first connection
            body["sender"] = instance.owner_jid
        body |= {"server_url": self.settings.server_url, "apikey": instance.token}
        url = f"{webhook.url}/{suffix}" if webhook.by_events else webhook.url
        delivery = Delivery(event, url, _headers(webhook.headers), body)
        self.recent.append(delivery)
        queue = self._queues.get(instance.id)
        if queue is None:
            queue = self._queues[instance.id] = asyncio.Queue()
            self._spawn(self._drain(queue))
        queue.put_nowait(delivery)

    def _spawn(self, coroutine: Any) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, queue: asyncio.Queue[Delivery]) -> None:
        while True:
            delivery = await queue.get()
            if not await self._attempt(delivery):
                self._spawn(self._retry(delivery))

    async def _retry(self, delivery: Delivery) -> None:
        while delivery.attempts < self.settings.retry_max_attempts:
            await asyncio.sleep(self._delay(delivery.attempts))
            if await self._attempt(delivery):
                return
        delivery.finished = True

    def _delay(self, attempt: int) -> float:
        initial = self.settings.retry_initial_delay
        base = min(initial * 2 ** (attempt - 1), self.settings.retry_max_delay)
        return float(max(initial, base * random.uniform(0.8, 1.2)))

    async def _attempt(self, delivery: Delivery) -> bool:
        """True when the delivery is settled (delivered, or refused for good)."""
        delivery.attempts += 1
        try:
            response = await self.client.post(delivery.url, json=delivery.body, headers=delivery.headers)
        except httpx.HTTPError as exc:
            delivery.outcome = f"erro: {type(exc).__name__}"
            log.info("webhook %s to %s failed: %s", delivery.event, delivery.url, exc)
            return self._give_up_if_last(delivery)
        delivery.outcome = str(response.status_code)
        if response.is_success:
            delivery.finished = True
            return True
        if response.status_code in NON_RETRYABLE:
            delivery.finished = True
            log.info("webhook %s to %s refused with %s", delivery.event, delivery.url, response.status_code)
            return True
        return self._give_up_if_last(delivery)

    def _give_up_if_last(self, delivery: Delivery) -> bool:
        if delivery.attempts >= self.settings.retry_max_attempts:
            delivery.finished = True
            return True
        return False

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.aclose()
