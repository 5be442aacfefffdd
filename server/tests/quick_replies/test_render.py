"""Rendering a quick reply's variables for a conversation or a contact of the caller's company."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import update

from evoai.db import system_session
from evoai.models import Company, Contact, Conversation
from evoai.quick_replies.variables import ContactFacts, RenderContext, render
from tests.conftest import Account, join, login_headers
from tests.whatsapp.wa_helpers import make_instance, state_of

URL = "/api/quick-replies"
EVERYTHING = (
    "Olá {{contact.firstName}} ({{contact.name}}, {{contact.phone}}, {{contact.email}}), "
    "{{user.name}} da {{company.name}} em {{date}} às {{time}}. {{contact.cpf}} {{ contact.name }}"
)


async def conversation(client: httpx.AsyncClient, account: Account, asgi_app: Any) -> dict[str, Any]:
    """A conversation with Mariana Costa (push name), +55 11 98765-4321, as the gateway delivers it."""
    gateway = await make_instance(asgi_app, account.company_id)
    await gateway.post(client, gateway.evolution("evolution_messages_upsert_text"))
    listing = await client.get("/api/whatsapp/conversations", headers=account.headers)
    found: dict[str, Any] = listing.json()["data"]["conversations"][0]
    return found


async def set_contact(asgi_app: Any, contact_id: str, **values: Any) -> None:
    async with system_session(state_of(asgi_app).factory) as session:
        await session.execute(update(Contact).where(Contact.id == uuid.UUID(contact_id)).values(**values))


async def new_reply(client: httpx.AsyncClient, account: Account, content: str) -> str:
    body = {"shortcut": f"r{uuid.uuid4().hex[:8]}", "title": "t", "content": content, "scope": "company"}
    response = await client.post(URL, headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


async def rendered(
    client: httpx.AsyncClient, headers: dict[str, str], reply_id: str, body: dict[str, Any] | None = None
) -> httpx.Response:
    return await client.post(f"{URL}/{reply_id}/render", headers=headers, json=body or {})


def now_strings() -> set[tuple[str, str]]:
    here = datetime.now(ZoneInfo("America/Sao_Paulo"))
    # The request may cross a minute boundary: either side is right.
    return {
        (moment.strftime("%d/%m/%Y"), moment.strftime("%H:%M"))
        for moment in (here - timedelta(seconds=5), here, here + timedelta(seconds=5))
    }


async def test_every_variable_from_a_conversation(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    chat = await conversation(client, alice, asgi_app)
    await set_contact(asgi_app, chat["contactId"], name="Mariana Souza Costa", email="mari@example.com")
    reply_id = await new_reply(client, alice, EVERYTHING)
    response = await rendered(client, alice.headers, reply_id, {"conversationId": chat["id"]})
    assert response.status_code == 200, response.text
    text = response.json()["data"]["text"]
    head, _, tail = text.partition(" em ")
    assert head == ("Olá Mariana (Mariana Souza Costa, +5511987654321, mari@example.com), Alice da Alice Co")
    date, _, rest = tail.partition(" às ")
    time, _, rest = rest.partition(". ")
    assert (date, time) in now_strings()
    # Unknown variables stay as written; spaces inside the braces are tolerated for known ones.
    assert rest == "{{contact.cpf}} Mariana Souza Costa"


async def test_names_fall_back_to_push_name_then_phone_and_missing_values_are_empty(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    chat = await conversation(client, alice, asgi_app)
    reply_id = await new_reply(client, alice, "[{{contact.name}}|{{contact.firstName}}|{{contact.email}}]")
    by_contact = {"contactId": chat["contactId"]}
    text = (await rendered(client, alice.headers, reply_id, by_contact)).json()["data"]["text"]
    assert text == "[Mariana Costa|Mariana|]"
    await set_contact(asgi_app, chat["contactId"], name=None, push_name=None)
    text = (await rendered(client, alice.headers, reply_id, by_contact)).json()["data"]["text"]
    assert text == "[+5511987654321||]"


async def test_without_a_contact_only_contact_values_are_empty(
    client: httpx.AsyncClient, alice: Account
) -> None:
    reply_id = await new_reply(
        client, alice, "{{contact.name}}-{{contact.phone}}-{{company.name}}-{{user.name}}"
    )
    response = await client.post(f"{URL}/{reply_id}/render", headers=alice.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["text"] == "--Alice Co-Alice"


async def test_the_callers_name_and_the_company_timezone(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    await join(client, alice, "c@example.com", role="coordinator", name="Carla Coord", password="pw-123456")
    carla = await login_headers(client, "c@example.com", "pw-123456")
    reply_id = await new_reply(client, alice, "{{user.name}} {{time}}")
    assert (await rendered(client, carla, reply_id)).json()["data"]["text"].startswith("Carla Coord ")
    async with system_session(state_of(asgi_app).factory) as session:
        company = uuid.UUID(alice.company_id)
        await session.execute(update(Company).where(Company.id == company).values(timezone="Asia/Tokyo"))
    time = (await rendered(client, alice.headers, reply_id)).json()["data"]["text"].split()[-1]
    tokyo = datetime.now(ZoneInfo("Asia/Tokyo"))
    assert time in {(tokyo + timedelta(seconds=s)).strftime("%H:%M") for s in (-5, 0, 5)}


async def test_a_conversation_or_contact_of_another_company_is_not_found(
    client: httpx.AsyncClient, alice: Account, bob: Account, asgi_app: Any
) -> None:
    theirs = await conversation(client, bob, asgi_app)
    reply_id = await new_reply(client, alice, "Olá {{contact.name}}")
    for body in (
        {"conversationId": theirs["id"]},
        {"contactId": theirs["contactId"]},
        {"conversationId": str(uuid.uuid4())},
        {"contactId": str(uuid.uuid4())},
    ):
        response = await rendered(client, alice.headers, reply_id, body)
        assert response.status_code == 404, body
    bad = await rendered(client, alice.headers, reply_id, {"conversationId": "nope"})
    assert bad.status_code == 400
    unknown_field = await rendered(client, alice.headers, reply_id, {"dealId": str(uuid.uuid4())})
    assert unknown_field.status_code == 400


async def test_a_conversation_without_its_contact_uses_what_it_knows(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    chat = await conversation(client, alice, asgi_app)
    async with system_session(state_of(asgi_app).factory) as session:
        await session.execute(
            update(Conversation)
            .where(Conversation.id == uuid.UUID(chat["id"]))
            .values(contact_id=None, title=None, contact_number="5511987654321")
        )
    reply_id = await new_reply(client, alice, "{{contact.name}}/{{contact.phone}}")
    response = await rendered(client, alice.headers, reply_id, {"conversationId": chat["id"]})
    assert response.json()["data"]["text"] == "+5511987654321/+5511987654321"


def context(**contact: str | None) -> RenderContext:
    return RenderContext(
        contact=ContactFacts(**contact),
        company_name="Loja",
        user_name="Ana",
        timezone="America/Sao_Paulo",
        now=datetime(2030, 1, 2, 2, 5, tzinfo=UTC),  # 23:05 of the 1st in São Paulo
    )


def test_dates_and_times_are_local_and_in_brazilian_format() -> None:
    assert render("{{date}} {{time}}", context()) == "01/01/2030 23:05"
    bad_zone = RenderContext(ContactFacts(), "", "", "Not/AZone", datetime(2030, 1, 2, 2, 5, tzinfo=UTC))
    assert render("{{time}}", bad_zone) == "23:05"


def test_variables_are_case_insensitive_and_unknown_ones_are_kept() -> None:
    facts = context(name="  ", push_name="joão da silva", phone="5511900000000")
    assert render("{{CONTACT.FIRSTNAME}}", facts) == "joão"
    assert render("{{contact.name}}", facts) == "joão da silva"
    kept = "{{deal.value}} {{ }} {{1x}} {contact.name} {{{contact.email}}}"
    assert render(kept, facts) == "{{deal.value}} {{ }} {{1x}} {contact.name} {}"
