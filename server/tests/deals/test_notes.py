"""Deal notes: rich text sanitised to the contract's allow-list, plain text derived, author rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.deals.helpers import default_funnel, member, new_deal, stage


@pytest.fixture
async def deal(client: httpx.AsyncClient, alice: Account) -> dict[str, Any]:
    funnel = await default_funnel(client, alice.headers)
    return await new_deal(client, alice.headers, stage(funnel, "Novo lead"))


async def _note(
    client: httpx.AsyncClient, headers: dict[str, str], deal_id: str, **body: Any
) -> httpx.Response:
    return await client.post(f"/api/deals/{deal_id}/notes", headers=headers, json=body)


async def test_rich_text_is_kept_and_plain_text_derived(
    client: httpx.AsyncClient, alice: Account, deal: dict[str, Any]
) -> None:
    html = (
        "<h2>Reunião</h2><p>Enviar proposta até <strong>sexta</strong> &amp; <em>ligar</em>.</p>"
        '<ul><li>Item <a href="https://example.com/x">um</a></li><li>dois</li></ul>'
        "<blockquote>citação</blockquote><pre><code>x = 1</code></pre>"
    )
    response = await _note(client, alice.headers, deal["id"], title="Follow-up", contentHtml=html)
    assert response.status_code == 201, response.text
    note = response.json()["data"]
    assert note["title"] == "Follow-up"
    assert "<strong>sexta</strong>" in note["contentHtml"]
    assert '<a href="https://example.com/x" rel="noopener noreferrer nofollow">um</a>' in note["contentHtml"]
    assert (
        note["content"]
        == "Reunião\n\nEnviar proposta até sexta & ligar.\n\n- Item um\n- dois\n\ncitação\n\nx = 1"
    )
    assert note["createdBy"]["fullName"] == "Alice"

    plain = (await _note(client, alice.headers, deal["id"], content="linha 1\nlinha <2>\n\noutro")).json()[
        "data"
    ]
    assert plain["contentHtml"] == "<p>linha 1<br>linha &lt;2&gt;</p><p>outro</p>"
    both = (
        await _note(client, alice.headers, deal["id"], content="resumo", contentHtml="<p>longo</p>")
    ).json()
    assert both["data"]["content"] == "resumo"

    detail = (await client.get(f"/api/deals/{deal['id']}", headers=alice.headers)).json()["data"]
    assert detail["noteCount"] == 3
    assert [a["type"] for a in detail["activities"]].count("NOTE_ADDED") == 3
    listed = (await client.get(f"/api/deals/{deal['id']}/notes", headers=alice.headers)).json()["data"]
    assert [n["id"] for n in listed][-1] == note["id"]  # newest first


XSS = [
    "<script>alert(1)</script><p>ok</p>",
    '<img src=x onerror="alert(1)"><p>ok</p>',
    '<p onclick="alert(1)" style="color:red">ok</p>',
    '<a href="javascript:alert(1)">ok</a>',
    '<a href="JaVaScRiPt:alert(1)">ok</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">ok</a>',
    '<a href="//evil.example/x">ok</a>',
    "<svg><script>alert(1)</script><circle onload=alert(1)></svg><p>ok</p>",
    '<svg onload="alert(1)"></svg><p>ok</p>',
    "<style>body{background:url(javascript:alert(1))}</style><p>ok</p>",
    '<iframe src="javascript:alert(1)"></iframe><p>ok</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">ok</p></noscript>',
    "<!--<img src=x onerror=alert(1)>--><p>ok</p>",
    '<form action="javascript:alert(1)"><button>ok</button></form>',
    '<p><a href="https://ok.example" onmouseover="alert(1)" target="_blank">ok</a></p>',
]


# Nothing that runs script, loads content or escapes the allow-list may survive.
_ACTIVE = (
    *("<script", "<img", "<svg", "<style", "<iframe", "<math", "<form", "<button", "<!--"),
    *("onerror", "onload", "onclick", "onmouseover", "style=", "javascript:", "data:", "//evil", "target="),
)


async def test_hostile_html_comes_back_inert(
    client: httpx.AsyncClient, alice: Account, deal: dict[str, Any]
) -> None:
    for payload in XSS:
        response = await _note(client, alice.headers, deal["id"], title="t", contentHtml=payload)
        assert response.status_code == 201, response.text
        stored = response.json()["data"]["contentHtml"]
        assert not [marker for marker in _ACTIVE if marker in stored.lower()], (payload, stored)
    listed = (await client.get(f"/api/deals/{deal['id']}/notes", headers=alice.headers)).json()["data"]
    assert len(listed) == len(XSS)
    assert all(not [m for m in _ACTIVE if m in n["contentHtml"].lower()] for n in listed)


async def test_a_note_needs_something(
    client: httpx.AsyncClient, alice: Account, deal: dict[str, Any]
) -> None:
    for body in (
        {},
        {"title": "  "},
        {"content": ""},
        {"contentHtml": "<script>x</script>"},
        {"contentHtml": "<p> </p>"},
    ):
        response = await _note(client, alice.headers, deal["id"], **body)
        assert response.status_code == 400, (body, response.text)
    assert (await _note(client, alice.headers, deal["id"], title="Só título")).status_code == 201
    assert (await _note(client, alice.headers, deal["id"], title="x" * 201)).status_code == 400
    assert (await _note(client, alice.headers, deal["id"], title="t", extra=1)).status_code == 400


async def test_only_the_author_or_an_admin_changes_a_note(
    client: httpx.AsyncClient, alice: Account, deal: dict[str, Any]
) -> None:
    seller = await member(client, alice, "seller@example.com")
    other = await member(client, alice, "other@example.com")
    created = await _note(client, seller, deal["id"], contentHtml="<p>minha nota</p>")
    note_id = created.json()["data"]["id"]
    url = f"/api/deals/{deal['id']}/notes/{note_id}"
    assert (await client.put(url, headers=other, json={"content": "invadido"})).status_code == 403
    assert (await client.delete(url, headers=other)).status_code == 403
    edited = await client.put(url, headers=seller, json={"contentHtml": "<p>nova <b>versão</b></p>"})
    assert edited.status_code == 200
    assert edited.json()["data"]["content"] == "nova versão"
    assert edited.json()["data"]["contentHtml"] == "<p>nova <b>versão</b></p>"
    assert (
        await client.put(url, headers=seller, json={"contentHtml": None, "content": None})
    ).status_code == 400
    by_admin = await client.put(url, headers=alice.headers, json={"title": "revisado pela gestão"})
    assert by_admin.status_code == 200
    assert by_admin.json()["data"]["content"] == "nova versão"
    assert (await client.delete(url, headers=alice.headers)).status_code == 200
    assert (await client.delete(url, headers=alice.headers)).status_code == 404
    assert (await client.get(f"/api/deals/{deal['id']}/notes", headers=alice.headers)).json()["data"] == []
