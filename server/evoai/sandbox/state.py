"""The sandbox's world in memory, written to `$EVOAI_DATA_DIR/sandbox/state.json` after every change.

Media bytes live beside it (`media/<instance id>/<message id><ext>`) so the JSON stays small. Chats keep
their last `max_messages_per_chat` messages; older ones (and their files) are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evoai.sandbox.payloads import JSON, lid_for

STATUS_RANK = {"ERROR": 0, "PENDING": 1, "SERVER_ACK": 2, "DELIVERY_ACK": 3, "READ": 4, "PLAYED": 5}
ALL_EVENTS = [
    "APPLICATION_STARTUP",
    "QRCODE_UPDATED",
    "MESSAGES_SET",
    "MESSAGES_UPSERT",
    "MESSAGES_EDITED",
    "MESSAGES_UPDATE",
    "MESSAGES_DELETE",
    "SEND_MESSAGE",
    "SEND_MESSAGE_UPDATE",
    "CONTACTS_SET",
    "CONTACTS_UPSERT",
    "CONTACTS_UPDATE",
    "PRESENCE_UPDATE",
    "CHATS_SET",
    "CHATS_UPSERT",
    "CHATS_UPDATE",
    "CHATS_DELETE",
    "GROUPS_UPSERT",
    "GROUP_UPDATE",
    "GROUP_PARTICIPANTS_UPDATE",
    "CONNECTION_UPDATE",
    "LABELS_EDIT",
    "LABELS_ASSOCIATION",
    "CALL",
    "TYPEBOT_START",
    "TYPEBOT_CHANGE_STATUS",
    "REMOVE_INSTANCE",
    "LOGOUT_INSTANCE",
    "INSTANCE_CREATE",
    "INSTANCE_DELETE",
    "STATUS_INSTANCE",
]


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class Webhook:
    id: str
    url: str
    enabled: bool = True
    headers: dict[str, Any] = field(default_factory=dict)
    by_events: bool = False
    base64: bool = False
    events: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=iso_now)
    updated_at: str = field(default_factory=iso_now)

    def row(self, instance_id: str) -> JSON:
        """The stored row `/webhook/set` and `/webhook/find` return."""
        return {
            "id": self.id,
            "url": self.url,
            "headers": self.headers,
            "enabled": self.enabled,
            "events": self.events,
            "webhookByEvents": self.by_events,
            "webhookBase64": self.base64,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "instanceId": instance_id,
        }


@dataclass
class Qr:
    code: str
    base64: str
    pairing_code: str | None
    count: int

    def public(self) -> JSON:
        return {
            "pairingCode": self.pairing_code,
            "code": self.code,
            "base64": self.base64,
            "count": self.count,
        }


@dataclass
class Customer:
    number: str
    name: str
    lid: str = ""

    def __post_init__(self) -> None:
        self.lid = self.lid or lid_for(self.number)


@dataclass
class Message:
    row_id: str
    chat: str  # the customer's canonical number
    author: str  # "customer" or "agent"
    data: JSON  # exactly as Evolution emits it, without message.base64
    status: str
    media_file: str | None = None
    media_mimetype: str | None = None

    @property
    def key_id(self) -> str:
        return str(self.data["key"]["id"])

    @property
    def timestamp(self) -> int:
        return int(self.data["messageTimestamp"])


@dataclass
class Instance:
    name: str
    id: str
    token: str
    integration: str = "WHATSAPP-BAILEYS"
    state: str = "close"
    owner: str = ""
    profile_name: str = ""
    number: str | None = None
    qr: Qr | None = None
    webhook: Webhook | None = None
    settings: JSON = field(default_factory=dict)
    disconnection_code: int | None = None
    disconnection_at: str | None = None
    created_at: str = field(default_factory=iso_now)
    updated_at: str = field(default_factory=iso_now)
    customers: dict[str, Customer] = field(default_factory=dict)
    chats: dict[str, list[Message]] = field(default_factory=dict)

    @property
    def owner_jid(self) -> str | None:
        return f"{self.owner}@s.whatsapp.net" if self.owner else None

    def message(self, key_id: str) -> Message | None:
        for messages in self.chats.values():
            for message in messages:
                if message.key_id == key_id:
                    return message
        return None

    def customer_by_lid(self, lid: str) -> Customer | None:
        return next((c for c in self.customers.values() if c.lid == lid), None)

    def all_messages(self) -> list[Message]:
        return [message for messages in self.chats.values() for message in messages]


class Store:
    def __init__(self, directory: Path, max_messages_per_chat: int = 500) -> None:
        self.directory = directory
        self.max_messages = max_messages_per_chat
        self.instances: dict[str, Instance] = {}
        self.version = 0  # bumped on every change; the pages poll it
        self._save_task: asyncio.Task[None] | None = None

    @property
    def path(self) -> Path:
        return self.directory / "state.json"

    def media_path(self, instance: Instance, name: str) -> Path:
        return self.directory / "media" / instance.id / name

    def load(self) -> None:
        if not self.path.exists():
            return
        raw = json.loads(self.path.read_text())
        self.instances = {item["name"]: _instance_from_json(item) for item in raw.get("instances", [])}

    def add_message(self, instance: Instance, message: Message, media: bytes | None = None) -> None:
        if media is not None and message.media_file:
            target = self.media_path(instance, message.media_file)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(media)
        chat = instance.chats.setdefault(message.chat, [])
        chat.append(message)
        while len(chat) > self.max_messages:
            dropped = chat.pop(0)
            if dropped.media_file:
                self.media_path(instance, dropped.media_file).unlink(missing_ok=True)
        self.changed()

    def read_media(self, instance: Instance, message: Message) -> bytes | None:
        if not message.media_file:
            return None
        path = self.media_path(instance, message.media_file)
        return path.read_bytes() if path.exists() else None

    def remove_instance(self, instance: Instance) -> None:
        self.instances.pop(instance.name, None)
        media = self.directory / "media" / instance.id
        if media.exists():
            for file in media.iterdir():
                file.unlink(missing_ok=True)
            media.rmdir()
        self.changed()

    def changed(self) -> None:
        """Schedule a write; bursts of changes (a send and its acks) end up in one write."""
        self.version += 1
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.save()
            return
        if self._save_task is None or self._save_task.done():
            self._save_task = loop.create_task(self._save_later())

    async def _save_later(self) -> None:
        await asyncio.sleep(0.2)
        await asyncio.to_thread(self.save)

    async def flush(self) -> None:
        if self._save_task is not None and not self._save_task.done():
            self._save_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._save_task
        self.save()

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        body = {"version": 1, "instances": [_instance_to_json(i) for i in list(self.instances.values())]}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(body, ensure_ascii=False))
        os.replace(temporary, self.path)


def _instance_to_json(instance: Instance) -> JSON:
    return {
        "name": instance.name,
        "id": instance.id,
        "token": instance.token,
        "integration": instance.integration,
        "state": instance.state,
        "owner": instance.owner,
        "profile_name": instance.profile_name,
        "number": instance.number,
        "qr": instance.qr.__dict__ if instance.qr else None,
        "webhook": instance.webhook.__dict__ if instance.webhook else None,
        "settings": instance.settings,
        "disconnection_code": instance.disconnection_code,
        "disconnection_at": instance.disconnection_at,
        "created_at": instance.created_at,
        "updated_at": instance.updated_at,
        "customers": [c.__dict__ for c in instance.customers.values()],
        "messages": [m.__dict__ for m in instance.all_messages()],
    }


def _instance_from_json(raw: JSON) -> Instance:
    customers = [Customer(**item) for item in raw.pop("customers", [])]
    messages = [Message(**item) for item in raw.pop("messages", [])]
    qr = raw.pop("qr", None)
    webhook = raw.pop("webhook", None)
    instance = Instance(**raw, qr=Qr(**qr) if qr else None, webhook=Webhook(**webhook) if webhook else None)
    instance.customers = {c.number: c for c in customers}
    for message in messages:
        instance.chats.setdefault(message.chat, []).append(message)
    return instance
