"""Property-based fuzzing of the webhook through the real API: never a 500, never a valid message lost."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from evoai.db import system_session
from evoai.models import Message
from tests.conftest import register
from tests.whatsapp.wa_helpers import FIXTURES, Gateway, make_instance, state_of

EVOLUTION_BODIES = sorted(p.stem for p in FIXTURES.glob("evolution_*.json"))
UAZAPI_BODIES = sorted(p.stem for p in FIXTURES.glob("uazapi_*.json"))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)  # JSON has neither
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_gateways: dict[str, Gateway] = {}


async def _gateway(client: httpx.AsyncClient, asgi_app: Any, provider: str) -> Gateway:
    # One company and instance per provider for the whole property run (examples share the database).
    if provider not in _gateways or _gateways[provider].company_id is None:
        account = await register(client, "Fuzz", "Fuzz Co")
        _gateways[provider] = await make_instance(asgi_app, account.company_id, provider=provider)
    return _gateways[provider]


def _mutate(body: Any, path: list[Any], value: Any, drop: bool) -> Any:
    """Replace (or drop) the node at `path`, stopping where the path no longer exists."""
    body = copy.deepcopy(body)
    node = body
    for step in path[:-1]:
        if isinstance(node, dict) and node:
            node = node[sorted(node)[step % len(node)]]
        elif isinstance(node, list) and node:
            node = node[step % len(node)]
        else:
            return body
    if isinstance(node, dict) and node:
        key = sorted(node)[path[-1] % len(node)]
        if drop:
            del node[key]
        else:
            node[key] = value
    return body


@pytest.fixture(autouse=True)
def _fresh_gateways() -> None:
    _gateways.clear()


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(EVOLUTION_BODIES + UAZAPI_BODIES),
    path=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=5),
    value=json_values,
    drop=st.booleans(),
)
async def test_mutated_bodies_never_cause_a_server_error(
    client: httpx.AsyncClient, asgi_app: Any, name: str, path: list[int], value: Any, drop: bool
) -> None:
    provider = "UAZAPI" if name.startswith("uazapi") else "EVOLUTION"
    gateway = await _gateway(client, asgi_app, provider)
    body = _mutate(json.loads((FIXTURES / f"{name}.json").read_text()), path, value, drop)
    response = await client.post(f"{gateway.url}?token={gateway.secret}", json=body)
    assert response.status_code in (200, 400), (name, response.status_code, response.text)
    assert response.json()["success"] is (response.status_code == 200)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    message_id=st.text(alphabet="0123456789ABCDEF", min_size=8, max_size=32),
    number=st.from_regex(r"55[1-9][1-9]9[0-9]{8}", fullmatch=True),
    text=st.text(min_size=1, max_size=300),
    deliveries=st.integers(min_value=1, max_value=3),
)
async def test_valid_messages_are_stored_exactly_once(
    client: httpx.AsyncClient, asgi_app: Any, message_id: str, number: str, text: str, deliveries: int
) -> None:
    gateway = await _gateway(client, asgi_app, "EVOLUTION")
    message_id = f"FZ{message_id}{uuid.uuid4().hex[:6]}"  # examples share the database
    body = gateway.evolution("evolution_messages_upsert_text")
    body["data"]["key"].update({"id": message_id, "remoteJid": f"{number}@s.whatsapp.net"})
    body["data"]["key"].pop("remoteJidAlt")
    body["data"]["message"] = {"conversation": text}
    for _ in range(deliveries):
        response = await client.post(f"{gateway.url}?token={gateway.secret}", json=body)
        assert response.status_code == 200, response.text
    async with system_session(state_of(asgi_app).factory) as session:
        stored = await session.scalar(
            select(func.count()).select_from(Message).where(Message.gateway_message_id == message_id)
        )
        kept = await session.scalar(select(Message.text).where(Message.gateway_message_id == message_id))
    assert stored == 1
    # NUL cannot be stored by PostgreSQL: it is dropped, the message is kept.
    assert kept == text.replace("\x00", "")
