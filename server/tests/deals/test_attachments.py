"""Deal attachments: types checked by content, size limit, signed links, files leave storage."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
import pytest

from evoai.config import Settings
from evoai.storage import get_storage
from tests.conftest import Account
from tests.deals.helpers import default_funnel, new_deal, sql, stage

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def _zip(*entries: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"))
XLSX = _zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"))
JAR = _zip(("META-INF/MANIFEST.MF", "Main-Class: x"), ("x.class", "cafe"))


@pytest.fixture
async def deal(client: httpx.AsyncClient, alice: Account) -> dict[str, Any]:
    funnel = await default_funnel(client, alice.headers)
    return await new_deal(client, alice.headers, stage(funnel, "Novo lead"))


async def _upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    deal_id: str,
    name: str,
    data: bytes,
    mime: str = "application/octet-stream",
) -> httpx.Response:
    return await client.post(
        f"/api/deals/{deal_id}/attachments", headers=headers, files={"file": (name, data, mime)}
    )


ACCEPTED = [
    ("proposta.pdf", PDF, "application/pdf"),
    ("foto.png", PNG, "image/png"),
    ("sem extensão", PNG, "image/png"),
    ("contrato.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("planilha.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("pacote.zip", _zip(("a.txt", "oi")), "application/zip"),
    ("antigo.doc", OLE, "application/msword"),
    ("notas.txt", "Olá, ação!\n".encode(), "text/plain"),
    ("lista.csv", b"nome;telefone\nAna;5511\n", "text/csv"),
]


async def test_accepted_types_are_stored_and_served(
    client: httpx.AsyncClient, alice: Account, deal: dict[str, Any], settings: Settings
) -> None:
    for name, data, mime in ACCEPTED:
        response = await _upload(client, alice.headers, deal["id"], name, data)
        assert response.status_code == 201, (name, response.text)
        body = response.json()["data"]
        assert body["mimeType"] == mime, name
        assert body["fileSize"] == len(data)
        assert body["createdBy"]["fullName"] == "Alice"
        assert body["storageProvider"] == "local"
    listed = (await client.get(f"/api/deals/{deal['id']}/attachments", headers=alice.headers)).json()["data"]
    assert len(listed) == len(ACCEPTED)
    by_name = {a["fileName"]: a for a in listed}
    assert "sem extensão.png" in by_name
    pdf = by_name["proposta.pdf"]
    download = await client.get(pdf["fileUrl"])
    assert download.status_code == 200
    assert download.content == PDF
    assert "attachment" in download.headers["content-disposition"]
    keys = await file_keys(client, alice, deal)
    assert all(k.startswith(f"deals/{alice.company_id}/{deal['id']}/") for k in keys)
    detail = (await client.get(f"/api/deals/{deal['id']}", headers=alice.headers)).json()["data"]
    assert detail["attachmentCount"] == len(ACCEPTED)
    assert "ATTACHMENT_ADDED" in [a["type"] for a in detail["activities"]]


async def file_keys(client: httpx.AsyncClient, alice: Account, deal: dict[str, Any]) -> list[str]:
    """The storage keys of a deal's files, read from their signed links (/api/media/<key>?...)."""
    listed = (await client.get(f"/api/deals/{deal['id']}/attachments", headers=alice.headers)).json()["data"]
    return [a["fileUrl"].split("/api/media/", 1)[1].split("?", 1)[0] for a in listed]


REFUSED = [
    ("programa.exe", b"MZ\x90\x00" + b"\x00" * 200),
    ("programa.pdf", b"MZ\x90\x00" + b"\x00" * 200),
    ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
    ("pagina.html", b"<html><script>alert(1)</script></html>"),
    ("foto.pdf", PNG),
    ("app.jar", JAR),
    ("app.zip", JAR),
    ("arquivo.docx", OLE),
    ("instalador.msi", OLE),
    ("dados.zip.exe", _zip(("a.txt", "x"))),
    ("binario.txt", b"\x00\x01\x02\x03binary"),
    ("video.mp4", bytes.fromhex("000000186674797069736f6d0000020069736f6d69736f32") + b"\x00" * 64),
]


async def test_refused_types_are_415(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account, deal: dict[str, Any]
) -> None:
    for name, data in REFUSED:
        response = await _upload(client, alice.headers, deal["id"], name, data)
        assert response.status_code == 415, (name, response.text)
        assert response.json()["code"] == "unsupported_media_type"
    assert (await sql(asgi_app, "SELECT count(*) AS n FROM deal_attachments"))[0]["n"] == 0


async def test_missing_empty_and_oversized_files(
    client: httpx.AsyncClient,
    alice: Account,
    deal: dict[str, Any],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"/api/deals/{deal['id']}/attachments"
    missing = await client.post(url, headers=alice.headers, data={"other": "x"})
    assert missing.status_code == 400
    assert missing.json()["details"][0]["field"] == "file"
    assert (await client.post(url, headers=alice.headers, json={"file": "x"})).status_code == 400
    assert (await _upload(client, alice.headers, deal["id"], "vazio.pdf", b"")).status_code == 400
    # Larger than the JSON routes' body limit (MAX_BODY_BYTES): the attachments route allows more.
    big = PDF + b" " * (3 * 1024 * 1024)
    assert (await _upload(client, alice.headers, deal["id"], "grande.pdf", big)).status_code == 201
    monkeypatch.setattr(settings, "DEAL_ATTACHMENT_MAX_BYTES", 2048)
    at_limit = await _upload(client, alice.headers, deal["id"], "ok.pdf", PDF + b" " * (2048 - len(PDF)))
    assert at_limit.status_code == 201
    too_big = await _upload(client, alice.headers, deal["id"], "grande.pdf", PDF + b" " * 2048)
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "payload_too_large"


async def test_deleting_removes_the_file(
    client: httpx.AsyncClient, alice: Account, deal: dict[str, Any], settings: Settings
) -> None:
    storage = get_storage(settings)
    first = (await _upload(client, alice.headers, deal["id"], "a.pdf", PDF)).json()["data"]
    await _upload(client, alice.headers, deal["id"], "b.png", PNG)
    keys = await file_keys(client, alice, deal)
    assert all([await storage.exists(k) for k in keys])
    url = f"/api/deals/{deal['id']}/attachments/{first['id']}"
    removed = await client.delete(url, headers=alice.headers)
    assert removed.status_code == 200
    assert (await client.delete(url, headers=alice.headers)).status_code == 404
    assert [await storage.exists(k) for k in keys].count(True) == 1
    assert (await client.get(first["fileUrl"])).status_code == 404
    activities = (await client.get(f"/api/deals/{deal['id']}/activities", headers=alice.headers)).json()[
        "data"
    ]
    assert activities[0]["type"] == "ATTACHMENT_REMOVED"
    # Deleting the deal takes the remaining files with it.
    assert (await client.delete(f"/api/deals/{deal['id']}", headers=alice.headers)).status_code == 200
    assert [await storage.exists(k) for k in keys] == [False, False]
