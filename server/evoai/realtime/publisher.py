"""Emit Socket.IO events from any process (API, worker) through the Redis manager."""

from __future__ import annotations

from typing import Any

import socketio

CHANNEL = "evoai-socketio"
# Session ids whose sockets every API process must drop (logout, removal, token theft).
REVOCATIONS_CHANNEL = "evoai-revocations"


def company_room(company_id: object) -> str:
    return f"company:{company_id}"


def user_room(user_id: object) -> str:
    return f"user:{user_id}"


class Publisher:
    def __init__(self, redis_url: str) -> None:
        self._manager = socketio.AsyncRedisManager(redis_url, channel=CHANNEL, write_only=True)

    async def emit(self, room: str, event: str, data: dict[str, Any]) -> None:
        await self._manager.emit(event, data, room=room, namespace="/")
