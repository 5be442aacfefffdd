"""The internal assistant: read-only tools over the member's own data, kept conversations private to
each member, the spec's endpoints."""

from __future__ import annotations

import json

from tests.ai.conftest import Model, ai_api, ai_instance, ai_settings, customer_says
from tests.conftest import Services, join, login_headers, register


def _tool_outputs(model: Model) -> list[object]:
    last = model.chats()[-1]["messages"]
    return [json.loads(m["content"]) for m in last if m["role"] == "tool"]


async def test_the_assistant_answers_from_the_companys_data_with_read_only_tools(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        alice = await register(client, "Alice", "A Co")
        bob = await register(client, "Bob", "B Co")
        mine = await ai_instance(app, alice.company_id, quiet=60)
        theirs = await ai_instance(app, bob.company_id, quiet=60)
        await customer_says(client, mine, "Alguém aí? Quero comprar", number="5511911112222")
        await customer_says(client, theirs, "Mensagem de outra empresa", number="5511933334444")
        model.script(
            {
                "toolCalls": [
                    {"name": "waiting_conversations", "arguments": {}},
                    {"name": "metrics", "arguments": {}},
                ]
            },
            {"content": "Há 1 lead aguardando resposta: 5511911112222."},
        )
        response = await client.post(
            "/api/ai/assistant/chat",
            headers=alice.headers,
            json={"message": "Quais leads estão esperando resposta?"},
        )
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert data["response"] == "Há 1 lead aguardando resposta: 5511911112222."
        assert [t["name"] for t in data["toolsUsed"]] == ["waiting_conversations", "metrics"]
        waiting, metrics = _tool_outputs(model)
        assert isinstance(waiting, list)
        assert [w["lastMessage"] for w in waiting] == ["Alguém aí? Quero comprar"]  # never B's
        assert isinstance(metrics, dict)
        assert metrics["periodName"] == "7d"
        # The conversation is kept, and the next question carries it.
        model.script({"content": "De nada!"})
        follow_up = await client.post(
            "/api/ai/assistant/chat",
            headers=alice.headers,
            json={"message": "Obrigada", "conversationId": data["conversationId"]},
        )
        assert follow_up.status_code == 200
        sent = [m["content"] for m in model.chats()[-1]["messages"] if m["role"] in ("user", "assistant")]
        assert sent == ["Quais leads estão esperando resposta?", data["response"], "Obrigada"]
        listed = (await client.get("/api/ai/assistant/conversations", headers=alice.headers)).json()["data"]
        assert [(c["title"], c["messageCount"]) for c in listed] == [
            ("Quais leads estão esperando resposta?", 4)
        ]
        url = f"/api/ai/assistant/conversations/{data['conversationId']}"
        messages = (await client.get(f"{url}/messages", headers=alice.headers)).json()["data"]
        assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
        # Private: another company and another member of the same company see nothing.
        assert (await client.get(f"{url}/messages", headers=bob.headers)).status_code == 404
        await join(client, alice, "colega@example.com")
        colleague = await login_headers(client, "colega@example.com", "member-password")
        assert (await client.get(f"{url}/messages", headers=colleague)).status_code == 404
        assert (await client.get("/api/ai/assistant/conversations", headers=colleague)).json()["data"] == []
        assert (await client.delete(url, headers=colleague)).status_code == 404
        assert (await client.delete(url, headers=alice.headers)).status_code == 200
        assert (await client.get(f"{url}/messages", headers=alice.headers)).status_code == 404


async def test_the_assistant_validates_input_and_reports_model_failures(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (_, client):
        account = await register(client, "Val", "Val Co")
        for bad in (
            {},
            {"message": "   "},
            {"message": "x" * 4001},
            {"message": "oi", "conversationId": "nope"},
        ):
            response = await client.post("/api/ai/assistant/chat", headers=account.headers, json=bad)
            assert response.status_code == 400, bad
        missing = await client.post(
            "/api/ai/assistant/chat",
            headers=account.headers,
            json={"message": "oi", "conversationId": "00000000-0000-0000-0000-000000000000"},
        )
        assert missing.status_code == 404
        model.script({"status": 500})
        failed = await client.post("/api/ai/assistant/chat", headers=account.headers, json={"message": "oi"})
        assert failed.status_code == 503
        assert "tente de novo" in failed.json()["error"]
        assert (await client.get("/api/ai/assistant/conversations", headers=account.headers)).json()[
            "data"
        ] == []
        model.script({"content": "Vá em Configurações > IA."})
        how_to = await client.post(
            "/api/ai/assistant/chat",
            headers=account.headers,
            json={"message": "Como ligo a IA?", "history": [{"role": "user", "content": "oi"}]},
        )
        assert how_to.status_code == 200
        system = model.chats()[-1]["messages"][0]["content"]
        assert "Configurações > IA" in system
