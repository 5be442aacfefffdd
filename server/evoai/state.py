"""Process-wide resources of the API, created in the lifespan and reached through `request.app.state`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from evoai.config import Settings
from evoai.worker.outbox import OutboxRelay


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    factory: async_sessionmaker[AsyncSession]
    redis: Redis
    relay: OutboxRelay
    started_at: float = field(default_factory=time.monotonic)
    draining: bool = False
