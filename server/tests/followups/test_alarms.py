"""The database is what is scheduled: alarms lost with Redis are queued again and still ring on
time; after downtime, follow-ups overdue beyond the catch-up window are skipped, newer ones spread."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import select

from evoai.config import Settings
from evoai.db import system_session
from evoai.followups import alarms
from evoai.models import Conversation, Followup
from evoai.worker import queues
from evoai.worker.run import run_workers
from tests.followups.helpers import Shop, open_shop
from tests.whatsapp.wa_helpers import state_of


def pending(shop: Shop, rule: dict[str, Any], conversation: Conversation, moment: datetime) -> Followup:
    """A PENDING follow-up due at `moment` with no alarm yet, as if written while the platform was down."""
    return Followup(
        company_id=shop.company_id,
        rule_id=rule["id"],
        rule_name=rule["name"],
        conversation_id=conversation.id,
        contact_id=conversation.contact_id,
        trigger_type="NO_RESPONSE",
        basis_at=moment - timedelta(hours=1),
        due_at=moment,
        scheduled_for=moment,
        status="PENDING",
        attempt=1,
        max_attempts=3,
        source="rule",
        context={},
    )


async def sweep(app: Any, settings: Settings) -> int:
    state = state_of(app)
    redis = Redis.from_url(settings.REDIS_URL)
    try:
        return await alarms.sweep(settings, state.factory, state.relay, redis)
    finally:
        await redis.aclose()


async def test_redis_flushed_with_follow_ups_pending_they_all_still_go_out_on_time(
    asgi_app: Any, client: httpx.AsyncClient, settings: Settings
) -> None:
    shop = await open_shop(asgi_app, client)
    rule = await shop.rule()
    numbers = [f"55119{n:08d}" for n in range(3)]
    for number in numbers:
        await shop.customer_says("Oi", number=number)
    due = datetime.now(UTC) + timedelta(seconds=4)
    for number in numbers:
        conversation = await shop.conversation(number)
        response = await client.post(
            "/api/followups/schedule",
            headers=shop.headers,
            json={
                "ruleId": rule["id"],
                "conversationId": str(conversation.id),
                "scheduledFor": due.isoformat(),
            },
        )
        assert response.status_code == 201, response.text
    # Their alarms were queued with the schedule; now Redis loses everything.
    redis = Redis.from_url(settings.REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    assert await sweep(asgi_app, settings) == 3  # noticed, and queued again
    assert await sweep(asgi_app, settings) == 0  # once
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_workers(settings, [queues.FOLLOWUP, queues.MESSAGE], stop=stop, grace_seconds=2)
    )
    try:
        deadline = time.monotonic() + 15
        while len(await shop.followups("SENT")) < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
    sent = await shop.followups("SENT")
    assert len(sent) == 3, [(f.status, f.reason) for f in await shop.followups()]
    for followup in sent:
        assert followup.sent_at is not None
        assert timedelta(0) <= followup.sent_at - due < timedelta(seconds=3), followup.sent_at - due


async def test_after_downtime_old_overdue_ones_are_skipped_and_newer_ones_spread(
    asgi_app: Any, client: httpx.AsyncClient, settings: Settings
) -> None:
    shop = await open_shop(asgi_app, client)
    rule = await shop.rule()
    for n in range(3):
        await shop.customer_says("Oi", number=f"55118{n:08d}")
    factory = state_of(asgi_app).factory
    now = datetime.now(UTC)
    async with system_session(factory) as session:
        conversations = [await shop.conversation(f"55118{n:08d}") for n in range(3)]
        # Down for a while: one was due 2 hours ago (beyond the 60-minute window), two 10 minutes ago.
        for conversation, late in zip(conversations, (120, 10, 10), strict=True):
            moment = now - timedelta(minutes=late)
            session.add(pending(shop, rule, conversation, moment))
    assert await sweep(asgi_app, settings) == 2
    async with system_session(factory) as session:
        rows = (await session.scalars(select(Followup).order_by(Followup.scheduled_for))).all()
        assert [r.status for r in rows] == ["CANCELLED", "PENDING", "PENDING"]
        assert "plataforma indisponível" in (rows[0].reason or "")
        # The two missed ones ring one after the other (FOLLOWUP_CATCHUP_PER_SECOND), not at once.
        entries = (await session.execute(select(Followup.id))).all()
        assert len(entries) == 3
    from evoai.models import OutboxEntry

    async with system_session(factory) as session:
        jobs = (await session.scalars(select(OutboxEntry).where(OutboxEntry.name == "followup.fire"))).all()
    delays = sorted(int(j.options.get("delay", 0)) for j in jobs)
    assert delays == [0, 1000 // settings.FOLLOWUP_CATCHUP_PER_SECOND]
    assert [e.type for e in await shop.events()] == ["FOLLOWUP_SKIPPED"]


async def test_the_scheduler_process_arms_what_is_due(
    asgi_app: Any, client: httpx.AsyncClient, settings: Settings
) -> None:
    from evoai.worker.scheduler import run_scheduler

    shop = await open_shop(asgi_app, client)
    rule = await shop.rule()
    await shop.customer_says("Oi")
    conversation = await shop.conversation()
    moment = datetime.now(UTC) + timedelta(seconds=30)
    async with system_session(state_of(asgi_app).factory) as session:
        session.add(pending(shop, rule, conversation, moment))
    stop = asyncio.Event()
    task = asyncio.create_task(run_scheduler(settings, stop))
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            [row] = await shop.followups()
            if row.alarm_for == row.scheduled_for:
                break
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert row.alarm_for == row.scheduled_for
    redis = Redis.from_url(settings.REDIS_URL)
    try:
        assert await redis.zcard(f"bull:{queues.FOLLOWUP}:delayed") == 1
    finally:
        await redis.aclose()
