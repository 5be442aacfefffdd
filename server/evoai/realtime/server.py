"""Socket.IO on the API: clients authenticate with their access token and join their rooms."""

from __future__ import annotations

from typing import Any

import socketio
import structlog
from sqlalchemy import select

from evoai.auth.tokens import decode_access_token
from evoai.exceptions import Unauthorized
from evoai.models import AuthSession
from evoai.realtime.publisher import CHANNEL, company_room, user_room
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


def register_handlers(sio: socketio.AsyncServer, state: AppState) -> None:
    async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None) -> bool:
        token = (auth or {}).get("token") if isinstance(auth, dict) else None
        if not token:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        try:
            claims = decode_access_token(state.settings, str(token))
        except Unauthorized:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized") from None
        async with state.factory() as session:
            live = await session.scalar(
                select(AuthSession.id).where(
                    AuthSession.id == claims.session_id, AuthSession.revoked_at.is_(None)
                )
            )
        if live is None:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        await sio.enter_room(sid, user_room(claims.user_id))
        if claims.company_id:
            await sio.enter_room(sid, company_room(claims.company_id))
        await sio.save_session(sid, {"user_id": str(claims.user_id), "company_id": str(claims.company_id)})
        return True

    sio.on("connect", connect)


async def ask_clients_to_reconnect(sio: socketio.AsyncServer) -> None:
    """During a rollout: tell this process's browsers to reconnect (to a pod that stays)."""
    try:
        await sio.emit("server:reconnect", {"reason": "shutdown"})
    except Exception as exc:
        log.warning("realtime.reconnect_notice_failed", error=str(exc)[:200])
