"""Model access: retries, timeouts, the circuit breaker and its fallback reply, token accounting,
embeddings in both encodings, and AI that says it is disabled when no key is configured."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import pytest
from sqlalchemy import select

from evoai.ai import llm
from evoai.ai.llm import LLM, ModelAccess, ModelFailed
from evoai.db import system_session
from evoai.models import Usage
from tests.ai.conftest import (
    Model,
    ai_api,
    ai_instance,
    ai_settings,
    bot_messages,
    customer_says,
    settle,
    workers,
)
from tests.conftest import Services, make_settings, register
from tests.whatsapp.wa_helpers import state_of

HELLO = [{"role": "user", "content": "oi"}]


def _access(model: Model) -> ModelAccess:
    return ModelAccess("sk-test", model.url, "gpt-4o-mini", "platform")


async def _usage(app: Any, company_id: str) -> list[Usage]:
    async with system_session(state_of(app).factory, company_id=uuid.UUID(company_id)) as session:
        return list((await session.scalars(select(Usage).order_by(Usage.created_at))).all())


async def test_429_and_500_are_retried_and_the_answer_is_accounted(services: Services, model: Model) -> None:
    settings = ai_settings(services, model, AI_MAX_RETRIES=2)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Retry", "Retry Co")
        model.script({"status": 429}, {"status": 500}, {"content": "oi! tudo bem?"})
        result = await LLM(settings, state_of(app).factory).chat(
            _access(model), company_id=uuid.UUID(account.company_id), feature="reply", messages=HELLO
        )
        assert result.content == "oi! tudo bem?"
        assert len(model.chats()) == 3
        [usage] = await _usage(app, account.company_id)
        assert usage.ok
        assert (usage.prompt_tokens, usage.completion_tokens) == (
            result.prompt_tokens,
            result.completion_tokens,
        )
        assert usage.cost_usd > 0  # gpt-4o-mini has a price
        body = (await client.get("/api/company/usage", headers=account.headers)).json()["data"]["ai"]
        assert body["tokens"] == result.prompt_tokens + result.completion_tokens
        assert body["calls"] == 1
        assert body["costUsd"] == str(usage.cost_usd)
        # The super admin sees every company's month.
        connection = await asyncpg.connect(services.admin_url)
        await connection.execute("UPDATE users SET is_super_admin = true WHERE email = $1", account.email)
        await connection.close()
        listed = (await client.get("/api/admin/companies", headers=account.headers)).json()["data"]
        assert [(c["aiTokensThisMonth"], c["aiCostUsdThisMonth"]) for c in listed] == [
            (body["tokens"], body["costUsd"])
        ]


async def test_a_timeout_fails_the_call_and_is_recorded(services: Services, model: Model) -> None:
    settings = ai_settings(services, model, AI_TIMEOUT_SECONDS=0.3)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Slow", "Slow Co")
        model.script({"content": "tarde demais", "delayMs": 1500})
        with pytest.raises(ModelFailed, match="tempo esgotado"):
            await LLM(settings, state_of(app).factory).chat(
                _access(model), company_id=uuid.UUID(account.company_id), feature="reply", messages=HELLO
            )
        [usage] = await _usage(app, account.company_id)
        assert (usage.ok, usage.error, usage.prompt_tokens) == (False, "tempo esgotado", 0)


async def test_the_open_circuit_sends_the_fallback_without_calling_the_model(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model, AI_CIRCUIT_FAILURES=3, AI_CIRCUIT_OPEN_SECONDS=60)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Circuit", "Circuit Co")
        gateway = await ai_instance(app, account.company_id, fallback="Já já te respondemos!")
        model.script(*[{"status": 500}] * 3)
        numbers = ("5511911110001", "5511911110002", "5511911110003", "5511911110004")
        for index, number in enumerate(numbers, start=1):  # one at a time: failures count in order
            await customer_says(client, gateway, "oi", number=number)
            sent = await settle(lambda index=index: _count(app, account.company_id, index))
        assert {m.text for m in sent} == {"Já já te respondemos!"}
        assert all(m.ai_metadata["fallback"] for m in sent)
        assert len(model.chats()) == 3  # the fourth turn found the circuit open
        # After the open period one call is let through again (half-open) and closes the circuit.
        llm.clock = lambda: 10_000_000.0
        try:
            model.script({"content": "voltei"})
            await customer_says(client, gateway, "ainda aí?", number="5511911110001")
            later = await settle(lambda: _count(app, account.company_id, 5))
            assert later[-1].text == "voltei"
        finally:
            import time

            llm.clock = time.monotonic


async def _count(app: Any, company_id: str, count: int) -> list[Any] | None:
    sent = await bot_messages(app, company_id)
    return sent if len(sent) >= count else None


async def test_embeddings_decode_float_and_base64(services: Services, model: Model) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Vec", "Vec Co")
        service = LLM(settings, state_of(app).factory)
        vectors = await service.embed(
            _access(model),
            company_id=uuid.UUID(account.company_id),
            texts=["plano mensal", "plano anual"],
            model="text-embedding-3-small",
        )
        assert len(vectors) == 2
        assert len(vectors[0]) == 256
        from evoai.sandbox.model import embed_text

        assert vectors[0] == pytest.approx(embed_text("plano mensal"), abs=1e-6)  # base64 float32
        assert llm.decode_embedding([0.5, 0.25]) == [0.5, 0.25]  # the float encoding
        assert [u.feature for u in await _usage(app, account.company_id)] == ["embedding"]


async def test_without_a_key_ai_says_it_is_disabled_and_nothing_else_breaks(services: Services) -> None:
    settings = make_settings(services, OPENAI_API_KEY="", OPENAI_BASE_URL="")
    async with ai_api(settings) as (app, client):
        account = await register(client, "NoKey", "NoKey Co")
        status = (await client.get("/api/ai/status", headers=account.headers)).json()["data"]
        assert status["enabled"] is False
        assert "Configurações > IA" in status["reason"]
        gateway = await ai_instance(app, account.company_id)
        response = await client.post(
            f"/api/ai/instances/{gateway.instance_id}/preview",
            headers=account.headers,
            json={"message": "oi"},
        )
        assert response.status_code == 422
        assert response.json()["code"] == "ai_disabled"
        # Inbound messages are stored as always; the AI's turn steps aside.
        await customer_says(client, gateway, "oi")
        conversations = (await client.get("/api/whatsapp/conversations", headers=account.headers)).json()
        assert conversations["data"]["conversations"][0]["lastMessage"]["messageText"] == "oi"


async def test_a_company_key_is_stored_encrypted_never_returned_and_used_first(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model, OPENAI_API_KEY="", OPENAI_BASE_URL=model.url)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Own", "Own Co")
        saved = await client.put(
            "/api/ai/company-key",
            headers=account.headers,
            json={"apiKey": "sk-own-company-key-1234", "model": "gpt-4o"},
        )
        assert saved.status_code == 200, saved.text
        data = saved.json()["data"]
        assert (data["keySource"], data["model"], data["companyKey"]["hint"]) == (
            "company",
            "gpt-4o",
            "…1234",
        )
        assert "sk-own" not in saved.text
        gateway = await ai_instance(app, account.company_id)
        model.script({"content": "resposta"})
        preview = await client.post(
            f"/api/ai/instances/{gateway.instance_id}/preview",
            headers=account.headers,
            json={"message": "oi"},
        )
        assert preview.json()["data"]["model"] == "gpt-4o"
        assert model.chats()[-1]["model"] == "gpt-4o"
        [usage] = await _usage(app, account.company_id)
        assert (usage.key_source, usage.feature) == ("company", "preview")
