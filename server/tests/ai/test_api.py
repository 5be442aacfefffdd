"""The AI settings API: validation, permissions, tenant isolation, prompt versions, onboarding,
generation and the preview that sends nothing."""

from __future__ import annotations

from tests.ai.conftest import Model, ai_api, ai_instance, ai_settings, ai_tag, bot_messages
from tests.conftest import Services, join, login_headers, register
from tests.whatsapp.wa_helpers import make_instance


async def test_settings_are_validated_and_need_the_prompt_permission(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        admin = await register(client, "Adm", "Set Co")
        gateway = await make_instance(app, admin.company_id)
        url = f"/api/ai/instances/{gateway.instance_id}"
        listed = (await client.get("/api/ai/instances", headers=admin.headers)).json()["data"]
        assert [(i["enabled"], i["autonomyLevel"], i["quietWindowSeconds"]) for i in listed] == [
            (False, 0, 10)
        ]
        for bad in (
            {"autonomyLevel": 3},
            {"quietWindowSeconds": 61},
            {"quietWindowSeconds": -1},
            {"enabeld": True},
        ):
            response = await client.patch(url, headers=admin.headers, json=bad)
            assert response.status_code == 400, (bad, response.text)
        changed = await client.patch(
            url,
            headers=admin.headers,
            json={
                "enabled": True,
                "autonomyLevel": 2,
                "quietWindowSeconds": 5,
                "fallbackReply": " Já volto ",
            },
        )
        assert changed.status_code == 200, changed.text
        data = changed.json()["data"]
        assert (data["enabled"], data["autonomyLevel"], data["fallbackReply"]) == (True, 2, "Já volto")
        await join(client, admin, "seller@example.com", role="member")
        seller = await login_headers(client, "seller@example.com", "member-password")
        assert (await client.patch(url, headers=seller, json={"enabled": False})).status_code == 403
        assert (await client.post(f"{url}/prompt", headers=seller, json={"content": "x"})).status_code == 403
        assert (await client.get(url, headers=seller)).status_code == 200  # members may look
        key = await client.put("/api/ai/company-key", headers=seller, json={"apiKey": "sk-member-key-0000"})
        assert key.status_code == 403


async def test_another_companys_instance_is_a_404_everywhere(services: Services, model: Model) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        alice = await register(client, "Alice", "A Co")
        bob = await register(client, "Bob", "B Co")
        theirs = await make_instance(app, alice.company_id)
        base = f"/api/ai/instances/{theirs.instance_id}"
        calls = [
            ("GET", base, None),
            ("PATCH", base, {"enabled": True}),
            ("GET", f"{base}/prompt", None),
            ("POST", f"{base}/prompt", {"content": "roubo"}),
            ("POST", f"{base}/prompt/versions/1/restore", None),
            ("POST", f"{base}/preview", {"message": "oi"}),
            ("GET", f"/api/ai/onboarding/{theirs.instance_id}", None),
            ("POST", f"/api/ai/onboarding/{theirs.instance_id}", {"businessName": "x"}),
            ("POST", "/api/ai/onboarding/generate", {"instanceId": str(theirs.instance_id)}),
        ]
        for method, url, body in calls:
            response = await client.request(method, url, headers=bob.headers, json=body)
            assert response.status_code == 404, (method, url, response.text)
        assert (await client.get("/api/ai/instances", headers=bob.headers)).json()["data"] == []
        conversation = "00000000-0000-0000-0000-000000000000"
        missing = await client.get(f"/api/ai/conversations/{conversation}/state", headers=bob.headers)
        assert missing.status_code == 404


async def test_prompt_versions_and_restore(services: Services, model: Model) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        admin = await register(client, "Pro", "Prompt Co")
        gateway = await make_instance(app, admin.company_id)
        url = f"/api/ai/instances/{gateway.instance_id}/prompt"
        empty = (await client.get(url, headers=admin.headers)).json()["data"]
        assert empty["current"] is None
        assert "Prompt Co" in empty["effective"]  # the default names the company
        assert (await client.post(url, headers=admin.headers, json={"content": "   "})).status_code == 400
        for content in ("Versão um", "Versão dois"):
            assert (
                await client.post(url, headers=admin.headers, json={"content": content})
            ).status_code == 201
        restored = await client.post(f"{url}/versions/1/restore", headers=admin.headers)
        assert restored.status_code == 201
        data = restored.json()["data"]
        assert (data["current"]["version"], data["current"]["content"], data["current"]["source"]) == (
            3,
            "Versão um",
            "restored",
        )
        assert data["current"]["restoredFrom"] == 1
        assert [v["version"] for v in data["versions"]] == [3, 2, 1]
        assert data["effective"] == "Versão um"
        missing = await client.post(f"{url}/versions/9/restore", headers=admin.headers)
        assert missing.status_code == 404


async def test_onboarding_saved_step_by_step_then_generated(services: Services, model: Model) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        admin = await register(client, "Onb", "Onb Co")
        gateway = await make_instance(app, admin.company_id)
        url = f"/api/ai/onboarding/{gateway.instance_id}"
        steps = [
            {"businessName": "Loja Sol", "businessType": "ECOMMERCE", "currentStep": 1},
            {"targetAudience": "famílias", "tone": "casual", "currentStep": 2},
            {"mainProducts": ["Guarda-sol", " ", "Cadeira"], "promotions": "10% no Pix", "currentStep": 3},
            {"faq": [{"question": "Entregam?", "answer": "Sim, em 3 dias."}], "currentStep": 4},
            {
                "restrictions": ["Não dar descontos acima de 10%"],
                "workingHours": {"start": "08:00", "end": "17:30", "workDays": [1, 2, 3, 4, 5, 6]},
                "currentStep": 5,
                "isComplete": True,
            },
        ]
        for body in steps:
            response = await client.post(url, headers=admin.headers, json=body)
            assert response.status_code == 200, response.text
        saved = (await client.get(url, headers=admin.headers)).json()["data"]
        assert (saved["businessName"], saved["tone"], saved["mainProducts"]) == (
            "Loja Sol",
            "casual",
            ["Guarda-sol", "Cadeira"],
        )
        assert (saved["currentStep"], saved["isComplete"]) == (5, True)
        assert saved["completedAt"]
        for bad in (
            {"tone": "grumpy"},
            {"workingHours": {"start": "25:00"}},
            {"workingHours": {"timezone": "Mars/X"}},
        ):
            assert (await client.post(url, headers=admin.headers, json=bad)).status_code == 400, bad
        generated = await client.post(
            "/api/ai/onboarding/generate",
            headers=admin.headers,
            json={"instanceId": str(gateway.instance_id)},
        )
        text = generated.json()["data"]["generatedPrompt"]
        for expected in (
            "Loja Sol",
            "Guarda-sol, Cadeira",
            "casual",
            "Entregam? Sim, em 3 dias.",
            "08:00 às 17:30",
        ):
            assert expected in text, expected
        # Before a prompt is saved, the generated one is what the AI uses.
        effective = (
            await client.get(f"/api/ai/instances/{gateway.instance_id}/prompt", headers=admin.headers)
        ).json()
        assert effective["data"]["effective"] == text
        direct = await client.post(
            "/api/ai/onboarding/generate",
            headers=admin.headers,
            json={"onboardingData": {"businessName": "Outra"}},
        )
        assert "Outra" in direct.json()["data"]["generatedPrompt"]
        assert (
            await client.post("/api/ai/onboarding/generate", headers=admin.headers, json={})
        ).status_code == 400


async def test_preview_answers_with_a_draft_and_sends_or_changes_nothing(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        admin = await register(client, "Pre", "Preview Co")
        await ai_tag(app, admin.company_id, "Interessado")
        gateway = await ai_instance(app, admin.company_id, level=1)
        model.script(
            {"toolCalls": [{"name": "add_tag", "arguments": {"tag": "Interessado", "reason": "quer"}}]},
            {"content": "Primeira parte.\n\nSegunda parte."},
        )
        response = await client.post(
            f"/api/ai/instances/{gateway.instance_id}/preview",
            headers=admin.headers,
            json={"message": "quero o plano", "prompt": "Você é o Rascunho."},
        )
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert data["parts"] == ["Primeira parte.", "Segunda parte."]
        assert [(a["tool"], a["status"]) for a in data["actions"]] == [("add_tag", "simulated")]
        assert model.chats()[0]["messages"][0]["content"].startswith("Você é o Rascunho.")
        assert await bot_messages(app, admin.company_id) == []
        too_long = await client.post(
            f"/api/ai/instances/{gateway.instance_id}/preview",
            headers=admin.headers,
            json={"message": "x" * 4001},
        )
        assert too_long.status_code == 400


async def test_a_hand_written_prompt_still_gets_the_onboardings_business_data(
    services: Services, model: Model
) -> None:
    settings = ai_settings(services, model)
    async with ai_api(settings) as (app, client):
        admin = await register(client, "Biz", "Biz Co")
        gateway = await ai_instance(app, admin.company_id)
        onboarding = {"faq": [{"question": "Aceitam Pix?", "answer": "Sim, com 5% de desconto."}]}
        await client.post(f"/api/ai/onboarding/{gateway.instance_id}", headers=admin.headers, json=onboarding)
        await client.post(
            f"/api/ai/instances/{gateway.instance_id}/prompt",
            headers=admin.headers,
            json={"content": "Seja breve."},
        )
        model.script({"content": "ok"})
        await client.post(
            f"/api/ai/instances/{gateway.instance_id}/preview",
            headers=admin.headers,
            json={"message": "pix?"},
        )
        system = model.chats()[-1]["messages"][0]["content"]
        assert system.startswith("Seja breve.")
        assert "Aceitam Pix? Sim, com 5% de desconto." in system
