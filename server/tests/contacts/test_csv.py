"""CSV export (filtered, BOM, formula-safe) and import (aliases, delimiters, encodings, per-row status)."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from tests.conftest import Account, Services
from tests.contacts.helpers import create, fill_contacts, make_tag, sql


async def _import(
    client: httpx.AsyncClient, account: Account, content: bytes, *, dry_run: bool = False, **form: str
) -> httpx.Response:
    return await client.post(
        "/api/contacts/import",
        headers=account.headers,
        data={"dryRun": str(dry_run).lower(), **form},
        files={"file": ("contatos.csv", content, "text/csv")},
    )


def _statuses(data: dict[str, Any]) -> list[tuple[int, str]]:
    return [(row["line"], row["status"]) for row in data["rows"]]


BROKEN = (
    "Nome,Telefone,E-mail,Observações,Tags\r\n"
    '"Silva, Ana",+55 (11) 98765-4321,ana@example.com,"Disse: ""ligar depois""",VIP|Quente\r\n'
    "\r\n"
    "Bruno,123,bruno@example.com,,\r\n"
    "Carla,5511977776666,not-an-email,,\r\n"
    "Ana de novo,551187654321,,,\r\n"  # the same person as line 2 (9th digit)
    ",,,,\r\n"
    "Já Existe,5521955554444,,,vip\r\n"
    "Dani,5531944443333,,,\r\n"
).encode()


async def test_dry_run_reports_every_row_and_writes_nothing(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    existing = await create(client, alice, "5521955554444", name="Existente")
    response = await _import(client, alice, BROKEN, dry_run=True)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert _statuses(data) == [
        (2, "create"),
        (4, "invalid"),
        (5, "invalid"),
        (6, "duplicate"),
        (8, "duplicate"),
        (9, "create"),
    ]
    assert (
        data["dryRun"],
        data["total"],
        data["created"],
        data["duplicates"],
        data["invalid"],
        data["updated"],
    ) == (
        True,
        6,
        2,
        2,
        2,
        0,
    )
    assert data["columns"] == ["name", "phoneNumber", "email", "notes", "tags"]
    rows = {row["line"]: row for row in data["rows"]}
    assert rows[2]["name"] == "Silva, Ana"
    assert rows[2]["phoneNumber"] == "5511987654321"
    assert "telefone inválido" in rows[4]["error"].lower()
    assert rows[4]["phoneNumber"] == "123"
    assert "e-mail" in rows[5]["error"].lower()
    assert rows[6]["error"] == "Número repetido na linha 2"
    assert rows[8]["contactId"] == existing["id"]
    assert rows[8]["error"] == "Já cadastrado: Existente"
    [count] = await sql(
        services, "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM contact_tags) AS n"
    )
    assert count["n"] == 1


async def test_import_creates_rows_tags_and_history(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    await create(client, alice, "5521955554444", name="Existente")
    vip = await make_tag(client, alice, "VIP")
    campaign = await make_tag(client, alice, "Campanha")
    response = await _import(client, alice, BROKEN, tagIds=campaign["id"])
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["dryRun"] is False
    assert [s for _, s in _statuses(data)] == [
        "created",
        "invalid",
        "invalid",
        "duplicate",
        "duplicate",
        "created",
    ]
    assert data["created"] == 2
    ana_id = data["rows"][0]["contactId"]
    ana = (await client.get(f"/api/contacts/{ana_id}", headers=alice.headers)).json()["data"]
    assert (ana["name"], ana["phoneNumber"], ana["email"], ana["source"]) == (
        "Silva, Ana",
        "5511987654321",
        "ana@example.com",
        "import",
    )
    assert ana["notes"] == 'Disse: "ligar depois"'
    assert [t["name"] for t in ana["tags"]] == ["Campanha", "Quente", "VIP"]  # VIP reused, Quente created
    tags = {
        t["name"]: t
        for t in (await client.get("/api/contacts/tags/list", headers=alice.headers)).json()["data"]
    }
    assert tags["VIP"]["id"] == vip["id"]
    assert (tags["Campanha"]["contactCount"], tags["Quente"]["contactCount"]) == (2, 1)
    timeline = (await client.get(f"/api/contacts/{ana_id}/timeline", headers=alice.headers)).json()["data"][
        "items"
    ]
    assert [i["type"] for i in timeline] == ["IMPORTED"]
    # Importing again creates nothing: every valid row is now a duplicate.
    again = (await _import(client, alice, BROKEN)).json()["data"]
    assert (again["created"], again["duplicates"]) == (0, 4)
    [count] = await sql(services, "SELECT count(*) AS n FROM contacts")
    assert count["n"] == 3


async def test_semicolons_latin1_and_header_aliases(client: httpx.AsyncClient, alice: Account) -> None:
    content = "nome;celular;email\nJoão Ávila;5511911112222;joao@example.com\nÉrica;5511933334444;\n".encode(
        "latin-1"
    )
    data = (await _import(client, alice, content)).json()["data"]
    assert [s for _, s in _statuses(data)] == ["created", "created"]
    listed = (await client.get("/api/contacts", headers=alice.headers)).json()["data"]["contacts"]
    assert {c["name"] for c in listed} == {"Érica", "João Ávila"}
    bom = "\ufeffwhatsapp,name\n5511955556666,Zé\n".encode()
    assert _statuses((await _import(client, alice, bom)).json()["data"]) == [(2, "created")]
    multiline = b'phoneNumber,notes\n5511977778888,"linha um\nlinha dois"\n5511966667777,\n'
    assert _statuses((await _import(client, alice, multiline)).json()["data"]) == [
        (2, "created"),
        (4, "created"),
    ]


async def test_files_that_cannot_be_read_are_400(client: httpx.AsyncClient, alice: Account) -> None:
    cases = [
        b"",
        b"\n\n",
        b"nome,email\nAna,ana@example.com\n",  # no phone column
        "phone\n5511911112222\n".encode("utf-16"),
    ]
    for content in cases:
        response = await _import(client, alice, content)
        assert response.status_code == 400, content
        assert response.json()["details"][0]["field"] == "file"
    too_many = b"phone\n" + b"".join(b"55119%08d\n" % n for n in range(20_001))
    response = await _import(client, alice, too_many)
    assert response.status_code == 400
    assert "20000" in response.json()["error"]
    missing = await client.post("/api/contacts/import", headers=alice.headers, data={"dryRun": "true"})
    assert missing.status_code == 400
    bad_tags = await _import(client, alice, b"phone\n5511911112222\n", tagIds="not-a-uuid")
    assert bad_tags.status_code == 400
    unknown_tag = await _import(
        client, alice, b"phone\n5511911112222\n", tagIds="00000000-0000-0000-0000-000000000001"
    )
    assert unknown_tag.status_code == 404
    assert (await client.get("/api/contacts", headers=alice.headers)).json()["data"]["contacts"] == []


async def test_the_plan_limit_refuses_the_whole_import(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    await fill_contacts(services, alice.company_id, 498)
    content = b"phone\n5511911110001\n5511911110002\n5511911110003\n"
    for dry_run in (True, False):
        response = await _import(client, alice, content, dry_run=dry_run)
        assert response.status_code == 422
        assert response.json()["error"].startswith("O plano Free permite 500 contatos")
    [count] = await sql(services, "SELECT count(*) AS n FROM contacts")
    assert count["n"] == 498
    fits = await _import(client, alice, b"phone\n5511911110001\n5511911110002\n")
    assert fits.json()["data"]["created"] == 2


async def test_export_is_filtered_and_formula_safe(client: httpx.AsyncClient, alice: Account) -> None:
    vip = await make_tag(client, alice, "VIP")
    evil = await create(
        client, alice, "5511911112222", name='=HYPERLINK("http://x")', email="a@example.com", notes="+1 -2"
    )
    await create(client, alice, "5511933334444", name="@SUM(A1)")
    await create(client, alice, "5511955556666", name="Ana, Maria")
    await client.post(f"/api/contacts/{evil['id']}/tags/{vip['id']}", headers=alice.headers)
    response = await client.get("/api/contacts/export", headers=alice.headers, params={"sort": "name"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "name",
        "phoneNumber",
        "email",
        "tags",
        "stage",
        "funnel",
        "isBlocked",
        "createdAt",
        "lastActivityAt",
        "notes",
    ]
    body = {r[1]: r for r in rows[1:]}
    assert len(body) == 3
    assert body["5511911112222"][0] == '\'=HYPERLINK("http://x")'
    assert body["5511911112222"][3] == "VIP"
    assert body["5511911112222"][9] == "'+1 -2"
    assert body["5511933334444"][0] == "'@SUM(A1)"
    assert body["5511955556666"][0] == "Ana, Maria"
    assert body["5511955556666"][6] == "false"
    filtered = await client.get("/api/contacts/export", headers=alice.headers, params={"tagIds": vip["id"]})
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 2
    bad = await client.get("/api/contacts/export", headers=alice.headers, params={"sort": "phone"})
    assert bad.status_code == 400


async def test_export_never_shows_other_companies(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    await create(client, bob, "5511911112222", name="Do Bob")
    response = await client.get("/api/contacts/export", headers=alice.headers)
    assert response.content.decode("utf-8-sig").count("\n") == 1  # the header only
