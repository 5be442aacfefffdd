"""Socket.IO on the API: clients authenticate with their access token and join their rooms.

Rooms come from the database (the session's company, if the user is still a member), never from
the token's claims, and a revoked session's sockets are dropped by every API process.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import socketio
import structlog
from redis.asyncio import Redis
from sqlalchemy import select

from evoai.auth.tokens import decode_access_token
from evoai.db import use_tenant
from evoai.exceptions import Unauthorized
from evoai.models import AuthSession, Membership
from evoai.realtime.publisher import CHANNEL, REVOCATIONS_CHANNEL, company_room, user_room
from evoai.state import AppState

log = structlog.get_logger(__name__)


def create_socket_server(redis_url: str, cors_origins: list[str] | str) -> socketio.AsyncServer:
    manager = socketio.AsyncRedisManager(redis_url, channel=CHANNEL)
    return socketio.AsyncServer(
        async_mode="asgi",
        client_manager=manager,
        cors_allowed_origins=cors_origins,
        logger=False,
        engineio_logger=False,
    )


class SocketSessions:
    """This process's sockets per auth session, so a revocation can drop them."""

    def __init__(self) -> None:
        self.by_session: dict[str, set[str]] = defaultdict(set)

    def add(self, session_id: str, sid: str) -> None:
        self.by_session[session_id].add(sid)

    def remove(self, session_id: str | None, sid: str) -> None:
        if session_id and session_id in self.by_session:
            self.by_session[session_id].discard(sid)
            if not self.by_session[session_id]:
                del self.by_session[session_id]


def register_handlers(sio: socketio.AsyncServer, state: AppState, sockets: SocketSessions) -> None:
    async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None) -> bool:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not token:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        try:
            claims = decode_access_token(state.settings, str(token))
        except Unauthorized:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized") from None
        async with state.factory() as session, session.begin():
            auth_session = await session.get(AuthSession, claims.session_id)
            if (
                auth_session is None
                or auth_session.user_id != claims.user_id
                or auth_session.revoked_at is not None
                or auth_session.expires_at <= datetime.now(UTC)
            ):
                raise socketio.exceptions.ConnectionRefusedError("unauthorized")
            company_id = auth_session.company_id
            if company_id is not None:
                await use_tenant(session, company_id=company_id, user_id=claims.user_id)
                member = await session.scalar(
                    select(Membership.id).where(
                        Membership.user_id == claims.user_id, Membership.company_id == company_id
                    )
                )
                company_id = company_id if member is not None else None
        await sio.enter_room(sid, user_room(claims.user_id))
        if company_id is not None:
            await sio.enter_room(sid, company_room(company_id))
        session_id = str(claims.session_id)
        sockets.add(session_id, sid)
        await sio.save_session(sid, {"user_id": str(claims.user_id), "session_id": session_id})
        return True

    async def disconnect(sid: str, reason: Any = None) -> None:
        saved = await sio.get_session(sid)
        sockets.remove(saved.get("session_id"), sid)

    sio.on("connect", connect)
    sio.on("disconnect", disconnect)


async def watch_revocations(sio: socketio.AsyncServer, sockets: SocketSessions, redis_url: str) -> None:
    """Drop this process's sockets of sessions revoked anywhere (runs for the API's lifetime)."""
    while True:
        redis = Redis.from_url(redis_url)
        try:
            async with redis.pubsub() as pubsub:
                await pubsub.subscribe(REVOCATIONS_CHANNEL)
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    for session_id in json.loads(message["data"]).get("sessionIds", []):
                        for sid in list(sockets.by_session.get(session_id, ())):
                            await sio.disconnect(sid)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # Redis restarted: subscribe again
            log.warning("realtime.revocations_listener_failed", error=str(exc)[:200])
            await asyncio.sleep(1)
        finally:
            await redis.aclose()


async def ask_clients_to_reconnect(sio: socketio.AsyncServer) -> None:
    """During a rollout: tell this process's browsers to reconnect (to a pod that stays)."""
    try:
        # Only this process's sockets: through the Redis manager every pod's browsers would reconnect.
        await sio.emit("server:reconnect", {"reason": "shutdown"}, ignore_queue=True)
    except Exception as exc:
        log.warning("realtime.reconnect_notice_failed", error=str(exc)[:200])
