"""The ASGI application: FastAPI routes + Socket.IO, with the middlewares and the lifespan."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import socketio
import structlog
from fastapi import APIRouter, FastAPI
from redis.asyncio import Redis
from sqlalchemy import text
from starlette.middleware.cors import CORSMiddleware

from evoai import exception_handlers
from evoai.admin.endpoints import router as admin_router
from evoai.ai.assistant_endpoints import router as assistant_router
from evoai.ai.endpoints import router as ai_router
from evoai.ai.memory_endpoints import router as ai_memory_router
from evoai.auth.endpoints import router as auth_router
from evoai.company.endpoints import router as company_router
from evoai.config import ConfigError, Settings, get_settings
from evoai.contacts import csv_io
from evoai.contacts.endpoints import router as contacts_router
from evoai.dashboard.endpoints import router as dashboard_router
from evoai.db import create_engine, session_factory
from evoai.deadletters.endpoints import router as dead_letters_router
from evoai.deals.endpoints import router as deals_router
from evoai.flows.endpoints import router as flows_router
from evoai.followups.endpoints import router as followups_router
from evoai.funnels.endpoints import router as funnels_router
from evoai.health.endpoints import router as health_router
from evoai.invitations.endpoints import router as invitations_router
from evoai.logging import configure_logging
from evoai.middlewares import (
    BodySizeLimitMiddleware,
    RateLimitMiddleware,
    RequestContextMiddleware,
    UnhandledErrorMiddleware,
)
from evoai.notifications.endpoints import router as notifications_router
from evoai.observability.endpoints import router as metrics_router
from evoai.observability.http import MetricsMiddleware
from evoai.observability.tracing import telemetry_config
from evoai.quick_replies.endpoints import router as quick_replies_router
from evoai.realtime.server import SocketSessions, create_socket_server, register_handlers, watch_revocations
from evoai.state import AppState
from evoai.storage.endpoints import router as media_router
from evoai.web import mount_web
from evoai.whatsapp.endpoints import router as whatsapp_router
from evoai.whatsapp.webhook import router as webhook_router
from evoai.worker.outbox import OutboxRelay

log = structlog.get_logger(__name__)
LOCALHOST_ORIGINS = r"^https?://(localhost|127\.0\.0\.1)(:\d+)?$"


def _api_router() -> APIRouter:
    api = APIRouter(prefix="/api")
    for router in (
        webhook_router,  # first: routes are matched in order, and it takes the most requests
        auth_router,
        company_router,
        invitations_router,
        notifications_router,
        admin_router,
        media_router,
        whatsapp_router,
        contacts_router,
        funnels_router,
        deals_router,
        quick_replies_router,
        dashboard_router,
        ai_router,
        assistant_router,
        ai_memory_router,
        dead_letters_router,
        followups_router,
        flows_router,
    ):
        api.include_router(router)
    return api


async def check_database_role(state: AppState) -> None:
    """Row-level security does not apply to a superuser or a BYPASSRLS role: refuse to run as one
    outside development, where the embedded stack already uses a plain role."""
    async with state.engine.connect() as connection:
        row = (
            await connection.execute(
                text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
            )
        ).first()
    if row is not None and row[0]:
        message = (
            "DATABASE_URL: connects as a superuser or BYPASSRLS role, which row-level security does not "
            "restrict; use a plain role (run migrations with EVOAI_MIGRATION_URL as the owner)"
        )
        if not state.settings.is_development:
            raise ConfigError(message)
        log.warning("database.role_bypasses_rls", hint=message)


def build_state(settings: Settings) -> AppState:
    engine = create_engine(settings, pool_size=settings.DB_POOL_SIZE, max_overflow=settings.DB_POOL_OVERFLOW)
    factory = session_factory(engine)
    redis = Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    return AppState(
        settings=settings,
        engine=engine,
        factory=factory,
        redis=redis,
        relay=OutboxRelay(factory, settings.REDIS_URL),
    )


def create_app(settings: Settings | None = None) -> Any:
    settings = settings or get_settings()
    configure_logging(settings.LOG_LEVEL, json=not settings.is_development)
    state = build_state(settings)
    origins = settings.frontend_origins

    sockets = SocketSessions()
    sio_origins: list[str] | str = origins + (["http://localhost:5173"] if settings.is_development else [])
    sio = create_socket_server(settings.REDIS_URL, "*" if settings.is_development else sio_origins)
    register_handlers(sio, state, sockets)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await check_database_role(state)
        watcher = asyncio.create_task(watch_revocations(sio, sockets, settings.REDIS_URL))
        yield
        if tracing is not None:
            tracing.shutdown()  # flushes the spans still buffered
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await state.relay.close()
        await state.redis.aclose()
        await state.engine.dispose()

    telemetry, tracing = telemetry_config(settings, "evoai-api")
    app = FastAPI(
        title="Evo AI Connect API",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        telemetry=telemetry,
    )
    app.state.evoai = state
    app.state.tracing = tracing
    exception_handlers.install(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    app.include_router(_api_router())
    mount_web(app)

    # Outermost first: request id wraps everything so even a 413 or 429 carries it.
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(RateLimitMiddleware, state=state)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.MAX_BODY_BYTES,
        larger={
            "/api/whatsapp/webhook/": settings.WEBHOOK_MAX_BODY_BYTES,
            "/api/whatsapp/send-media": settings.MEDIA_MAX_BYTES + 64 * 1024,
            "/api/contacts/import": csv_io.MAX_BYTES + 64 * 1024,
            r"/api/deals/[^/]+/attachments$": settings.DEAL_ATTACHMENT_MAX_BYTES + 64 * 1024,
        },
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_origin_regex=LOCALHOST_ORIGINS if settings.is_development else None,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Content-Type", "Authorization", "X-Request-ID", "X-Idempotency-Key"],
        expose_headers=[
            "X-Request-ID",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
            "Retry-After",
        ],
    )
    # Inside the request id, outside everything else: 413s and 429s are measured too.
    app.add_middleware(MetricsMiddleware, router=app.router)
    app.add_middleware(RequestContextMiddleware)

    app.state.sio = sio
    return socketio.ASGIApp(sio, other_asgi_app=app, socketio_path="socket.io")
