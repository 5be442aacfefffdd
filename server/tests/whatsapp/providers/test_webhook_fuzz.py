"""parse_webhook must turn any input into events or MalformedPayload, never another exception: the
webhook endpoint answers 400 for MalformedPayload and anything else would be a 500 (and a retry storm)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evoai.whatsapp.providers import parse_webhook
from evoai.whatsapp.providers.base import PROVIDERS, MalformedPayload, ParsedWebhook, ProviderName
from tests.whatsapp.providers.support import fixture_names, load

# Keys the parsers look at, so random objects reach past the first checks.
KEYS = [
    "event",
    "instance",
    "data",
    "apikey",
    "key",
    "id",
    "remoteJid",
    "remoteJidAlt",
    "fromMe",
    "participant",
    "participantAlt",
    "senderPn",
    "message",
    "messageType",
    "messageTimestamp",
    "conversation",
    "imageMessage",
    "audioMessage",
    "ptt",
    "reactionMessage",
    "text",
    "contextInfo",
    "stanzaId",
    "quotedMessage",
    "fileLength",
    "low",
    "high",
    "base64",
    "keyId",
    "status",
    "state",
    "wuid",
    "qrcode",
    "statusCode",
    "EventType",
    "instanceName",
    "token",
    "chat",
    "messageid",
    "chatid",
    "sender_pn",
    "sender_lid",
    "content",
    "mediaType",
    "MessageIDs",
    "IsFromMe",
    "Type",
    "contacts",
    "vcard",
    "degreesLatitude",
    "ephemeralMessage",
]
EVENTS = [
    "messages.upsert",
    "send.message",
    "messages.update",
    "messages.delete",
    "connection.update",
    "qrcode.updated",
    "contacts.upsert",
    "messages",
    "messages_update",
    "connection",
    "contacts",
    "message",
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        [*EVENTS, "5511987654321@s.whatsapp.net", "1@lid", "1@g.us", "status@broadcast", "open"]
    )
)
json_like = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        # Integer keys too: parse_webhook takes any object, not only what json.loads makes.
        | st.dictionaries(
            st.sampled_from(KEYS) | st.text(max_size=6) | st.integers(0, 3), children, max_size=6
        )
    ),
    max_leaves=40,
)
FIXTURES = [(name, load(name)) for name in fixture_names("evolution_") + fixture_names("uazapi_")]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _parse_or_malformed(provider: ProviderName, body: object, hint: str | None = None) -> None:
    try:
        result = parse_webhook(provider, body, event_hint=hint)
    except MalformedPayload as exc:
        reason = str(exc)
    else:
        assert isinstance(result, ParsedWebhook)
        return
    assert reason  # the webhook logs why it refused the body


@FUZZ
@given(provider=st.sampled_from(PROVIDERS), body=json_like, hint=st.none() | st.sampled_from(EVENTS))
def test_arbitrary_json(provider: ProviderName, body: object, hint: str | None) -> None:
    _parse_or_malformed(provider, body, hint)


@FUZZ
@given(
    provider=st.sampled_from(PROVIDERS),
    event=st.sampled_from(EVENTS),
    data=json_like,
    extra=st.dictionaries(st.sampled_from(KEYS), json_like, max_size=4),
)
def test_envelopes_with_arbitrary_data(
    provider: ProviderName, event: str, data: object, extra: dict[str, Any]
) -> None:
    _parse_or_malformed(
        provider, {**extra, "event": event, "EventType": event, "data": data, "message": data}
    )


def _paths(value: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@FUZZ
@given(data=st.data())
def test_mutated_fixtures(data: st.DataObject) -> None:
    name, original = data.draw(st.sampled_from(FIXTURES))
    body = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        where = data.draw(st.sampled_from(_paths(body)))
        if not where:
            body = data.draw(json_like)
            continue
        parent = body
        for step in where[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[where[-1]]
        else:
            parent[where[-1]] = data.draw(json_like)
    _parse_or_malformed("EVOLUTION" if name.startswith("evolution") else "UAZAPI", body)


@pytest.mark.parametrize(("name", "body"), FIXTURES, ids=[name for name, _ in FIXTURES])
def test_fixtures_parse_for_their_provider_and_never_crash_the_other(name: str, body: object) -> None:
    provider: ProviderName = "EVOLUTION" if name.startswith("evolution") else "UAZAPI"
    if "response" not in name:
        parse_webhook(provider, body)
    _parse_or_malformed("UAZAPI" if provider == "EVOLUTION" else "EVOLUTION", body)
