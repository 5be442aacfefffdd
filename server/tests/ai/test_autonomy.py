"""Each autonomy level's allowed and refused actions, run through the CRM's own services and rules."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from evoai.db import system_session
from evoai.models import ContactEvent, Conversation, Deal, Notification, TagAssignment
from tests.ai.conftest import (
    Model,
    ai_api,
    ai_instance,
    ai_settings,
    ai_tag,
    bot_messages,
    customer_says,
    settle,
    workers,
)
from tests.conftest import Account, Services, register
from tests.deals.helpers import default_funnel, new_deal, stage
from tests.whatsapp.wa_helpers import state_of


def call(name: str, reason: str = "o cliente quer comprar", **arguments: Any) -> dict[str, Any]:
    return {"name": name, "arguments": {**arguments, "reason": reason}}


async def _rows(app: Any, company_id: str, model_class: Any) -> list[Any]:
    async with system_session(state_of(app).factory, company_id=uuid.UUID(company_id)) as session:
        return list((await session.scalars(select(model_class))).all())


async def _contact_id(client: httpx.AsyncClient, account: Account) -> str:
    contacts = (await client.get("/api/contacts", headers=account.headers)).json()["data"]["contacts"]
    return str(contacts[0]["id"])


async def _answered(app: Any, account: Account) -> list[Any]:
    sent: list[Any] = await settle(lambda: bot_messages(app, account.company_id))
    return sent


async def test_level_0_has_no_tools_and_a_tool_call_anyway_is_refused(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Zero", "Zero Co")
        await ai_tag(app, account.company_id, "Interessado")
        gateway = await ai_instance(app, account.company_id, level=0)
        model.script({"toolCalls": [call("add_tag", tag="Interessado")]}, {"content": "Claro!"})
        await customer_says(client, gateway, "quero comprar")
        sent = await _answered(app, account)
        assert "tools" not in model.chats()[0]
        action = sent[0].ai_metadata["actions"][0]
        assert (action["tool"], action["status"]) == ("add_tag", "refused")
        assert "nível de autonomia 0" in action["detail"]
        assert await _rows(app, account.company_id, TagAssignment) == []


async def test_level_1_tags_with_its_reason_and_cannot_move_stages(services: Services, model: Model) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "One", "One Co")
        tag_id = await ai_tag(app, account.company_id, "Interessado")
        await ai_tag(app, account.company_id, "VIP", ai_managed=False)
        gateway = await ai_instance(app, account.company_id, level=1)
        model.script(
            {
                "toolCalls": [
                    call("add_tag", tag="Interessado"),
                    call("add_tag", tag="VIP"),
                    call("move_stage", stage="Proposta"),
                ]
            },
            {"content": "Anotado!"},
        )
        await customer_says(client, gateway, "quero comprar agora")
        sent = await _answered(app, account)
        offered = {t["function"]["name"] for t in model.chats()[0]["tools"]}
        assert offered == {"add_tag", "handover"}
        tag_enum = next(t for t in model.chats()[0]["tools"] if t["function"]["name"] == "add_tag")
        assert tag_enum["function"]["parameters"]["properties"]["tag"]["enum"] == ["Interessado"]
        statuses = [(a["tool"], a["status"]) for a in sent[0].ai_metadata["actions"]]
        assert statuses == [("add_tag", "done"), ("add_tag", "failed"), ("move_stage", "refused")]
        assert [a.tag_id for a in await _rows(app, account.company_id, TagAssignment)] == [tag_id]
        events = await _rows(app, account.company_id, ContactEvent)
        tagged = next(e for e in events if e.type == "TAG_ADDED")
        assert (tagged.actor, tagged.payload["reason"]) == ("ai", "o cliente quer comprar")
        logged = [e.payload for e in events if e.type == "AI_ACTION"]
        assert {(p["tool"], p["status"], p["level"]) for p in logged} == {
            ("add_tag", "done", 1),
            ("add_tag", "failed", 1),
            ("move_stage", "refused", 1),
        }
        # The inbox's view of the conversation shows the actions.
        conversations = (await client.get("/api/whatsapp/conversations", headers=account.headers)).json()
        conversation_id = conversations["data"]["conversations"][0]["id"]
        state = (
            await client.get(f"/api/ai/conversations/{conversation_id}/state", headers=account.headers)
        ).json()
        assert [a["tool"] for a in state["data"]["actionsPerformed"]] == ["add_tag", "add_tag", "move_stage"]


async def test_level_2_moves_the_deal_within_wip_limits_and_alerts_the_team(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Two", "Two Co")
        gateway = await ai_instance(app, account.company_id, level=2)
        model.script({"content": "Oi!"})
        await customer_says(client, gateway, "oi")
        await _answered(app, account)
        contact_id = await _contact_id(client, account)
        funnel = await default_funnel(client, account.headers)
        deal = await new_deal(client, account.headers, stage(funnel, "Novo lead"), contactId=contact_id)
        full = stage(funnel, "Negociação")
        limited = await client.put(
            f"/api/funnels/stages/{full}", headers=account.headers, json={"wipLimit": 1}
        )
        assert limited.status_code == 200, limited.text
        await new_deal(client, account.headers, full, title="Outro")
        model.script(
            {
                "toolCalls": [
                    call("move_stage", stage="Proposta"),
                    call("move_stage", stage="Negociação"),
                    call("notify_team", reason="pediu o contrato"),
                ]
            },
            {"content": "Vou preparar sua proposta."},
        )
        await customer_says(client, gateway, "pode mandar a proposta")
        sent = await settle(lambda: _second_answer(app, account))
        statuses = [(a["tool"], a["status"]) for a in sent.ai_metadata["actions"]]
        assert statuses == [("move_stage", "done"), ("move_stage", "failed"), ("notify_team", "done")]
        assert "limite" in sent.ai_metadata["actions"][1]["detail"].lower()
        deals = {str(d.id): d for d in await _rows(app, account.company_id, Deal)}
        assert str(deals[deal["id"]].stage_id) == stage(funnel, "Proposta")
        activity = (await client.get(f"/api/deals/{deal['id']}/activities", headers=account.headers)).json()
        moved = next(a for a in activity["data"] if a["type"] == "STAGE_CHANGED")
        assert moved["metadata"]["reason"] == "o cliente quer comprar"
        alerts = [n for n in await _rows(app, account.company_id, Notification) if n.type == "hot_lead"]
        assert alerts
        assert alerts[0].data["reason"] == "pediu o contrato"


async def _second_answer(app: Any, account: Account) -> Any:
    sent = await bot_messages(app, account.company_id)
    return sent[1] if len(sent) > 1 else None


async def test_handover_pauses_the_conversation_tells_the_customer_and_notifies(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Hand", "Hand Co")
        gateway = await ai_instance(app, account.company_id, level=1)
        model.script({"toolCalls": [call("handover", reason="pediu um atendente")]}, {"content": ""})
        await customer_says(client, gateway, "quero falar com um atendente")
        sent = await _answered(app, account)
        assert sent[0].text.startswith("Vou chamar uma pessoa")
        conversation = (await _rows(app, account.company_id, Conversation))[0]
        assert (conversation.is_paused, conversation.paused_reason) == (True, "ai_handover")
        alerts = [n for n in await _rows(app, account.company_id, Notification) if n.type == "ai_handover"]
        assert len(alerts) == 1
        # Paused: the next message is not answered, and the model is not called.
        calls = len(model.chats())
        await customer_says(client, gateway, "alô?")
        import asyncio

        await asyncio.sleep(1.5)
        assert len(model.chats()) == calls
        assert len(await bot_messages(app, account.company_id)) == 1
