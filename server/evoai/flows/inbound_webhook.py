"""POST /api/flows/webhook/:flowId/:secret: a WEBHOOK flow started by another system.

No Bearer token: the flow's own random secret, compared in constant time; a wrong secret, an
unknown, inactive or non-WEBHOOK flow are all the same 404. The body (a JSON object up to 64 KB) is
`trigger.*`; its `contactId` or `phone` picks the contact (422 when none is found). An
Idempotency-Key header makes a retried call start nothing new."""

from __future__ import annotations

import hmac
import json
import uuid
from typing import Any

from fastapi import Request
from sqlalchemy import select

from evoai.db import system_session
from evoai.deps import app_state
from evoai.exceptions import AppError, Conflict, NotFound, Unprocessable, ValidationFailed
from evoai.flows.engine import start
from evoai.models import AutomationFlow, Contact
from evoai.whatsapp.identity import phone_key
from evoai.worker.enqueue import committed_outbox_ids

MAX_BODY = 64 * 1024


class TooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


async def _body(request: Request) -> dict[str, Any]:
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise TooLarge("O corpo passa de 64 KB")
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise ValidationFailed("O corpo deve ser JSON") from None
    if not isinstance(body, dict):
        raise ValidationFailed("O corpo deve ser um objeto JSON")
    return body


async def receive(request: Request, flow_id: str, secret: str) -> uuid.UUID:
    try:
        wanted = uuid.UUID(flow_id)
    except ValueError:
        raise NotFound("Fluxo não encontrado") from None
    factory = app_state(request).factory
    async with system_session(factory) as session:
        found = (
            await session.execute(
                select(
                    AutomationFlow.company_id, AutomationFlow.webhook_secret, AutomationFlow.is_active
                ).where(AutomationFlow.id == wanted, AutomationFlow.trigger_type == "WEBHOOK")
            )
        ).first()
    if (
        found is None
        or not hmac.compare_digest(found.webhook_secret.encode(), secret.encode())
        or not found.is_active
    ):
        raise NotFound("Fluxo não encontrado")
    body = await _body(request)
    key = request.headers.get("idempotency-key", "")[:120] or uuid.uuid4().hex
    async with system_session(factory, company_id=found.company_id) as session:
        flow = await session.scalar(select(AutomationFlow).where(AutomationFlow.id == wanted))
        if flow is None or not flow.is_active:
            raise NotFound("Fluxo não encontrado")
        contact_id = await _contact(session, flow.company_id, body)
        execution_id = await start(
            session,
            flow,
            contact_id=contact_id,
            conversation_id=None,
            dedupe_key=f"webhook:{key}",
            variables={"trigger": body},
        )
        if execution_id is None:
            raise Conflict("O contato já está neste fluxo, ou esta chamada já foi recebida")
    ids = committed_outbox_ids(session)
    if ids:
        app_state(request).relay.relay_soon(ids)
    return execution_id


async def _contact(session: Any, company_id: uuid.UUID, body: dict[str, Any]) -> uuid.UUID:
    contact_id: uuid.UUID | None = None
    if isinstance(body.get("contactId"), str):
        try:
            contact_id = await session.scalar(
                select(Contact.id).where(
                    Contact.id == uuid.UUID(body["contactId"]), Contact.company_id == company_id
                )
            )
        except ValueError:
            contact_id = None
    if contact_id is None and isinstance(body.get("phone"), str | int):
        key = phone_key("".join(ch for ch in str(body["phone"]) if ch.isdigit()))
        if key:
            contact_id = await session.scalar(
                select(Contact.id).where(Contact.phone_key == key, Contact.company_id == company_id)
            )
    if contact_id is None:
        raise Unprocessable("Nenhum contato encontrado para `contactId` ou `phone`")
    return contact_id
