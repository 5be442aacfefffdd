"""JID helpers."""

from __future__ import annotations

import pytest

from evoai.whatsapp.providers import jids


@pytest.mark.parametrize(
    ("jid", "phone", "lid", "group"),
    [
        ("5511987654321@s.whatsapp.net", "5511987654321", None, False),
        ("5511987654321:12@s.whatsapp.net", "5511987654321", None, False),
        ("5511987654321@c.us", "5511987654321", None, False),
        ("198765432109876@lid", None, "198765432109876@lid", False),
        ("198765432109876:3@lid", None, "198765432109876@lid", False),
        ("120363041234567890@g.us", None, None, True),
        ("5511-1600000000@g.us", None, None, True),
        ("status@broadcast", None, None, False),
        ("not-a-jid", None, None, False),
        ("", None, None, False),
    ],
)
def test_classification(jid: str, phone: str | None, lid: str | None, group: bool) -> None:
    assert jids.phone_digits(jid) == phone
    assert jids.normalise_lid(jid) == lid
    assert jids.is_group(jid) is group
    assert jids.is_lid(jid) is (lid is not None)


def test_phone_helpers() -> None:
    assert jids.phone_jid("+55 (11) 98765-4321") == "5511987654321@s.whatsapp.net"
    assert jids.phone_from_text("+55 11 98765-4321") == "5511987654321"
    assert jids.phone_from_text("5511987654321@s.whatsapp.net") == "5511987654321"
    assert jids.phone_from_text("1@lid") is None
    assert jids.phone_from_text("abc") is None
    assert jids.is_broadcast("status@broadcast")
    assert jids.is_broadcast("1203@newsletter")
