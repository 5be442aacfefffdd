"""Automatic replies through the real webhook, queue, worker, PostgreSQL and the scripted model."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import select

from evoai.db import system_session
from evoai.models import Conversation, Usage
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
from tests.conftest import Services, register
from tests.whatsapp.wa_helpers import state_of


async def _conversation(app: Any, company_id: str) -> Conversation:
    async with system_session(state_of(app).factory, company_id=uuid.UUID(company_id)) as session:
        found: Conversation | None = await session.scalar(select(Conversation))
        assert found is not None
        return found


async def test_three_quick_messages_get_one_model_call_and_one_answer(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Quiet", "Quiet Co")
        gateway = await ai_instance(app, account.company_id, quiet=1)
        model.script({"content": "Olá! Temos sim, o plano custa R$ 99."})
        for text in ("oi", "tudo bem?", "vocês têm o plano mensal?"):
            await customer_says(client, gateway, text)
        sent = await settle(lambda: bot_messages(app, account.company_id))
        await asyncio.sleep(1.5)  # the other two messages' jobs have fired by now
        assert len(model.chats()) == 1
        sent = await bot_messages(app, account.company_id)
        assert [m.text for m in sent] == ["Olá! Temos sim, o plano custa R$ 99."]
        body = model.chats()[0]
        assert [m["content"] for m in body["messages"] if m["role"] == "user"] == [
            "oi",
            "tudo bem?",
            "vocês têm o plano mensal?",
        ]
        assert "tools" not in body  # autonomy level 0 replies only
        metadata = sent[0].ai_metadata
        assert metadata is not None
        assert metadata["autonomyLevel"] == 0
        assert metadata["fallback"] is False
        assert (await _conversation(app, account.company_id)).ai_turn_id is None  # lease released
        # The model call is accounted in the answer's transaction.
        async with system_session(state_of(app).factory, company_id=uuid.UUID(account.company_id)) as session:
            usage = list((await session.scalars(select(Usage))).all())
        assert [(u.feature, u.ok) for u in usage] == [("reply", True)]
        assert usage[0].prompt_tokens > 0


async def test_a_message_arriving_while_the_model_thinks_drops_the_reply_and_starts_a_new_turn(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Drop", "Drop Co")
        gateway = await ai_instance(app, account.company_id, quiet=0)
        model.script({"content": "resposta velha", "delayMs": 1200}, {"content": "resposta nova"})
        await customer_says(client, gateway, "quero um orçamento")
        await settle(lambda: _has_chats(model, 1))
        newer = await customer_says(client, gateway, "para 10 pessoas")
        sent = await settle(lambda: bot_messages(app, account.company_id), within=15)
        await asyncio.sleep(0.5)
        assert [m.text for m in await bot_messages(app, account.company_id)] == ["resposta nova"]
        assert len(model.chats()) == 2
        last_user = [m for m in model.chats()[1]["messages"] if m["role"] == "user"][-1]
        assert last_user["content"] == "para 10 pessoas"
        assert sent[0].ai_metadata["answersThrough"]
        assert newer  # the newer message is the one answered


async def test_a_reply_stamped_in_the_same_second_as_our_answer_is_the_last_thing_the_model_reads(
    services: Services, model: Model
) -> None:
    """WhatsApp stamps the customer's message in whole seconds, ours carry fractions: a reply may look
    older than the answer it replies to. The model must still read it last."""
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Order", "Order Co")
        gateway = await ai_instance(app, account.company_id, quiet=0)
        model.script({"content": "Olá! Em que posso ajudar?"}, {"content": "Anotado."})
        await customer_says(client, gateway, "oi")
        answer = (await settle(lambda: bot_messages(app, account.company_id)))[0]
        await customer_says(client, gateway, "quero o plano anual", at=int(answer.sent_at.timestamp()))
        await settle(lambda: _has_chats(model, 2))
        conversation = model.chats()[1]["messages"]
        assert [(m["role"], m["content"]) for m in conversation[1:]] == [
            ("user", "oi"),
            ("assistant", "Olá! Em que posso ajudar?"),
            ("user", "quero o plano anual"),
        ]


async def _has_chats(model: Model, count: int) -> bool:
    return len(model.chats()) >= count


async def test_one_turn_per_conversation_when_many_jobs_race(services: Services, model: Model) -> None:
    from evoai.ai.schedule import schedule_turn
    from evoai.worker.enqueue import committed_outbox_ids

    settings = ai_settings(services, model, MESSAGE_WORKER_CONCURRENCY=10)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Race", "Race Co")
        gateway = await ai_instance(app, account.company_id, quiet=60)  # its own job waits a minute
        model.script({"content": "uma resposta só", "delayMs": 300})
        await customer_says(client, gateway, "oi")
        conversation = await _conversation(app, account.company_id)
        state = state_of(app)
        async with system_session(state.factory, company_id=uuid.UUID(account.company_id)) as session:
            from evoai.models import Message

            message_id = await session.scalar(select(Message.id).where(Message.direction == "RECEIVED"))
            assert message_id is not None
            for _ in range(8):
                await schedule_turn(
                    session,
                    company_id=uuid.UUID(account.company_id),
                    conversation_id=conversation.id,
                    message_id=message_id,
                    delay_ms=0,
                )
            ids = committed_outbox_ids(session)
        await state.relay.relay(ids)
        async with workers(settings):
            await settle(lambda: bot_messages(app, account.company_id))
            await asyncio.sleep(3)  # the jobs that found the turn busy come back and find it answered
        assert len(await bot_messages(app, account.company_id)) == 1
        assert len(model.chats()) == 1


async def test_turning_the_ai_on_takes_effect_for_the_next_message(services: Services, model: Model) -> None:
    from tests.whatsapp.wa_helpers import make_instance

    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), workers(settings):
        account = await register(client, "Switch", "Switch Co")
        gateway = await make_instance(app, account.company_id)
        await customer_says(client, gateway, "oi")  # the webhook now knows the instance, AI off
        enabled = await client.patch(
            f"/api/ai/instances/{gateway.instance_id}",
            headers=account.headers,
            json={"enabled": True, "quietWindowSeconds": 0},
        )
        assert enabled.status_code == 200
        assert "gatewayName" in enabled.json()["data"]
        model.script({"content": "Agora sim!"})
        await customer_says(client, gateway, "tem alguém?")
        sent = await settle(lambda: bot_messages(app, account.company_id))
        assert [m.text for m in sent] == ["Agora sim!"]
