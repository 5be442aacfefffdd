"""Graph validation (docs/api-flows.md, "Graph validation") and conditions: pure, no database."""

from __future__ import annotations

import random
from typing import Any

import pytest

from evoai.flows import conditions, graph, nodes
from evoai.flows.graph import InvalidFlow
from tests.flows.helpers import chain, node

TAG = "8f0c2d4e-1111-4a2b-9c3d-000000000001"


def problems(nodes_: list[dict[str, Any]], connections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with pytest.raises(InvalidFlow) as caught:
        graph.validate(nodes_, connections)
    assert caught.value.code == "invalid_flow"
    assert caught.value.status_code == 422
    return caught.value.details or []


def test_a_valid_flow_gives_its_trigger_and_the_ids_it_names() -> None:
    trigger, refs = graph.validate(
        [node("t", "TAG_ADDED", tagId=TAG), node("a", "SEND_MESSAGE", message="Oi")], chain(("t", "a"))
    )
    assert trigger == "TAG_ADDED"
    assert [(r.node_id, r.kind, r.value) for r in refs] == [("t", "tag", TAG)]


def test_exactly_one_trigger_and_nothing_into_it() -> None:
    none = problems([node("a", "SEND_MESSAGE", message="Oi")], [])
    assert any("exatamente um gatilho" in p["message"] for p in none)
    two = problems([node("t", "NEW_CONTACT"), node("u", "MESSAGE_RECEIVED")], [])
    assert any("(tem 2)" in p["message"] for p in two)
    into = problems(
        [node("t", "NEW_CONTACT"), node("a", "SEND_MESSAGE", message="x")], chain(("t", "a"), ("a", "t"))
    )
    assert {"connectionId": "c1", "message": "nenhuma conexão pode entrar no gatilho"} in into


def test_every_node_reachable() -> None:
    found = problems([node("t", "NEW_CONTACT"), node("a", "SEND_MESSAGE", message="x")], [])
    assert found == [{"nodeId": "a", "message": "nó inalcançável a partir do gatilho"}]


def test_cycles_only_through_a_wait() -> None:
    base = [
        node("t", "NEW_CONTACT"),
        node("a", "SEND_MESSAGE", message="x"),
        node("b", "IF_CONDITION", field="message.text", operator="exists"),
    ]
    loop = problems(base, chain(("t", "a"), ("a", "b"), ("b", "a", "true")))
    assert any("ciclo" in p["message"] for p in loop)
    waited = [*base, node("w", "WAIT_TIME", delay=1, unit="hours")]
    graph.validate(waited, chain(("t", "a"), ("a", "b"), ("b", "w", "true"), ("w", "a")))


def test_handles_exist_and_are_used_once() -> None:
    nodes_ = [
        node("t", "NEW_CONTACT"),
        node("a", "SEND_MESSAGE", message="x"),
        node("b", "SEND_MESSAGE", message="y"),
    ]
    wrong = problems(nodes_, chain(("t", "a"), ("a", "b", "true")))
    assert any(p.get("connectionId") == "c1" and "saída 'true'" in p["message"] for p in wrong)
    twice = problems(nodes_, chain(("t", "a"), ("t", "b")))
    assert any(p.get("connectionId") == "c1" and "já está conectada" in p["message"] for p in twice)
    missing = problems(nodes_, chain(("t", "a"), ("a", "b"), ("b", "zz")))
    assert any("não existe" in p["message"] for p in missing)


def test_split_percentages_and_branches() -> None:
    def flow(percentages: Any) -> list[dict[str, Any]]:
        return [
            node("t", "NEW_CONTACT"),
            node("s", "SPLIT", percentages=percentages),
            node("a", "SEND_MESSAGE", message="A"),
            node("b", "SEND_MESSAGE", message="B"),
        ]

    links = chain(("t", "s"), ("s", "a", "a"), ("s", "b", "b"))
    graph.validate(flow([30, 70]), links)
    assert any("soma" in p["message"] for p in problems(flow([30, 60]), links))
    assert any("de 2 a 5" in p["message"] for p in problems(flow([100]), chain(("t", "s"))))
    # A third branch does not exist with two percentages.
    extra = problems(flow([50, 50]), chain(("t", "s"), ("s", "a", "a"), ("s", "b", "c")))
    assert any("saída 'c'" in p["message"] for p in extra)
    rng = random.Random(1)
    picks = [nodes.split({"percentages": [30, 70]}, rng) for _ in range(2000)]
    assert 0.25 < picks.count("a") / 2000 < 0.35


def test_data_is_checked_per_subtype() -> None:
    cases = {
        "schedule": node("t", "SCHEDULE", schedule="every day"),
        "timezone": node("t", "SCHEDULE", schedule="0 9 * * 1", timezone="Mars/Base"),
        "keywords": node("t", "KEYWORD", keywords=[]),
        "url": node("t", "NEW_CONTACT"),
    }
    assert any("cron" in p["message"] for p in problems([cases["schedule"]], []))
    assert any("IANA" in p["message"] for p in problems([cases["timezone"]], []))
    assert any("keywords" in p["message"] for p in problems([cases["keywords"]], []))
    hook = node("w", "CALL_WEBHOOK", url="ftp://example.com/x", method="POST")
    assert any("url" in p["message"] for p in problems([cases["url"], hook], chain(("t", "w"))))
    graph.validate([node("t", "SCHEDULE", schedule="*/15 9-18 * * 1-5", timezone="America/Sao_Paulo")], [])
    tag = node("a", "ADD_TAG")
    assert any("tagId" in p["message"] for p in problems([cases["url"], tag], chain(("t", "a"))))
    wait = node("w", "WAIT_RESPONSE", timeout=2, timeoutUnit="weeks")
    assert any("timeoutUnit" in p["message"] for p in problems([cases["url"], wait], chain(("t", "w"))))
    bad_id = problems([{**cases["url"], "id": "has space"}], [])
    assert any("id do nó" in p["message"] for p in bad_id)


def test_conditions() -> None:
    facts = conditions.Facts(
        name="Maria Souza",
        email=None,
        tags=(TAG, "vip"),
        variables={"message": {"text": "Quero o plano PRO"}, "trigger": {"amount": "150", "n": {"k": 1}}},
    )
    check: list[tuple[dict[str, Any], bool]] = [
        ({"field": "message.text", "operator": "contains", "value": "pro"}, True),
        ({"field": "message.text", "operator": "not_contains", "value": "pro"}, False),
        ({"field": "contact.tags", "operator": "contains", "value": "VIP"}, True),
        ({"field": "contact.tags", "operator": "equals", "value": TAG}, True),
        ({"field": "contact.email", "operator": "exists"}, False),
        ({"field": "contact.email", "operator": "not_exists"}, True),
        ({"field": "contact.name", "operator": "equals", "value": "maria souza"}, True),
        ({"field": "trigger.amount", "operator": "greater_than", "value": 100}, True),
        ({"field": "trigger.amount", "operator": "less_than", "value": "100"}, False),
        ({"field": "trigger.n.k", "operator": "equals", "value": 1}, True),
        ({"field": "trigger.missing", "operator": "not_equals", "value": "x"}, True),
    ]
    for data, expected in check:
        assert conditions.holds(data, facts) is expected, data


def test_catalogue_lists_every_subtype_with_its_outputs() -> None:
    listed = {t["subtype"]: t for t in graph.catalogue()}
    assert len(listed) == 21
    assert listed["CALL_WEBHOOK"]["outputs"] == ["output", "error"]
    assert listed["IF_CONDITION"]["outputs"] == ["true", "false"]
    assert listed["WAIT_RESPONSE"]["outputs"] == ["output", "timeout"]
