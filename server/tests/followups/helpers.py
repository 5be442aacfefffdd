"""Shared steps of the follow-up tests: a company with a connected instance and a customer chat,
rules made through the API, and the follow-up job run directly with a clock the test moves."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from evoai.db import system_session
from evoai.followups import fire
from evoai.kit import clock
from evoai.models import Contact, ContactEvent, Conversation, Followup, Message
from evoai.worker.context import JobContext
from tests.conftest import Account, register
from tests.whatsapp.wa_helpers import Gateway, make_instance, state_of, text_upsert

CUSTOMER = "5511977776666"


class Clock:
    """The time follow-ups decide by, moved by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = datetime.now(UTC)
        monkeypatch.setattr(clock, "now", lambda: self.at)

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at

    def set(self, moment: datetime) -> datetime:
        self.at = moment
        return moment


@dataclass
class Shop:
    app: Any
    client: httpx.AsyncClient
    account: Account
    gateway: Gateway

    @property
    def headers(self) -> dict[str, str]:
        return self.account.headers

    @property
    def company_id(self) -> uuid.UUID:
        return uuid.UUID(self.account.company_id)

    def ctx(self) -> JobContext:
        state = state_of(self.app)
        return JobContext(state.settings, state.factory, state.relay)

    async def rule(self, **fields: Any) -> dict[str, Any]:
        body = {
            "name": "Reengajamento",
            "triggerType": "NO_RESPONSE",
            "triggerValue": 1,
            "triggerUnit": "hours",
            "message": "Oi {{contact.firstName}}, ainda posso ajudar?",
            "respectBusinessHours": False,
            "minIntervalHours": 0,
            **fields,
        }
        response = await self.client.post("/api/followups/rules", headers=self.headers, json=body)
        assert response.status_code == 201, response.text
        return dict(response.json()["data"])

    async def customer_says(self, text: str, number: str = CUSTOMER) -> None:
        """At the test's clock (WhatsApp timestamps are whole seconds)."""
        body = text_upsert(
            self.gateway, message_id=f"C{uuid.uuid4().hex[:18].upper()}", number=number, text=text
        )
        body["data"]["messageTimestamp"] = int(clock.now().timestamp())
        body["data"]["pushName"] = "Maria Souza"
        response = await self.gateway.post(self.client, body)
        assert response.status_code == 200, response.text

    async def conversation(self, number: str = CUSTOMER) -> Conversation:
        async with system_session(state_of(self.app).factory) as session:
            found = await session.scalar(
                select(Conversation).where(
                    Conversation.company_id == self.company_id, Conversation.contact_number == number
                )
            )
            assert found is not None
            return found

    async def agent_says(self, text: str, number: str = CUSTOMER) -> None:
        conversation = await self.conversation(number)
        response = await self.client.post(
            "/api/whatsapp/send",
            headers=self.headers,
            json={"conversationId": str(conversation.id), "text": text},
        )
        assert response.status_code == 201, response.text

    async def followups(self, status: str | None = None) -> list[Followup]:
        async with system_session(state_of(self.app).factory) as session:
            query = (
                select(Followup).where(Followup.company_id == self.company_id).order_by(Followup.created_at)
            )
            if status:
                query = query.where(Followup.status == status)
            return list((await session.scalars(query)).all())

    async def only_pending(self) -> Followup:
        rows = await self.followups("PENDING")
        assert len(rows) == 1, [(r.status, r.reason) for r in await self.followups()]
        return rows[0]

    async def fire(self, followup_id: uuid.UUID) -> dict[str, Any]:
        return await fire.fire(
            self.ctx(), {"companyId": str(self.company_id), "followupId": str(followup_id)}
        )

    async def bot_texts(self) -> list[str]:
        async with system_session(state_of(self.app).factory) as session:
            rows = await session.scalars(
                select(Message.text)
                .where(Message.company_id == self.company_id, Message.is_bot, Message.direction == "SENT")
                .order_by(Message.public_id)
            )
            return [t or "" for t in rows.all()]

    async def events(self, prefix: str = "FOLLOWUP_") -> list[ContactEvent]:
        async with system_session(state_of(self.app).factory) as session:
            rows = await session.scalars(
                select(ContactEvent)
                .where(ContactEvent.company_id == self.company_id, ContactEvent.type.startswith(prefix))
                .order_by(ContactEvent.created_at)
            )
            return list(rows.all())

    async def contact(self, number: str = CUSTOMER) -> Contact:
        async with system_session(state_of(self.app).factory) as session:
            found = await session.scalar(
                select(Contact).where(Contact.company_id == self.company_id, Contact.phone_number == number)
            )
            assert found is not None
            return found


async def open_shop(app: Any, client: httpx.AsyncClient, name: str = "Ana") -> Shop:
    account = await register(client, name, f"{name} Co")
    gateway = await make_instance(app, account.company_id)
    return Shop(app, client, account, gateway)
