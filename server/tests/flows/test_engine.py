"""Executions: a message, a wait for the answer and a branch; timeouts by the test's clock; a worker
lost mid-flow (Redis flushed, a step's transaction dying) resumes at the right node and never sends
twice; the dry run changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import delete, func, select

from evoai.config import Settings
from evoai.db import system_session
from evoai.flows import alarms, engine
from evoai.models import FlowExecution, OutboxEntry
from tests.flows.helpers import chain, create_flow, executions, message_count, node, run, step
from tests.followups.helpers import Clock, Shop, open_shop
from tests.whatsapp.wa_helpers import state_of


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


async def sweep(shop: Shop, settings: Settings) -> int:
    state = state_of(shop.app)
    redis = Redis.from_url(settings.REDIS_URL)
    try:
        return await alarms.sweep(settings, state.factory, state.relay, redis)
    finally:
        await redis.aclose()


async def flow_jobs(shop: Shop) -> list[OutboxEntry]:
    async with system_session(state_of(shop.app).factory) as session:
        rows = await session.scalars(
            select(OutboxEntry).where(OutboxEntry.name == engine.STEP_JOB).order_by(OutboxEntry.id)
        )
        return list(rows.all())


QUALIFY = [
    node("t", "MESSAGE_RECEIVED"),
    node("ask", "SEND_MESSAGE", message="Oi {{contact.firstName}}, quer o plano PRO?"),
    node("wait", "WAIT_RESPONSE", timeout=10, timeoutUnit="minutes"),
    node("if", "IF_CONDITION", field="message.text", operator="contains", value="sim"),
    node("yes", "SEND_MESSAGE", message="Ótimo! Você disse: {{message.text}}"),
    node("no", "SEND_MESSAGE", message="Tudo bem, fico à disposição."),
    node("late", "SEND_MESSAGE", message="Ainda está por aí?"),
]
QUALIFY_LINKS = chain(
    ("t", "ask"),
    ("ask", "wait"),
    ("wait", "if"),
    ("if", "yes", "true"),
    ("if", "no", "false"),
    ("wait", "late", "timeout"),
)


async def test_send_wait_for_the_answer_and_branch(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    await create_flow(shop, QUALIFY, QUALIFY_LINKS)
    await shop.customer_says("Olá")
    [execution] = await executions(shop)
    waiting = await run(shop, execution.id)
    assert waiting.status == "WAITING"
    assert waiting.current_node_id == "wait"
    assert await shop.bot_texts() == ["Oi Maria, quer o plano PRO?"]
    clock.advance(minutes=2)
    await shop.customer_says("Sim, quero!")
    # The answer resumed this execution; it did not start a second one.
    [resumed] = await executions(shop)
    assert resumed.status == "RUNNING"
    done = await run(shop, execution.id)
    assert done.status == "COMPLETED"
    assert done.finished_at is not None
    assert [(s["nodeId"], s["handle"]) for s in done.path] == [
        ("t", "output"),
        ("ask", "output"),
        ("wait", None),
        ("wait", "output"),
        ("if", "true"),
        ("yes", "output"),
    ]
    assert await shop.bot_texts() == ["Oi Maria, quer o plano PRO?", "Ótimo! Você disse: Sim, quero!"]
    # The wait's alarm rings later: it finds another cursor and does nothing.
    clock.advance(minutes=10)
    assert (await step(shop, done, at_step=3))["outcome"] == "skipped"
    # A new message starts the flow again (the last one ended); "não" takes the false branch.
    await shop.customer_says("Oi de novo")
    second = (await executions(shop))[1]
    await run(shop, second.id)
    await shop.customer_says("não, obrigado")
    assert (await run(shop, second.id)).path[-1]["nodeId"] == "no"


async def test_timeouts_follow_the_timeout_handle_or_end_in_timeout(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock, settings: Settings
) -> None:
    shop = await open_shop(asgi_app, client)
    await create_flow(shop, QUALIFY, QUALIFY_LINKS)
    await shop.customer_says("Olá")
    [execution] = await executions(shop)
    waiting = await run(shop, execution.id)
    assert waiting.waiting_until is not None
    assert waiting.alarm_for is None  # ten minutes away: the sweep queues its alarm when it comes near
    assert (await step(shop, waiting))["outcome"] == "early"
    clock.advance(minutes=9)
    assert await sweep(shop, settings) >= 1
    [alarm] = [j for j in await flow_jobs(shop) if j.options.get("delay")]
    assert 50_000 <= alarm.options["delay"] <= 60_000
    clock.advance(minutes=1, seconds=1)
    assert (await step(shop, waiting))["outcome"] == "running"  # the alarm rings
    assert (await step(shop, waiting))["outcome"] == "skipped"  # and rings twice
    done = await run(shop, execution.id)
    assert done.status == "COMPLETED"
    assert [(s["nodeId"], s["result"], s["handle"]) for s in done.path][2:] == [
        ("wait", "waiting", None),
        ("wait", "timeout", "timeout"),
        ("late", "success", "output"),
    ]
    assert await shop.bot_texts() == ["Oi Maria, quer o plano PRO?", "Ainda está por aí?"]


async def test_wait_time_and_an_unconnected_timeout(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    nodes = [
        node("t", "MESSAGE_RECEIVED"),
        node("pause", "WAIT_TIME", delay=5, unit="minutes"),
        node("hello", "SEND_MESSAGE", message="Passaram 5 minutos"),
        node("wait", "WAIT_RESPONSE", timeout=1, timeoutUnit="hours"),
    ]
    await create_flow(shop, nodes, chain(("t", "pause"), ("pause", "hello"), ("hello", "wait")))
    await shop.customer_says("Olá")
    [execution] = await executions(shop)
    row = await run(shop, execution.id)
    assert (row.status, row.current_node_id) == ("WAITING", "pause")
    assert await shop.bot_texts() == []
    clock.advance(minutes=5)
    assert (await step(shop, row))["outcome"] == "running"
    row = await run(shop, execution.id)
    assert (row.status, row.current_node_id) == ("WAITING", "wait")
    assert await shop.bot_texts() == ["Passaram 5 minutos"]
    clock.advance(hours=1)
    assert (await step(shop, row))["outcome"] == "timeout"
    [ended] = await executions(shop)
    assert ended.status == "TIMEOUT"
    assert ended.path[-1]["result"] == "timeout"
    assert ended.error


async def test_a_flow_killed_during_a_wait_resumes_at_the_right_node_and_never_sends_twice(
    asgi_app: Any,
    client: httpx.AsyncClient,
    clock: Clock,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = await open_shop(asgi_app, client)
    nodes = [
        node("t", "MESSAGE_RECEIVED"),
        node("first", "SEND_MESSAGE", message="Primeira"),
        node("pause", "WAIT_TIME", delay=30, unit="seconds"),
        node("second", "SEND_MESSAGE", message="Segunda"),
    ]
    await create_flow(shop, nodes, chain(("t", "first"), ("first", "pause"), ("pause", "second")))
    await sweep(shop, settings)  # the sentinel is set
    await shop.customer_says("Olá")
    [execution] = await executions(shop)

    # The worker dies inside the first step, after the message was queued, before the commit.
    real_advance = engine.advance

    async def dying(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("worker killed")

    monkeypatch.setattr("evoai.flows.tasks.advance", dying)
    with pytest.raises(RuntimeError):
        await step(shop, execution)
    assert await message_count(shop) == 0  # rolled back with the step
    monkeypatch.setattr("evoai.flows.tasks.advance", real_advance)

    row = await run(shop, execution.id)
    assert (row.status, row.current_node_id) == ("WAITING", "pause")
    assert row.alarm_for == row.waiting_until  # 30 s away: its alarm is a delayed job in Redis
    assert await message_count(shop) == 1
    # The same step delivered twice (BullMQ at-least-once) does nothing the second time.
    assert (await step(shop, row, at_step=row.step - 1))["outcome"] == "skipped"

    # Redis loses everything (the alarm with it); the sweep notices and queues the alarm again.
    redis = Redis.from_url(settings.REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    before = len(await flow_jobs(shop))
    assert await sweep(shop, settings) == 1
    assert await sweep(shop, settings) == 0
    requeued = (await flow_jobs(shop))[before:]
    assert [j.payload["step"] for j in requeued] == [row.step]
    assert requeued[0].payload["executionId"] == str(row.id)

    clock.advance(seconds=31)
    assert (await step(shop, row))["outcome"] == "running"
    done = await run(shop, execution.id)
    assert done.status == "COMPLETED"
    assert [s["nodeId"] for s in done.path] == ["t", "first", "pause", "pause", "second"]
    assert await shop.bot_texts() == ["Primeira", "Segunda"]
    for old in range(1, done.step + 1):
        await step(shop, done, at_step=old)
    assert await message_count(shop) == 2


async def test_a_running_step_lost_with_redis_is_queued_again(
    asgi_app: Any, client: httpx.AsyncClient, settings: Settings
) -> None:
    shop = await open_shop(asgi_app, client)
    await create_flow(shop, QUALIFY, QUALIFY_LINKS)
    await sweep(shop, settings)
    await shop.customer_says("Olá")
    [execution] = await executions(shop)
    redis = Redis.from_url(settings.REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    before = len(await flow_jobs(shop))
    assert await sweep(shop, settings) == 1
    [again] = (await flow_jobs(shop))[before:]
    assert again.payload == {**again.payload, "executionId": str(execution.id), "step": 1}
    assert again.options["jobId"] == f"flow-{execution.id}-1"
    assert (await run(shop, execution.id)).status == "WAITING"
    assert await message_count(shop) == 1


async def test_the_dry_run_walks_the_graph_and_changes_nothing(
    asgi_app: Any, client: httpx.AsyncClient
) -> None:
    shop = await open_shop(asgi_app, client)
    flow = await create_flow(shop, QUALIFY, QUALIFY_LINKS)
    await shop.customer_says("Olá")
    contact = await shop.contact()
    async with system_session(state_of(asgi_app).factory) as session:
        await session.execute(delete(FlowExecution))
    sent_before = await message_count(shop)
    url = f"/api/flows/{flow['id']}/test"
    answered = await client.post(
        url, headers=shop.headers, json={"contactId": str(contact.id), "message": "sim!"}
    )
    assert answered.status_code == 200, answered.text
    data = answered.json()["data"]
    assert data["outcome"] == "COMPLETED"
    assert [(s["nodeId"], s["handle"]) for s in data["path"]] == [
        ("t", "output"),
        ("ask", "output"),
        ("wait", "output"),
        ("if", "true"),
        ("yes", "output"),
    ]
    assert data["path"][1]["detail"]["message"] == "Oi Maria, quer o plano PRO?"
    silent = (await client.post(url, headers=shop.headers, json={"contactId": str(contact.id)})).json()[
        "data"
    ]
    assert [s["nodeId"] for s in silent["path"]][-1] == "late"
    assert silent["path"][2]["result"] == "timeout"
    assert await message_count(shop) == sent_before
    async with system_session(state_of(asgi_app).factory) as session:
        assert await session.scalar(select(func.count()).select_from(FlowExecution)) == 0
