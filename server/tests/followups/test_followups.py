"""Follow-ups end to end through the API, the database and the follow-up job, with a test clock."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text, update

from evoai.db import system_session
from evoai.models import Company, Contact, Conversation
from tests.conftest import register
from tests.followups.helpers import Clock, Shop, open_shop
from tests.whatsapp.wa_helpers import state_of


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


async def move(shop: Shop, contact_id: Any, stage_id: str) -> None:
    response = await shop.client.post(
        "/api/funnels/move-to-stage",
        headers=shop.headers,
        json={"contactId": str(contact_id), "stageId": stage_id},
    )
    assert response.status_code == 200, response.text


async def quiet_customer(shop: Shop, clock: Clock) -> None:
    await shop.customer_says("Quanto custa o plano anual?")
    clock.advance(seconds=5)
    await shop.agent_says("R$ 1.200 à vista. Posso fechar para você?")


async def test_no_response_schedules_sends_and_a_reply_starts_over(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.rule(maxFollowupsPerContact=2)
    await quiet_customer(shop, clock)
    pending = await shop.only_pending()
    assert pending.scheduled_for - pending.basis_at == timedelta(hours=1)
    # Not yet due: a stale or early alarm does nothing.
    assert (await shop.fire(pending.id))["outcome"] == "early"
    clock.set(pending.scheduled_for + timedelta(seconds=2))
    assert (await shop.fire(pending.id))["outcome"] == "sent"
    assert await shop.bot_texts() == ["Oi Maria, ainda posso ajudar?"]
    # The follow-up's own message starts the next one in the sequence…
    second = await shop.only_pending()
    assert second.id != pending.id
    assert abs(second.scheduled_for - (clock.at + timedelta(hours=1))) < timedelta(seconds=5)
    # …and the customer's reply turns it into RESPONDED, with the reason in the history.
    clock.advance(minutes=10)
    await shop.customer_says("Vou pensar, obrigado")
    [responded] = [f for f in await shop.followups() if f.id == second.id]
    assert responded.status == "RESPONDED"
    types = [e.type for e in await shop.events()]
    assert types == ["FOLLOWUP_SENT", "FOLLOWUP_RESPONDED"]
    # The alarm of a RESPONDED follow-up does nothing.
    clock.set(second.scheduled_for + timedelta(seconds=1))
    assert (await shop.fire(second.id))["outcome"] == "skipped"
    assert len(await shop.bot_texts()) == 1


async def test_the_sequence_stops_at_the_rules_maximum(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.rule(maxFollowupsPerContact=2)
    await quiet_customer(shop, clock)
    for _ in range(2):
        pending = await shop.only_pending()
        clock.set(pending.scheduled_for + timedelta(seconds=1))
        assert (await shop.fire(pending.id))["outcome"] == "sent"
    assert await shop.followups("PENDING") == []
    assert len(await shop.bot_texts()) == 2


async def test_every_contact_event_trigger_schedules_its_rule(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.customer_says("Olá")
    contact = await shop.contact()
    funnels = (await client.get("/api/funnels", headers=shop.headers)).json()["data"]
    stages = funnels[0]["stages"]
    tag = (
        await client.post(
            "/api/contacts/tags", headers=shop.headers, json={"name": "Quente", "color": "#ff0000"}
        )
    ).json()["data"]
    await shop.rule(
        name="tag", triggerType="TAG_ADDED", triggerValue=0, triggerConfig={"tagIds": [tag["id"]]}
    )
    await shop.rule(
        name="entered",
        triggerType="STAGE_ENTERED",
        triggerValue=2,
        triggerUnit="minutes",
        triggerConfig={"stageIds": [stages[1]["id"]]},
    )
    await shop.rule(name="changed", triggerType="STAGE_CHANGED", triggerValue=3, triggerUnit="minutes")
    await shop.rule(name="deal", triggerType="DEAL_CREATED", triggerValue=4, triggerUnit="minutes")
    await shop.rule(
        name="mood",
        triggerType="SENTIMENT_DETECTED",
        triggerValue=5,
        triggerUnit="minutes",
        triggerConfig={"sentiments": ["negative"]},
    )
    assert await shop.followups() == []
    response = await client.post(f"/api/contacts/{contact.id}/tags/{tag['id']}", headers=shop.headers)
    assert response.status_code in (200, 201), response.text
    await move(shop, contact.id, stages[1]["id"])
    response = await client.post(
        "/api/deals",
        headers=shop.headers,
        json={"title": "Plano anual", "stageId": stages[0]["id"], "contactId": str(contact.id)},
    )
    assert response.status_code == 201, response.text
    from evoai.contacts.history import record_event

    async with system_session(state_of(asgi_app).factory, company_id=shop.company_id) as session:
        await record_event(
            session,
            company_id=shop.company_id,
            contact_id=contact.id,
            type="SENTIMENT_DETECTED",
            actor="ai",
            payload={"sentiment": "positive"},
        )
        await record_event(
            session,
            company_id=shop.company_id,
            contact_id=contact.id,
            type="SENTIMENT_DETECTED",
            actor="ai",
            payload={"sentiment": "negative"},
        )
    rows = {f.rule_name: f for f in await shop.followups("PENDING")}
    assert set(rows) == {"tag", "entered", "changed", "deal", "mood"}
    assert rows["tag"].context == {"tagId": tag["id"]}
    assert rows["entered"].context["stageId"] == stages[1]["id"]
    assert rows["mood"].context == {"sentiment": "negative"}
    for name, minutes in (("tag", 0), ("entered", 2), ("changed", 3), ("deal", 4), ("mood", 5)):
        assert rows[name].scheduled_for - rows[name].basis_at == timedelta(minutes=minutes)
    # When it fires the trigger is checked again: the contact left the stage → not sent, reason kept.
    await move(shop, contact.id, stages[2]["id"])
    clock.advance(minutes=2, seconds=1)
    result = await shop.fire(rows["entered"].id)
    assert result == {"outcome": "cancelled", "reason": "A etapa mudou desde o gatilho"}


async def test_a_reply_racing_the_send_has_exactly_one_outcome(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.rule(maxFollowupsPerContact=1)
    await quiet_customer(shop, clock)
    pending = await shop.only_pending()
    clock.set(pending.scheduled_for + timedelta(seconds=1))
    await asyncio.gather(shop.fire(pending.id), shop.customer_says("Oi, ainda quero!"))
    [row] = [f for f in await shop.followups() if f.id == pending.id]
    sent = await shop.bot_texts()
    # Either the reply won (RESPONDED, nothing sent) or the send won (SENT, one message).
    assert (row.status, len(sent)) in (("RESPONDED", 0), ("SENT", 1))


async def test_two_workers_with_the_same_alarm_send_once(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.rule(maxFollowupsPerContact=1)
    await quiet_customer(shop, clock)
    pending = await shop.only_pending()
    clock.set(pending.scheduled_for + timedelta(seconds=1))
    outcomes = await asyncio.gather(*(shop.fire(pending.id) for _ in range(4)))
    assert sorted(o["outcome"] for o in outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(await shop.bot_texts()) == 1


async def test_everything_is_checked_again_when_it_fires(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.rule(maxFollowupsPerContact=5)
    await quiet_customer(shop, clock)
    factory = state_of(asgi_app).factory
    pending = await shop.only_pending()
    clock.set(pending.scheduled_for + timedelta(seconds=1))
    async with system_session(factory) as session:
        await session.execute(
            update(Contact).where(Contact.company_id == shop.company_id).values(is_blocked=True)
        )
    assert (await shop.fire(pending.id)) == {"outcome": "cancelled", "reason": "O contato está bloqueado"}
    async with system_session(factory) as session:
        await session.execute(
            update(Contact).where(Contact.company_id == shop.company_id).values(is_blocked=False)
        )
    await shop.agent_says("Oi de novo")
    pending = await shop.only_pending()
    clock.set(pending.scheduled_for + timedelta(seconds=1))
    async with system_session(factory) as session:
        await session.execute(
            update(Conversation).where(Conversation.id == pending.conversation_id).values(is_paused=True)
        )
    assert (await shop.fire(pending.id))["reason"] == "A conversa está pausada (atendimento humano)"
    reasons = [e.payload["reason"] for e in await shop.events()]
    assert reasons == ["O contato está bloqueado", "A conversa está pausada (atendimento humano)"]


async def test_outside_business_hours_it_waits_for_the_next_window_and_holidays_count(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    from datetime import UTC, datetime

    shop = await open_shop(asgi_app, client)
    async with system_session(state_of(asgi_app).factory) as session:
        await session.execute(
            update(Company).where(Company.id == shop.company_id).values(timezone="Asia/Tokyo")
        )
    response = await client.post(
        "/api/followups/holidays", headers=shop.headers, json={"date": "2026-12-01", "name": "Folga"}
    )
    assert response.status_code == 201, response.text
    await shop.rule(respectBusinessHours=True, businessHoursStart="09:00", businessHoursEnd="18:00")
    # Monday 2026-11-30 17:30 in Tokyo (08:30 UTC): due 18:30, after hours; Tuesday is a holiday.
    clock.set(datetime(2026, 11, 30, 8, 30, tzinfo=UTC))
    await quiet_customer(shop, clock)
    pending = await shop.only_pending()
    assert pending.scheduled_for == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # Wednesday 09:00 Tokyo


async def test_the_api_validates_and_keeps_companies_apart(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    rule = await shop.rule()
    bad = [
        {"name": "x", "triggerType": "NOPE"},
        {"name": "x", "triggerType": "NO_RESPONSE", "triggerValue": 0, "message": "oi"},
        {"name": "x", "triggerType": "NO_RESPONSE", "triggerValue": 1},
        {
            "name": "x",
            "triggerType": "NO_RESPONSE",
            "triggerValue": 1,
            "message": "oi",
            "businessHoursStart": "25:00",
        },
        {
            "name": "x",
            "triggerType": "NO_RESPONSE",
            "triggerValue": 1,
            "message": "oi",
            "allowedDays": ["xyz"],
        },
        {"name": "x", "triggerType": "TAG_ADDED", "message": "oi", "triggerConfig": {"tagIds": [rule["id"]]}},
    ]
    for body in bad:
        response = await client.post("/api/followups/rules", headers=shop.headers, json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert response.json()["success"] is False
    other = await register(client, "Bia", "Outra")
    assert (await client.get(f"/api/followups/rules/{rule['id']}", headers=other.headers)).status_code == 404
    assert (
        await client.delete(f"/api/followups/rules/{rule['id']}", headers=other.headers)
    ).status_code == 404
    assert (await client.get("/api/followups/rules", headers=other.headers)).json()["data"] == []
    toggled = await client.post(f"/api/followups/rules/{rule['id']}/toggle", headers=shop.headers)
    assert toggled.json()["data"]["isActive"] is False
    assert (await client.get("/api/followups/rules")).status_code == 401
    for path in ("pending", "history", "stats", "dashboard-metrics", "leads-in-automation"):
        response = await client.get(f"/api/followups/{path}", headers=shop.headers)
        assert response.status_code == 200, (path, response.text)


async def test_post_actions_tag_and_move_the_contact_after_sending(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await quiet_customer(shop, clock)
    tag = (
        await client.post(
            "/api/contacts/tags", headers=shop.headers, json={"name": "Cutucado", "color": "#00aa00"}
        )
    ).json()["data"]
    stages = (await client.get("/api/funnels", headers=shop.headers)).json()["data"][0]["stages"]
    await shop.rule(postActions={"addTagIds": [tag["id"]], "moveToStageId": stages[2]["id"]})
    await shop.agent_says("Ficou alguma dúvida?")
    pending = await shop.only_pending()
    clock.set(pending.scheduled_for + timedelta(seconds=1))
    assert (await shop.fire(pending.id))["outcome"] == "sent"
    contact = await shop.contact()
    assert str(contact.stage_id) == stages[2]["id"]
    events = [(e.type, e.actor) for e in await shop.events("")]
    assert ("TAG_ADDED", "automation") in events
    assert ("STAGE_CHANGED", "automation") in events


async def test_a_used_up_quota_cancels_it_with_the_reason(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evoai import plans

    shop = await open_shop(asgi_app, client)
    await shop.rule()
    await quiet_customer(shop, clock)
    pending = await shop.only_pending()
    # Two messages this month (the customer's and ours): a plan of two is used up.
    monkeypatch.setitem(plans.PLANS, "free", plans.Plan("free", "Free", 1, 500, messages_per_month=2))
    clock.set(pending.scheduled_for + timedelta(seconds=1))
    result = await shop.fire(pending.id)
    assert result["outcome"] == "cancelled"
    assert "mensagens por mês" in result["reason"]
    assert await shop.bot_texts() == []


async def test_people_schedule_cancel_and_read_the_queue_and_numbers(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    rule = await shop.rule(maxFollowupsPerContact=1)
    await quiet_customer(shop, clock)
    conversation = await shop.conversation()
    automatic = await shop.only_pending()
    # One pending per rule and conversation: scheduling another of the same rule is a 409.
    body = {
        "ruleId": rule["id"],
        "conversationId": str(conversation.id),
        "scheduledFor": (clock.at + timedelta(hours=2)).isoformat(),
    }
    assert (await client.post("/api/followups/schedule", headers=shop.headers, json=body)).status_code == 409
    grouped = await client.post(
        "/api/followups/pending-by-conversations",
        headers=shop.headers,
        json={"conversationIds": [str(conversation.id)]},
    )
    assert [f["id"] for f in grouped.json()["data"][str(conversation.id)]] == [str(automatic.id)]
    cancelled = await client.post(f"/api/followups/cancel/{automatic.id}", headers=shop.headers)
    assert cancelled.status_code == 200, cancelled.text
    again = await client.post(f"/api/followups/cancel/{automatic.id}", headers=shop.headers)
    assert again.status_code == 409
    made = await client.post("/api/followups/schedule", headers=shop.headers, json=body)
    assert made.status_code == 201, made.text
    manual_id = made.json()["data"]["id"]
    clock.advance(hours=2, seconds=1)
    assert (await shop.fire(uuid.UUID(manual_id)))["outcome"] == "sent"
    history = (await client.get("/api/followups/history", headers=shop.headers)).json()["data"]
    assert sorted(h["status"] for h in history) == ["CANCELLED", "SENT"]
    stats = (await client.get("/api/followups/stats", headers=shop.headers)).json()["data"]
    assert (stats["totalRules"], stats["activeRules"], stats["pendingFollowups"]) == (1, 1, 0)
    assert stats["byRule"][0]["sent"] == 1
    metrics = (await client.get("/api/followups/dashboard-metrics?days=7", headers=shop.headers)).json()[
        "data"
    ]
    assert len(metrics["daily"]) == 7
    assert metrics["summary"]["totalSent"] == 1
    assert metrics["summary"]["totalCancelled"] == 1
    other = await register(client, "Caio", "Outra")
    assert (await client.post(f"/api/followups/cancel/{manual_id}", headers=other.headers)).status_code == 404


async def test_a_reply_in_the_same_second_as_our_message_still_counts(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    """WhatsApp stamps whole seconds: a reply written 0.3 s after our message carries the second
    before it (the browser test's customer answered that fast)."""
    from datetime import UTC, datetime

    shop = await open_shop(asgi_app, client)
    await shop.rule(maxFollowupsPerContact=3)
    clock.set(datetime(2026, 11, 30, 15, 0, 0, 500_000, tzinfo=UTC))
    await quiet_customer(shop, clock)  # our answer at 15:00:05.5
    pending = await shop.only_pending()
    clock.advance(seconds=0.3)  # the reply, stamped 15:00:05
    await shop.customer_says("Quero sim!")
    [row] = await shop.followups()
    assert row.id == pending.id
    assert row.status == "RESPONDED"


async def _changed_events(shop: Shop) -> list[tuple[str, Any]]:
    async with system_session(state_of(shop.app).factory) as session:
        rows = await session.execute(
            text("SELECT queue, payload FROM outbox WHERE name = 'followups-changed' ORDER BY id")
        )
        return [(r.queue, r.payload) for r in rows]


async def test_the_team_hears_of_changes_once_per_transaction(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.rule(name="Uma hora")
    await shop.rule(name="Um dia", triggerValue=1, triggerUnit="days")
    await shop.customer_says("Oi")
    assert await _changed_events(shop) == []  # nothing pending, nothing to tell
    clock.advance(seconds=5)
    await shop.agent_says("Olá! Como posso ajudar?")
    assert len(await shop.followups("PENDING")) == 2
    assert await _changed_events(shop) == [(f"company:{shop.company_id}", {})]  # two, one event
    clock.advance(seconds=5)
    await shop.customer_says("Quero o plano anual")
    assert len(await shop.followups("RESPONDED")) == 2
    assert len(await _changed_events(shop)) == 2
