"""The order a conversation is read in.

WhatsApp stamps a customer's message in whole seconds (rounded down) while ours carry fractions, so
by timestamp alone a quick reply can look older than the message it answers. Within one second,
messages therefore go in the order they arrived (`public_id`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from evoai.models import Message


def reading_key(message: Message) -> tuple[datetime, int]:
    return message.sent_at.replace(microsecond=0), message.public_id


def in_reading_order(messages: Iterable[Message]) -> list[Message]:
    """Oldest first."""
    return sorted(messages, key=reading_key)
