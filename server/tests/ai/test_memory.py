"""Semantic memory: messages and FAQ embedded by the real embedding-worker with the scripted model,
searched by meaning as the application role (row-level security on), one company at a time."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select, text

from evoai.ai import memory, memory_tasks
from evoai.ai.llm import LLM, model_access
from evoai.config import Settings
from evoai.db import system_session
from evoai.models import Contact, Embedding, OutboxEntry
from evoai.sandbox.model import embed_text
from evoai.worker import queues
from evoai.worker.context import JobContext
from evoai.worker.run import run_workers
from tests.ai.conftest import Model, ai_api, ai_settings, customer_says, settle
from tests.conftest import Services, register
from tests.whatsapp.wa_helpers import Gateway, make_instance, state_of, text_upsert

CUSTOMER = "5511988887777"
OTHER = "5511977776666"


@asynccontextmanager
async def embedding_worker(settings: Settings) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(run_workers(settings, [queues.EMBEDDING], stop=stop, grace_seconds=3))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


def job_context(app: Any) -> JobContext:
    state = state_of(app)
    return JobContext(state.settings, state.factory, state.relay)


async def schedule(app: Any, company_id: str) -> None:
    async with job_context(app).transaction(company_id=uuid.UUID(company_id)) as session:
        await memory.schedule_embedding(session, uuid.UUID(company_id))


async def sweep(app: Any, company_id: str) -> dict[str, Any]:
    """The job's handler, run here so a test controls exactly when it happens."""
    return await memory_tasks.embed_pending(job_context(app), {"companyId": company_id})


async def stored(app: Any, company_id: str | None = None) -> list[Embedding]:
    async with system_session(state_of(app).factory) as session:  # every tenant
        query = select(Embedding).order_by(Embedding.created_at, Embedding.content)
        if company_id:
            query = query.where(Embedding.company_id == uuid.UUID(company_id))
        return list((await session.scalars(query)).all())


def embedding_calls(model: Model) -> list[dict[str, Any]]:
    return [r["body"] for r in model.state.requests if r["path"] == "embeddings"]


async def agent_says(client: httpx.AsyncClient, gateway: Gateway, text: str) -> None:
    """Sent from the company's phone: an agent's message (from_me, not the AI)."""
    body = text_upsert(
        gateway, message_id=f"AGNT{uuid.uuid4().hex[:16].upper()}", number=CUSTOMER, text=text, fromMe=True
    )
    assert (await gateway.post(client, body)).status_code == 200


async def search(client: httpx.AsyncClient, headers: dict[str, str], q: str, **params: Any) -> httpx.Response:
    return await client.get("/api/ai/search", params={"q": q, **params}, headers=headers)


@pytest.fixture
def quick_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "DEBOUNCE_MS", 300)
    monkeypatch.setattr(memory, "DEBOUNCE_GRACE_MS", 100)


async def test_new_messages_are_embedded_by_the_worker_and_found_by_meaning(
    services: Services, model: Model, quick_debounce: None
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), embedding_worker(settings):
        account = await register(client, "Mem", "Memory Co")
        gateway = await make_instance(app, account.company_id)
        await customer_says(client, gateway, "quanto custa o plano mensal de vocês?", number=CUSTOMER)
        await customer_says(client, gateway, "ok", number=CUSTOMER)  # too short to remember
        await agent_says(client, gateway, "Fazemos entrega em Campinas todas as terças")
        await customer_says(client, gateway, "preciso de nota fiscal para empresa", number=OTHER)
        await schedule(app, account.company_id)
        await schedule(app, account.company_id)  # same bucket: one job
        rows = await settle(lambda: _at_least(app, account.company_id, 3))
        assert sorted(r.content for r in rows) == [
            "Fazemos entrega em Campinas todas as terças",
            "preciso de nota fiscal para empresa",
            "quanto custa o plano mensal de vocês?",
        ]
        assert {(r.source_type, r.model, r.dimensions) for r in rows} == {
            ("message", "text-embedding-3-small", 1536)
        }
        assert all(r.source_id == r.message_id and r.contact_id and r.conversation_id for r in rows)
        [call] = embedding_calls(model)  # one call for the batch
        assert (call["model"], call["dimensions"], len(call["input"])) == ("text-embedding-3-small", 1536, 3)

        response = await search(client, account.headers, "qual o preço do plano mensal", limit=2)
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert data["model"] == "text-embedding-3-small"
        first, second = data["results"]
        assert first["content"] == "quanto custa o plano mensal de vocês?"
        assert first["sourceType"] == "message"
        assert first["instanceId"] == str(gateway.instance_id)
        assert second["score"] < first["score"] <= 1
        assert set(first) == {
            "sourceType",
            "sourceId",
            "conversationId",
            "contactId",
            "instanceId",
            "content",
            "score",
            "createdAt",
        }
        # A filter by contact keeps only that person's messages.
        only = await search(client, account.headers, "nota fiscal", contactId=first["contactId"])
        assert "preciso de nota fiscal para empresa" not in [
            r["content"] for r in only.json()["data"]["results"]
        ]

        # Already embedded: a new sweep does not call the model.
        calls = len(embedding_calls(model))
        assert await sweep(app, account.company_id) == {"embedded": 0, "reembedded": 0}
        assert len(embedding_calls(model)) == calls

        bad_params: list[dict[str, str | int]] = [
            {"q": " "},
            {"q": "plano", "limit": 51},
            {"q": "plano", "limit": 0},
        ]
        for bad in bad_params:
            response = await client.get("/api/ai/search", params=bad, headers=account.headers)
            assert response.status_code == 400, bad


async def _at_least(app: Any, company_id: str, count: int) -> list[Embedding] | None:
    rows = await stored(app, company_id)
    return rows if len(rows) >= count else None


async def test_schedule_embedding_is_one_debounced_job_per_company_and_moment(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Sched", "Sched Co")
        company = uuid.UUID(account.company_id)
        async with job_context(app).transaction(company_id=company) as session:
            await memory.schedule_embedding(session, company)
            await memory.schedule_embedding(session, company)  # one outbox row per transaction
        async with job_context(app).transaction(company_id=company) as session:
            await memory.schedule_embedding(session, company)
        async with system_session(state_of(app).factory) as session:
            entries = (
                await session.scalars(select(OutboxEntry).where(OutboxEntry.name == memory.EMBED_JOB))
            ).all()
        assert len(entries) == 2
        assert all(e.sent_at is not None and e.queue == queues.EMBEDDING for e in entries)
        job_ids = {e.options["jobId"] for e in entries}
        assert len(job_ids) <= 2  # two only if the two transactions straddled a 5-second bucket
        assert all(j.startswith(f"embed-{company}-") for j in job_ids)
        assert all(0 < e.options["delay"] <= memory.DEBOUNCE_MS + memory.DEBOUNCE_GRACE_MS for e in entries)
        redis = Redis.from_url(services.redis_url, decode_responses=True)
        try:
            delayed = await redis.zrange(f"bull:{queues.EMBEDDING}:delayed", 0, -1)
        finally:
            await redis.aclose()
        assert set(delayed) == job_ids


async def test_tenant_filter_never_returns_another_company_even_closer_and_still_fills_k(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    query = "promoção de aniversário"
    async with ai_api(settings) as (app, client):
        a = await register(client, "Alpha", "Alpha Co")
        b = await register(client, "Beta", "Beta Co")
        factory = state_of(app).factory
        target = embed_text(query, 1536)
        async with system_session(factory) as session:
            for i in range(15):
                session.add(_row(a.company_id, f"texto da empresa A número {i} sobre aniversário {i}"))
            session.add(_row(b.company_id, "igual à busca", vector=target))
            await session.flush()
            # Company A: 2,000 unrelated random vectors too, so the planner walks the HNSW graph.
            await session.execute(
                text(
                    "INSERT INTO ai_embeddings (id, company_id, source_type, source_id, content, model,"
                    " dimensions, embedding) SELECT gen_random_uuid(), :a, 'knowledge', gen_random_uuid(),"
                    " 'ruído', 'text-embedding-3-small', 1536,"
                    " (SELECT array_agg(random() - 0.5 + 0 * (x + g)) FROM generate_series(1, 1536) x)"
                    "::vector FROM generate_series(1, 2000) g"
                ),
                {"a": uuid.UUID(a.company_id)},
            )
            # Company B: 3,000 rows identical to the query, the nearest possible neighbours.
            await session.execute(
                text(
                    "INSERT INTO ai_embeddings (id, company_id, source_type, source_id, content, model,"
                    " dimensions, embedding) SELECT gen_random_uuid(), company_id, source_type,"
                    " gen_random_uuid(), content, model, dimensions, embedding FROM ai_embeddings,"
                    " generate_series(1, 2999) WHERE company_id = :b"
                ),
                {"b": uuid.UUID(b.company_id)},
            )
        admin = await asyncpg.connect(services.admin_url)
        try:
            await admin.execute("ANALYZE ai_embeddings")
        finally:
            await admin.close()
        space = memory.current_space(settings)
        async with system_session(factory, company_id=uuid.UUID(a.company_id)) as session:
            hits = await memory.search(
                session, company_id=uuid.UUID(a.company_id), space=space, vector=target, limit=10
            )
            plan = "\n".join(
                (await session.execute(text(f"EXPLAIN {_raw_search(a.company_id, target)}"))).scalars()
            )
        assert "ix_ai_embeddings_hnsw_1536" in plan  # the graph walk, not an exact scan
        assert len(hits) == 10
        assert all(h.content.startswith("texto da empresa A") for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)

        # (The graph walk alone may come back short here: B's identical vectors can cut A's rows off
        # the part of the graph it reaches, depending on how the graph was built; `search` then
        # rescans A's rows exactly. Either way the answer above has 10 of A's rows.)

        # Through the API as well, as the company's member (row-level security on, app role).
        response = await search(client, a.headers, query, limit=12)
        results = response.json()["data"]["results"]
        assert len(results) == 12
        assert all(r["content"] != "igual à busca" for r in results)
        response = await search(client, b.headers, query, limit=3)
        assert [r["score"] for r in response.json()["data"]["results"]] == [pytest.approx(1.0)] * 3


def _row(company_id: str, content: str, vector: list[float] | None = None) -> Embedding:
    return Embedding(
        id=uuid.uuid4(),
        company_id=uuid.UUID(company_id),
        source_type="knowledge",
        source_id=uuid.uuid4(),
        content=content,
        model="text-embedding-3-small",
        dimensions=1536,
        embedding=vector or embed_text(content, 1536),
    )


def _raw_search(company_id: str, vector: list[float]) -> str:
    """The search's SQL with literals, for EXPLAIN (what memory.search sends, parameters inlined)."""
    literal = "[" + ",".join(f"{v:.6f}" for v in vector) + "]"
    return (
        "SELECT content FROM ai_embeddings WHERE company_id = '"
        + company_id
        + "' AND model = 'text-embedding-3-small' AND dimensions = 1536"
        f" ORDER BY embedding::vector(1536) <=> '{literal}'::vector(1536) LIMIT 10"
    )


async def test_a_model_change_re_embeds_in_batches_while_search_keeps_working(
    services: Services, model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = ai_settings(services, model)
    new = ai_settings(services, model, EMBEDDING_MODEL="text-embedding-3-large", EMBEDDING_DIMENSIONS=256)
    texts = [
        "quero cancelar minha assinatura hoje",
        "como faço para trocar o endereço de entrega",
        "vocês aceitam pagamento por pix",
    ]
    faq = {"question": "Aceitam cartão?", "answer": "Sim, crédito e débito."}
    async with ai_api(old) as (app, client):
        account = await register(client, "Change", "Change Co")
        gateway = await make_instance(app, account.company_id)
        for line in texts:
            await customer_says(client, gateway, line, number=CUSTOMER)
        assert (await sweep(app, account.company_id))["embedded"] == 3
        await client.post(
            f"/api/ai/onboarding/{gateway.instance_id}", headers=account.headers, json={"faq": [faq]}
        )
        knowledge = {"companyId": account.company_id, "instanceId": str(gateway.instance_id)}
        assert (await memory_tasks.embed_knowledge(job_context(app), knowledge))["embedded"] == 1
    monkeypatch.setattr(memory_tasks, "BATCH", 2)
    monkeypatch.setattr(memory_tasks, "BATCHES_PER_JOB", 1)
    async with ai_api(new) as (app, client):
        # Nothing in the new space yet: search works and returns nothing rather than mixing spaces.
        response = await search(client, account.headers, "pagamento por pix")
        assert response.status_code == 200
        assert response.json()["data"] == {"results": [], "model": "text-embedding-3-large"}

        # Recent messages first, from their source; their old rows go as their new ones arrive.
        assert await sweep(app, account.company_id) == {"embedded": 2, "reembedded": 0}
        spaces = sorted((r.model, r.dimensions) for r in await stored(app, account.company_id))
        assert spaces == [("text-embedding-3-large", 256)] * 2 + [("text-embedding-3-small", 1536)] * 2
        response = await search(client, account.headers, "pagamento por pix", limit=10)
        assert len(response.json()["data"]["results"]) == 2  # only the new space, meanwhile

        # Then the rest, and the FAQ item from its stored text.
        assert await sweep(app, account.company_id) == {"embedded": 1, "reembedded": 1}
        assert await sweep(app, account.company_id) == {"embedded": 0, "reembedded": 0}
        rows = await stored(app, account.company_id)
        assert {(r.model, r.dimensions) for r in rows} == {("text-embedding-3-large", 256)}
        assert sorted(r.content for r in rows) == sorted([*texts, "Aceitam cartão?\nSim, crédito e débito."])
        assert all(r.message_id for r in rows if r.source_type == "message")
        assert {c["dimensions"] for c in embedding_calls(model)[-3:]} == {256}
        response = await search(client, account.headers, "pagamento por pix", limit=1)
        assert response.json()["data"]["results"][0]["content"] == "vocês aceitam pagamento por pix"


async def test_faq_and_the_contacts_own_messages_feed_the_reply_context(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Ctx", "Context Co")
        gateway = await make_instance(app, account.company_id)
        other_instance = await make_instance(app, account.company_id)
        faq = [
            {
                "question": "Qual o horário de funcionamento?",
                "answer": "Abrimos de segunda a sexta, 9h às 18h.",
            },
            {
                "question": "Vocês entregam aos sábados?",
                "answer": "Sim, entregamos aos sábados até meio-dia.",
            },
        ]
        for instance, items in (
            (gateway, faq),
            (other_instance, [{"question": "entregam sábados?", "answer": "Não."}]),
        ):
            response = await client.post(
                f"/api/ai/onboarding/{instance.instance_id}",
                headers=account.headers,
                json={"faq": items, "businessDescription": "Padaria artesanal com entrega no bairro."},
            )
            assert response.status_code == 200, response.text
            await memory_tasks.embed_knowledge(
                job_context(app),
                {"companyId": account.company_id, "instanceId": str(instance.instance_id)},
            )
        await customer_says(client, gateway, "meu pedido de sábado chegou frio", number=CUSTOMER)
        await customer_says(client, gateway, "entregam no sábado de manhã também?", number=OTHER)
        await sweep(app, account.company_id)
        company = uuid.UUID(account.company_id)
        async with system_session(state_of(app).factory, company_id=company) as session:
            contact_id = await session.scalar(select(Contact.id).where(Contact.phone_number == CUSTOMER))
            access = await model_access(session, settings, company)
            llm = LLM(settings, state_of(app).factory)
            found = await memory.relevant_memories(
                session,
                llm,
                access,
                company_id=company,
                contact_id=contact_id,
                instance_id=gateway.instance_id,
                query="vocês entregam no sábado?",
                k=3,
            )
            assert found[0] == "Vocês entregam aos sábados?\nSim, entregamos aos sábados até meio-dia."
            assert "meu pedido de sábado chegou frio" in found
            assert "Não." not in " ".join(found)  # another instance's FAQ
            assert "entregam no sábado de manhã também?" not in found  # another person's message
            everything = await memory.relevant_memories(
                session,
                llm,
                access,
                company_id=company,
                contact_id=contact_id,
                instance_id=gateway.instance_id,
                query="sábado",
                k=10,
            )
            assert len(everything) == 4  # two FAQ items, the description, the contact's message

        # Editing the FAQ replaces the rows: a removed question is forgotten, a changed answer re-embedded.
        faq[1]["answer"] = "Não entregamos aos sábados."
        await client.post(
            f"/api/ai/onboarding/{gateway.instance_id}", headers=account.headers, json={"faq": faq[1:]}
        )
        result = await memory_tasks.embed_knowledge(
            job_context(app), {"companyId": account.company_id, "instanceId": str(gateway.instance_id)}
        )
        assert result == {"items": 2, "embedded": 1}
        contents = {
            r.content
            for r in await stored(app, account.company_id)
            if r.instance_id == gateway.instance_id and r.source_type == "faq"
        }
        assert contents == {"Vocês entregam aos sábados?\nNão entregamos aos sábados."}

    off = ai_settings(services, model, ENABLE_EMBEDDINGS=False)
    async with ai_api(off) as (app, _), system_session(state_of(app).factory, company_id=company) as session:
        assert (
            await memory.relevant_memories(
                session,
                LLM(off, state_of(app).factory),
                access,
                company_id=company,
                contact_id=contact_id,
                instance_id=gateway.instance_id,
                query="sábado",
            )
            == []
        )


@pytest.mark.parametrize("setting", ["disabled", "no_key"])
async def test_without_embeddings_or_a_key_nothing_is_stored_and_search_is_422(
    services: Services, model: Model, setting: str
) -> None:
    overrides: dict[str, Any] = (
        {"ENABLE_EMBEDDINGS": False}
        if setting == "disabled"
        else {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}
    )
    settings = ai_settings(services, model, **overrides)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Off", "Off Co")
        gateway = await make_instance(app, account.company_id)
        await customer_says(client, gateway, "quero saber sobre os planos anuais", number=CUSTOMER)
        assert await sweep(app, account.company_id) == {"skipped": True}
        result = await memory_tasks.embed_knowledge(
            job_context(app), {"companyId": account.company_id, "instanceId": str(gateway.instance_id)}
        )
        assert result == {"skipped": True}
        assert await stored(app) == []
        assert embedding_calls(model) == []
        response = await search(client, account.headers, "planos anuais")
        assert response.status_code == 422
        assert response.json()["code"] == "ai_disabled"


async def test_erasing_a_contact_erases_their_memory(services: Services, model: Model) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        account = await register(client, "Erase", "Erase Co")
        gateway = await make_instance(app, account.company_id)
        await customer_says(client, gateway, "meu CPF é o mesmo do cadastro antigo", number=CUSTOMER)
        await customer_says(client, gateway, "quero mudar o endereço da entrega", number=OTHER)
        await sweep(app, account.company_id)
        assert len(await stored(app, account.company_id)) == 2
        async with system_session(state_of(app).factory) as session:
            contact_id = await session.scalar(select(Contact.id).where(Contact.phone_number == CUSTOMER))
        response = await client.post(
            f"/api/contacts/{contact_id}/erase", headers=account.headers, json={"confirm": CUSTOMER}
        )
        assert response.status_code == 200, response.text
        assert response.json()["data"]["embeddings"] == 1
        assert [r.content for r in await stored(app, account.company_id)] == [
            "quero mudar o endereço da entrega"
        ]
        # Deleting a conversation (or a message) takes its vectors along (foreign key on message_id).
        async with system_session(state_of(app).factory) as session:
            await session.execute(text("DELETE FROM whatsapp_messages"))
            assert await session.scalar(select(func.count()).select_from(Embedding)) == 0


async def test_the_onboarding_faq_reaches_a_real_reply_and_the_scheduler_sweeps_new_messages(
    services: Services, model: Model
) -> None:
    from tests.ai.conftest import ai_instance, bot_messages, workers

    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client), embedding_worker(settings), workers(settings):
        account = await register(client, "Faq", "Faq Co")
        gateway = await ai_instance(app, account.company_id, quiet=0)
        saved = await client.post(
            f"/api/ai/onboarding/{gateway.instance_id}",
            headers=account.headers,
            json={"faq": [{"question": "Entregam aos sábados?", "answer": "Sim, até meio-dia."}]},
        )
        assert saved.status_code == 200
        # Saving the FAQ queued its embedding; the embedding-worker stores it.
        await settle(lambda: _faq_rows(app, account.company_id), within=15)
        model.script({"content": "Entregamos sim, até meio-dia!"})
        await customer_says(client, gateway, "vocês entregam no sábado?", number=CUSTOMER)
        await settle(lambda: bot_messages(app, account.company_id))
        reply_call = next(
            c for c in model.chats() if c["messages"][-1]["content"] == "vocês entregam no sábado?"
        )
        assert "Entregam aos sábados?\nSim, até meio-dia." in reply_call["messages"][0]["content"]
        # The scheduler's sweep queues the embedding of companies whose customers just wrote.
        async with system_session(state_of(app).factory) as session:
            assert await memory.schedule_recent(session) == 1


async def _faq_rows(app: Any, company_id: str) -> list[Embedding]:
    return [row for row in await stored(app, company_id) if row.source_type == "faq"]
