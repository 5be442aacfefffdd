"""Job name -> handler, per queue. Domains register their tasks here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from evoai.notifications import tasks as notification_tasks
from evoai.worker import queues
from evoai.worker.context import JobContext

Handler = Callable[[JobContext, dict[str, Any]], Awaitable[Any]]

HANDLERS: dict[str, dict[str, Handler]] = {
    queues.MESSAGE: {"notifications.welcome": notification_tasks.welcome},
    queues.FOLLOWUP: {},
    queues.EMBEDDING: {},
    queues.FLOW: {},
}
