"""LGPD: a person's data exported on request, and erased for good with an audit line."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import httpx
import structlog
from structlog.testing import capture_logs

from evoai.storage import get_storage, media_key
from tests.conftest import Account, Services
from tests.contacts.helpers import make_tag, sql
from tests.whatsapp.wa_helpers import make_instance, state_of, text_upsert

PHONE = "5511987654321"


@contextmanager
def info_logs() -> Iterator[list[MutableMapping[str, Any]]]:
    """Captured log entries from info up (the test settings log warnings only)."""
    wrapper = structlog.get_config()["wrapper_class"]
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    try:
        with capture_logs() as logs:
            yield logs
    finally:
        structlog.configure(wrapper_class=wrapper)


async def _person_with_everything(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, services: Services
) -> dict[str, Any]:
    """A WhatsApp contact with messages (one with a stored file), a note, a tag and a deal with a note."""
    gateway = await make_instance(asgi_app, alice.company_id)
    for n, number in enumerate((PHONE, PHONE, "5511911112222")):
        body = text_upsert(gateway, message_id=f"M{n}", number=number, text=f"mensagem {n}")
        assert (await gateway.post(client, body)).status_code == 200
    contacts = (await client.get("/api/contacts", headers=alice.headers, params={"sort": "createdAt"})).json()
    person, other = contacts["data"]["contacts"]
    assert person["phoneNumber"] == PHONE
    storage = get_storage(state_of(asgi_app).settings)
    own = media_key(alice.company_id, "image", hashlib.sha256(b"own").hexdigest(), "jpg")
    shared = media_key(alice.company_id, "document", hashlib.sha256(b"shared").hexdigest(), "pdf")
    avatar = media_key(alice.company_id, "image", hashlib.sha256(b"face").hexdigest(), "jpg")
    for key in (own, shared, avatar):
        await storage.put(key, b"bytes", "application/octet-stream")
    await sql(
        services,
        "UPDATE whatsapp_messages SET media_key = $1, media_state = 'stored' WHERE gateway_message_id = 'M0'",
        own,
    )
    await sql(
        services,
        "UPDATE whatsapp_messages SET media_key = $1 WHERE gateway_message_id IN ('M1', 'M2')",
        shared,
    )
    await sql(services, "UPDATE contacts SET avatar_key = $1 WHERE id = $2", avatar, uuid.UUID(person["id"]))
    url = f"/api/contacts/{person['id']}"
    await client.post(f"{url}/notes", headers=alice.headers, json={"content": "Prefere WhatsApp"})
    tag = await make_tag(client, alice, "VIP")
    await client.post(f"{url}/tags/{tag['id']}", headers=alice.headers)
    company = uuid.UUID(alice.company_id)
    [stage] = await sql(
        services, "SELECT id, funnel_id FROM funnel_stages WHERE company_id = $1 AND position = 0", company
    )
    [deal] = await sql(
        services,
        """INSERT INTO deals (id, company_id, funnel_id, stage_id, contact_id, title, value)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, 'Proposta', 1200.5) RETURNING id""",
        company,
        stage["funnel_id"],
        stage["id"],
        uuid.UUID(person["id"]),
    )
    await sql(
        services,
        """INSERT INTO deal_notes (id, company_id, deal_id, content)
           VALUES (gen_random_uuid(), $1, $2, 'Enviar proposta')""",
        company,
        deal["id"],
    )
    return {
        "person": person,
        "other": other,
        "keys": (own, shared, avatar),
        "storage": storage,
        "deal": deal["id"],
    }


async def test_the_export_holds_everything_about_the_person(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, services: Services
) -> None:
    setup = await _person_with_everything(client, alice, asgi_app, services)
    person = setup["person"]
    response = await client.get(f"/api/contacts/{person['id']}/export", headers=alice.headers)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert f"contato-{person['publicId']}.json" in response.headers["content-disposition"]
    data = response.json()
    assert data["contact"]["phoneNumber"] == PHONE
    assert data["contact"]["name"] == "Mariana Costa"
    assert [t["name"] for t in data["contact"]["tags"]] == ["VIP"]
    assert [n["content"] for n in data["notes"]] == ["Prefere WhatsApp"]
    assert [e["type"] for e in data["history"]] == ["NOTE_ADDED", "TAG_ADDED"]
    [deal] = data["deals"]
    assert (deal["title"], deal["value"], deal["stage"]) == ("Proposta", 1200.5, "Novo lead")
    assert [n["content"] for n in deal["notes"]] == ["Enviar proposta"]
    [conversation] = data["conversations"]
    assert [m["text"] for m in conversation["messages"]] == ["mensagem 0", "mensagem 1"]
    # The export itself is on the record.
    timeline = (await client.get(f"/api/contacts/{person['id']}/timeline", headers=alice.headers)).json()
    assert timeline["data"]["items"][0]["type"] == "DATA_EXPORTED"


async def test_erase_removes_the_person_and_keeps_an_audit_line(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, services: Services
) -> None:
    setup = await _person_with_everything(client, alice, asgi_app, services)
    person, storage = setup["person"], setup["storage"]
    own, shared, avatar = setup["keys"]
    url = f"/api/contacts/{person['id']}/erase"
    for wrong in ("5511900000000", "Outra Pessoa", " "):
        response = await client.post(url, headers=alice.headers, json={"confirm": wrong})
        assert response.status_code == 400, wrong
    assert (await client.post(url, headers=alice.headers, json={})).status_code == 400
    with info_logs() as logs:
        response = await client.post(url, headers=alice.headers, json={"confirm": "+55 (11) 98765-4321"})
    assert response.status_code == 200, response.text
    counts = response.json()["data"]
    assert (counts["messages"], counts["media"], counts["conversations"]) == (2, 2, 1)
    assert (counts["notes"], counts["tags"], counts["deals"]) == (1, 1, 1)
    assert (await client.get(f"/api/contacts/{person['id']}", headers=alice.headers)).status_code == 404
    assert not await storage.exists(own)
    assert not await storage.exists(avatar)
    assert await storage.exists(shared)  # still used by another person's message
    messages = await sql(services, "SELECT text FROM whatsapp_messages")
    assert [m["text"] for m in messages] == ["mensagem 2"]
    assert len(await sql(services, "SELECT 1 FROM whatsapp_conversations")) == 1
    assert (
        await sql(services, "SELECT 1 FROM contact_notes UNION ALL SELECT 1 FROM contact_tag_assignments")
        == []
    )
    [deal] = await sql(services, "SELECT contact_id, title FROM deals")
    assert (deal["contact_id"], deal["title"]) == (None, "Proposta")
    [audit] = await sql(services, "SELECT contact_public_id, erased_by, counts FROM privacy_erasures")
    assert audit["contact_public_id"] == person["publicId"]
    assert str(audit["erased_by"]) == alice.user_id
    assert json.loads(audit["counts"]) == counts
    [entry] = [e for e in logs if e["event"] == "contacts.erased"]
    assert entry["contact_public_id"] == person["publicId"]
    assert PHONE not in json.dumps(entry, default=str)
    assert "Mariana" not in json.dumps(entry, default=str)
    # The other person is untouched.
    other = await client.get(f"/api/contacts/{setup['other']['id']}", headers=alice.headers)
    assert other.status_code == 200
    assert (await client.post(url, headers=alice.headers, json={"confirm": PHONE})).status_code == 404


async def test_erase_accepts_the_name_as_confirmation(client: httpx.AsyncClient, alice: Account) -> None:
    created = await client.post(
        "/api/contacts", headers=alice.headers, json={"phoneNumber": "5511911112222", "name": "José Ávila"}
    )
    contact = created.json()["data"]
    response = await client.post(
        f"/api/contacts/{contact['id']}/erase", headers=alice.headers, json={"confirm": "  josé ávila "}
    )
    assert response.status_code == 200
    assert response.json()["data"]["messages"] == 0
