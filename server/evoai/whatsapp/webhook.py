"""`POST /api/whatsapp/webhook/{instanceName}[/{event}]`: verify, normalise, store once, then acknowledge.

The gateway gets its 200 only after the commit; if PostgreSQL cannot store the event we answer 503 so
it retries (Evolution retries everything but 400/401/403/404/422). Unknown events are acknowledged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, select, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.deps import app_state
from evoai.exception_handlers import envelope, unavailable_response
from evoai.kit.crypto import DecryptionError, decrypt
from evoai.kit.text import json_body_is_storable
from evoai.models import WhatsAppInstance
from evoai.observability.metrics import record_webhook
from evoai.whatsapp.ingest import InstanceInfo, ingest_events
from evoai.whatsapp.media import store_inline_media
from evoai.whatsapp.providers import parse_webhook
from evoai.whatsapp.providers.base import MalformedPayload, ParsedWebhook, ProviderName
from evoai.worker.enqueue import committed_outbox_ids

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/whatsapp", tags=["whatsapp"])
CACHE_SECONDS = 10.0
INGEST_ATTEMPTS = 3


@dataclass(frozen=True)
class WebhookTarget:
    info: InstanceInfo
    provider: ProviderName
    secret: str
    gateway_token: str | None
    loaded_at: float


class InstanceDirectory:
    """Instance name -> what a delivery needs, cached briefly: every webhook would otherwise pay a
    cross-tenant lookup and two decryptions before its real work."""

    def __init__(self) -> None:
        self._entries: dict[str, WebhookTarget] = {}

    async def find(
        self, factory: async_sessionmaker[AsyncSession], key: bytes, name: str
    ) -> WebhookTarget | None:
        cached = self._entries.get(name)
        if cached is not None and time.monotonic() - cached.loaded_at < CACHE_SECONDS:
            return cached
        async with factory() as session:
            # The instance is found by its gateway name before we know its company.
            session.info["bypass_rls"] = True
            async with session.begin():
                row = await session.scalar(
                    select(WhatsAppInstance).where(
                        WhatsAppInstance.gateway_name == name, WhatsAppInstance.deleted_at.is_(None)
                    )
                )
        if row is None:
            self._entries.pop(name, None)
            return None
        try:
            secret = decrypt(row.webhook_secret_encrypted, key)
            token = decrypt(row.gateway_token_encrypted, key) if row.gateway_token_encrypted else None
        except DecryptionError:
            log.error("webhook.secret_unreadable", instance=name)
            return None
        target = WebhookTarget(
            info=InstanceInfo.of(row),
            provider=row.provider,  # type: ignore[arg-type]
            secret=secret,
            gateway_token=token,
            loaded_at=time.monotonic(),
        )
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[name] = target
        return target

    def forget(self, name: str) -> None:
        self._entries.pop(name, None)


def directory(request: Request) -> InstanceDirectory:
    found: InstanceDirectory | None = getattr(request.app.state, "webhook_directory", None)
    if found is None:
        found = InstanceDirectory()
        request.app.state.webhook_directory = found
    return found


def _signature_ok(body: bytes, header: str, secret: str) -> bool:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.strip().removeprefix("sha256="), expected)


def _authenticated(request: Request, body: bytes, target: WebhookTarget, webhook_secret: str) -> bool:
    token = request.headers.get("x-webhook-token") or request.query_params.get("token")
    if token and hmac.compare_digest(token.encode(), target.secret.encode()):
        return True
    signature = request.headers.get("x-webhook-signature")
    return bool(signature and _signature_ok(body, signature, webhook_secret))


def _body_token_ok(payload: Any, target: WebhookTarget) -> bool:
    """UAZAPI puts the instance token in every body; a configured header may not be possible there."""
    token = payload.get("token") if isinstance(payload, dict) else None
    return bool(
        target.provider == "UAZAPI"
        and isinstance(token, str)
        and target.gateway_token
        and hmac.compare_digest(token.encode(), target.gateway_token.encode())
    )


@router.post("/webhook/{instance_name}", include_in_schema=True)
@router.post("/webhook/{instance_name}/{event}", include_in_schema=False)
async def receive_webhook(request: Request, instance_name: str, event: str | None = None) -> JSONResponse:
    state = app_state(request)
    try:
        target = await directory(request).find(
            state.factory, state.settings.encryption_key_bytes, instance_name
        )
    except (OSError, DBAPIError) as exc:
        return unavailable_response(request.url.path, exc)
    if target is None:
        return envelope(404, f"Instância {instance_name[:80]} não encontrada", "not_found")
    body = await request.body()
    header_ok = _authenticated(request, body, target, state.settings.WEBHOOK_SECRET)
    if not header_ok and target.provider != "UAZAPI":
        return envelope(401, "Webhook não autenticado", "unauthorized")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        if not header_ok:
            return envelope(401, "Webhook não autenticado", "unauthorized")
        log.warning("webhook.malformed", instance=instance_name, reason="invalid JSON")
        return envelope(400, "Corpo inválido: não é JSON", "bad_request")
    if not header_ok and not _body_token_ok(payload, target):
        return envelope(401, "Webhook não autenticado", "unauthorized")
    try:
        parsed = parse_webhook(target.provider, payload, event_hint=event)
    except MalformedPayload as exc:
        log.warning("webhook.malformed", instance=instance_name, reason=str(exc)[:300])
        return envelope(400, f"Corpo inválido: {exc}", "bad_request")
    return await _store(request, target, parsed, known_storable=json_body_is_storable(body))


async def _store(
    request: Request, target: WebhookTarget, parsed: ParsedWebhook, *, known_storable: bool
) -> JSONResponse:
    state = app_state(request)
    stored_media = await store_inline_media(state.settings, target.info.company_id, parsed.events)
    reason = "ignored"
    ids: list[int] = []
    for attempt in range(1, INGEST_ATTEMPTS + 1):
        try:
            async with state.factory() as session:
                session.info["company_id"] = target.info.company_id
                async with session.begin():
                    reason = await ingest_events(
                        session,
                        target.info,
                        parsed.events,
                        settings=state.settings,
                        stored_media=stored_media,
                        known_storable=known_storable,
                    )
                ids = committed_outbox_ids(session)
            break
        except IntegrityError as exc:
            # Two deliveries raced on a unique key (a new contact's LID, say): the retry sees the winner.
            if attempt == INGEST_ATTEMPTS:
                return unavailable_response(request.url.path, exc)
        except DataError as exc:
            # A value PostgreSQL refuses whatever we retry: acknowledge (a retry cannot help) and
            # keep the evidence in the logs.
            log.error("webhook.unstorable", instance=target.info.name, error=str(exc.orig)[:300])
            return JSONResponse({"success": True, "processed": False, "reason": "unstorable"})
        except (OSError, DBAPIError) as exc:
            return unavailable_response(request.url.path, exc)
    if ids:
        state.relay.relay_soon(ids)
    record_webhook(parsed, reason)
    await _note_activity(state.factory, target)
    return JSONResponse(
        {"success": True, "processed": reason not in ("ignored", "duplicate"), "reason": reason}
    )


_last_noted: dict[uuid.UUID, float] = {}
ACTIVITY_EVERY_SECONDS = 30.0


async def _note_activity(factory: async_sessionmaker[AsyncSession], target: WebhookTarget) -> None:
    """Record when the instance last spoke (monitoring silent webhooks), at most every 30 s per process:
    one row shared by every delivery must not become a lock all deliveries queue on."""
    now = time.monotonic()
    if now - _last_noted.get(target.info.id, 0.0) < ACTIVITY_EVERY_SECONDS:
        return
    _last_noted[target.info.id] = now
    try:
        async with factory() as session:
            session.info["company_id"] = target.info.company_id
            async with session.begin():
                await session.execute(
                    update(WhatsAppInstance)
                    .where(WhatsAppInstance.id == target.info.id)
                    .values(last_event_at=func.now())
                )
    except (OSError, DBAPIError) as exc:
        log.warning("webhook.activity_not_noted", error=str(exc)[:200])
