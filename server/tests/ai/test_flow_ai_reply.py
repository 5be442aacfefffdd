"""A flow's AI_REPLY node: the instance's AI answers the conversation now, with the node's
instructions added to that turn's prompt."""

from __future__ import annotations

from sqlalchemy import select, update

from evoai.ai import reply as ai_reply
from evoai.ai.schedule import REPLY_JOB
from evoai.db import system_session
from evoai.models import OutboxEntry, WhatsAppInstance
from tests.ai.conftest import Model, ai_api, ai_settings
from tests.conftest import Services
from tests.flows.helpers import chain, create_flow, executions, node, run
from tests.followups.helpers import open_shop
from tests.whatsapp.wa_helpers import state_of


async def test_ai_reply_answers_with_the_nodes_instructions(services: Services, model: Model) -> None:
    async with ai_api(ai_settings(services, model)) as (app, client):
        shop = await open_shop(app, client)
        factory = state_of(app).factory
        async with system_session(factory) as session:
            await session.execute(
                update(WhatsAppInstance)
                .where(WhatsAppInstance.id == shop.gateway.instance_id)
                .values(ai_enabled=True, ai_quiet_seconds=60)
            )
        nodes = [
            node("t", "KEYWORD", keywords=["preço"], match="contains"),
            node("ai", "AI_REPLY", instructions="Ofereça 10% de desconto para {{contact.firstName}}"),
        ]
        flow = await create_flow(shop, nodes, chain(("t", "ai")))
        await shop.customer_says("Qual o preço do plano?")
        [execution] = await executions(shop, flow["id"])
        assert (await run(shop, execution.id)).status == "COMPLETED"
        async with system_session(factory) as session:
            jobs = (await session.scalars(select(OutboxEntry).where(OutboxEntry.name == REPLY_JOB))).all()
        [from_flow] = [j for j in jobs if "instructions" in j.payload]
        assert from_flow.payload["instructions"] == "Ofereça 10% de desconto para Maria"
        model.script({"content": "Maria, para você o plano sai com 10% de desconto!"})
        result = await ai_reply.reply(shop.ctx(), from_flow.payload)
        assert result.get("turn") != "skipped", result
        system = model.chats()[-1]["messages"][0]["content"]
        assert "Ofereça 10% de desconto para Maria" in system
        assert await shop.bot_texts() == ["Maria, para você o plano sai com 10% de desconto!"]
