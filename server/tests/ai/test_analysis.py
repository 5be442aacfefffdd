"""Conversation analysis: on demand and by the scheduler's sweep, cached for ten minutes, alerts on
negative sentiment or high urgency, the contact's AI profile, batch states, tenant isolation."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select

from evoai.ai.analysis import parse, schedule_due
from evoai.db import system_session
from evoai.models import ContactEvent, Notification
from evoai.worker.enqueue import committed_outbox_ids
from tests.ai.conftest import Model, ai_api, ai_instance, ai_settings, customer_says, settle, workers
from tests.conftest import Services, register
from tests.whatsapp.wa_helpers import state_of

ANGRY = {
    "sentiment": "negative",
    "urgency": "high",
    "intent": "complaint",
    "topics": ["atraso", "entrega"],
    "engagement": 85,
    "summary": "Cliente irritado com o atraso da entrega.",
    "suggestedReply": "Sinto muito pelo atraso, vou verificar agora.",
    "profile": {
        "interests": ["Cadeira gamer"],
        "keyFacts": ["Mora em Campinas"],
        "communicationStyle": "direto",
    },
}


def analysis_step(body: dict[str, Any]) -> dict[str, Any]:
    return {"content": json.dumps(body)}


async def _conversation_id(client: Any, headers: dict[str, str]) -> str:
    data = (await client.get("/api/whatsapp/conversations", headers=headers)).json()["data"]
    return str(data["conversations"][0]["id"])


async def _rows(app: Any, company_id: str, model_class: Any) -> list[Any]:
    async with system_session(state_of(app).factory, company_id=uuid.UUID(company_id)) as session:
        return list((await session.scalars(select(model_class))).all())


async def test_analysis_on_demand_is_cached_alerts_and_builds_the_profile(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Ana", "Analysis Co")
        gateway = await make_gateway(app, account.company_id)
        await customer_says(client, gateway, "Meu pedido está atrasado há uma semana!")
        conversation_id = await _conversation_id(client, account.headers)
        model.script(analysis_step(ANGRY))
        body = {"conversationId": conversation_id}
        first = await client.post("/api/ai/analyze", headers=account.headers, json=body)
        assert first.status_code == 200, first.text
        analysis = first.json()["data"]["analysis"]
        assert (analysis["sentiment"], analysis["urgency"], analysis["engagement"]) == (
            "negative",
            "high",
            85,
        )
        assert model.chats()[0]["response_format"] == {"type": "json_object"}
        # Nothing new: the cached analysis, no model call; forced: a new call.
        again = await client.post("/api/ai/analyze", headers=account.headers, json=body)
        assert again.json()["data"]["analysis"] == analysis
        assert len(model.chats()) == 1
        model.script(analysis_step({**ANGRY, "sentiment": "positive", "urgency": "low"}))
        forced = await client.post("/api/ai/analyze", headers=account.headers, json={**body, "force": True})
        assert forced.json()["data"]["analysis"]["sentiment"] == "positive"
        assert len(model.chats()) == 2
        alerts = [
            n for n in await _rows(app, account.company_id, Notification) if n.type == "negative_sentiment"
        ]
        assert len(alerts) == 1
        events = [
            e for e in await _rows(app, account.company_id, ContactEvent) if e.type == "SENTIMENT_DETECTED"
        ]
        assert [(e.actor, e.payload["urgency"]) for e in events] == [("ai", "high")]
        contact_id = events[0].contact_id
        detail = (await client.get(f"/api/contacts/{contact_id}", headers=account.headers)).json()["data"]
        profile = detail["aiProfile"]
        assert profile["interests"] == ["Cadeira gamer"]
        assert profile["keyFacts"] == ["Mora em Campinas"]
        assert profile["sentiment"] == "positive"
        # The inbox filters by the analysis.
        listed = await client.get("/api/whatsapp/conversations?sentiments=positive", headers=account.headers)
        assert [c["id"] for c in listed.json()["data"]["conversations"]] == [conversation_id]
        state = await client.get(f"/api/ai/conversations/{conversation_id}/state", headers=account.headers)
        assert state.json()["data"]["summary"] == ANGRY["summary"]


async def make_gateway(app: Any, company_id: str) -> Any:
    return await ai_instance(app, company_id, quiet=60)  # no automatic reply during the test


async def test_batch_states_and_tenant_isolation(services: Services, model: Model) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        alice = await register(client, "Alice", "A Co")
        bob = await register(client, "Bob", "B Co")
        gateway = await make_gateway(app, alice.company_id)
        await customer_says(client, gateway, "oi")
        theirs = await _conversation_id(client, alice.headers)
        model.script(analysis_step(ANGRY))
        await client.post("/api/ai/analyze", headers=alice.headers, json={"conversationId": theirs})
        unknown = str(uuid.uuid4())
        mine = await client.post(
            "/api/ai/conversations/states", headers=alice.headers, json={"conversationIds": [theirs, unknown]}
        )
        assert mine.json()["data"][theirs]["sentiment"] == "negative"
        assert mine.json()["data"][unknown] is None
        other = await client.post(
            "/api/ai/conversations/states", headers=bob.headers, json={"conversationIds": [theirs]}
        )
        assert other.json()["data"] == {theirs: None}
        stolen = await client.post("/api/ai/analyze", headers=bob.headers, json={"conversationId": theirs})
        assert stolen.status_code == 404
        empty = await client.post(
            "/api/ai/conversations/states", headers=bob.headers, json={"conversationIds": []}
        )
        assert empty.status_code == 400


async def test_the_sweep_analyses_due_conversations_through_the_worker(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Sweep", "Sweep Co")
        gateway = await make_gateway(app, account.company_id)
        await customer_says(client, gateway, "quero saber do plano anual")
        model.script(analysis_step({**ANGRY, "sentiment": "neutral", "urgency": "medium"}))
        state = state_of(app)
        async with system_session(state.factory) as session:
            assert await schedule_due(session) == 1
            ids = committed_outbox_ids(session)
        await state.relay.relay(ids)
        conversation_id = await _conversation_id(client, account.headers)

        async def analysed() -> Any:
            response = await client.get(
                f"/api/ai/conversations/{conversation_id}/state", headers=account.headers
            )
            return response.json()["data"]["sentiment"]

        assert await settle(analysed) == "neutral"
        async with system_session(state.factory) as session:
            assert await schedule_due(session) == 0  # fresh now


def test_a_model_answer_that_is_not_the_schema_falls_back_safely() -> None:
    assert parse("not json").sentiment == "neutral"
    odd = parse('{"sentiment": "furious", "urgency": "HIGH", "engagement": "250", "topics": "x"}')
    assert (odd.sentiment, odd.urgency, odd.engagement, odd.topics) == ("neutral", "high", 100, [])


async def test_analysis_disabled_by_configuration(services: Services, model: Model) -> None:
    settings = ai_settings(services, model, ENABLE_AI_ANALYSIS=False)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Off", "Off Co")
        gateway = await make_gateway(app, account.company_id)
        await customer_says(client, gateway, "oi")
        conversation_id = await _conversation_id(client, account.headers)
        response = await client.post(
            "/api/ai/analyze", headers=account.headers, json={"conversationId": conversation_id}
        )
        assert response.status_code == 422
        assert "ENABLE_AI_ANALYSIS" in response.json()["error"]
