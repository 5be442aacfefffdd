"""AI_GENERATED follow-ups and the optional AI validation, against the scripted OpenAI-compatible
model of the sandbox (tests/ai/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.ai.conftest import Model, ai_api, ai_settings
from tests.conftest import Services
from tests.followups.helpers import Clock, open_shop


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


async def test_the_model_writes_the_follow_up_from_the_conversation_and_the_rules_instructions(
    services: Services, model: Model, clock: Clock
) -> None:
    async with ai_api(ai_settings(services, model)) as (app, client):
        shop = await open_shop(app, client)
        await shop.rule(
            actionType="AI_GENERATED",
            message=None,
            actionConfig={
                "tone": "descontraído",
                "maxTokens": 120,
                "customInstructions": "Cite o frete grátis",
            },
        )
        await shop.customer_says("Vocês entregam em Campinas?")
        clock.advance(seconds=5)
        await shop.agent_says("Entregamos sim! Quer que eu feche o pedido?")
        pending = await shop.only_pending()
        model.script({"content": "Oi Maria! Ainda quer o pedido? O frete para Campinas é grátis 🚚"})
        clock.set(pending.scheduled_for + timedelta(seconds=1))
        assert (await shop.fire(pending.id))["outcome"] == "sent"
        assert await shop.bot_texts() == ["Oi Maria! Ainda quer o pedido? O frete para Campinas é grátis 🚚"]
        [call] = model.chats()
        system = call["messages"][0]["content"]
        assert "descontraído" in system
        assert "Cite o frete grátis" in system
        assert [m["content"] for m in call["messages"][1:]] == [
            "Vocês entregam em Campinas?",
            "Entregamos sim! Quer que eu feche o pedido?",
        ]
        assert call["max_tokens"] == 120


async def test_ai_validation_can_hold_a_follow_up_back_with_its_reason(
    services: Services, model: Model, clock: Clock
) -> None:
    async with ai_api(ai_settings(services, model)) as (app, client):
        shop = await open_shop(app, client)
        await shop.rule(aiValidationEnabled=True, aiValidationPrompt="Não insista com quem já comprou")
        await shop.customer_says("Já comprei com outro fornecedor, obrigado")
        clock.advance(seconds=5)
        await shop.agent_says("Tudo bem! Qualquer coisa estamos aqui.")
        pending = await shop.only_pending()
        model.script({"content": '{"send": false, "reason": "o cliente já comprou"}'})
        clock.set(pending.scheduled_for + timedelta(seconds=1))
        result = await shop.fire(pending.id)
        assert result == {"outcome": "cancelled", "reason": "Validação da IA: o cliente já comprou"}
        assert await shop.bot_texts() == []
        assert "Não insista com quem já comprou" in model.chats()[0]["messages"][0]["content"]


async def test_without_a_model_an_ai_follow_up_fails_and_is_retried_later(
    services: Services, model: Model, clock: Clock
) -> None:
    async with ai_api(ai_settings(services, model, OPENAI_API_KEY="", OPENAI_BASE_URL="")) as (app, client):
        shop = await open_shop(app, client)
        await shop.rule(actionType="AI_GENERATED", message=None, maxAttempts=2)
        await shop.customer_says("Oi")
        clock.advance(seconds=5)
        await shop.agent_says("Olá!")
        pending = await shop.only_pending()
        clock.set(pending.scheduled_for + timedelta(seconds=1))
        assert (await shop.fire(pending.id))["outcome"] == "retry"
        retried = await shop.only_pending()
        assert retried.attempt == 2
        assert retried.scheduled_for > clock.at
        clock.set(retried.scheduled_for + timedelta(seconds=1))
        result = await shop.fire(retried.id)
        assert result["outcome"] == "failed"
        assert result["reason"].startswith("IA indisponível")
        assert [e.type for e in await shop.events()] == ["FOLLOWUP_FAILED", "FOLLOWUP_FAILED"]
