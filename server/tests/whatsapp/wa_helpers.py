"""Helpers for WhatsApp tests: instances made straight in the database, captured webhook bodies."""

from __future__ import annotations

import copy
import json
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from evoai.db import system_session
from evoai.kit.crypto import encrypt
from evoai.models import WhatsAppInstance

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "whatsapp"


def fixture(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return body


@dataclass
class Gateway:
    """An instance as a gateway sees it: where to post and with which secret."""

    instance_id: uuid.UUID
    company_id: uuid.UUID
    name: str
    secret: str
    token: str

    @property
    def url(self) -> str:
        return f"/api/whatsapp/webhook/{self.name}"

    def evolution(self, fixture_name: str, **data_changes: Any) -> dict[str, Any]:
        body = copy.deepcopy(fixture(fixture_name))
        body["instance"] = self.name
        body["data"].update(data_changes) if isinstance(body.get("data"), dict) else None
        return body

    async def post(self, client: httpx.AsyncClient, body: Any, **headers: str) -> httpx.Response:
        return await client.post(self.url, json=body, headers={"X-Webhook-Token": self.secret, **headers})


def state_of(asgi_app: Any) -> Any:
    return asgi_app.other_asgi_app.state.evoai


async def make_instance(
    asgi_app: Any, company_id: str, *, provider: str = "EVOLUTION", status: str = "open"
) -> Gateway:
    state = state_of(asgi_app)
    key = state.settings.encryption_key_bytes
    secret, token = secrets.token_urlsafe(24), secrets.token_hex(16)
    name = f"test-{secrets.token_hex(4)}"
    instance_id = uuid.uuid4()
    async with system_session(state.factory) as session:
        session.add(
            WhatsAppInstance(
                id=instance_id,
                company_id=uuid.UUID(company_id),
                provider=provider,
                name=name,
                gateway_name=name,
                gateway_token_encrypted=encrypt(token, key),
                webhook_secret_encrypted=encrypt(secret, key),
                connection_status=status,
            )
        )
    return Gateway(instance_id, uuid.UUID(company_id), name, secret, token)


def text_upsert(gateway: Gateway, *, message_id: str, number: str, text: str, **key: Any) -> dict[str, Any]:
    body = gateway.evolution("evolution_messages_upsert_text")
    data = body["data"]
    lid = f"9{number[-14:]:0>14}@lid"  # a distinct LID per number, as WhatsApp gives
    data["key"].update(
        {"id": message_id, "remoteJid": f"{number}@s.whatsapp.net", "remoteJidAlt": lid, **key}
    )
    data["message"] = {"conversation": text}
    return body
