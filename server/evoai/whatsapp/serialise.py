"""JSON shapes of instances, conversations and messages (docs/api-whatsapp.md), shared by the API,
the webhook and the workers so a live event and a fetch always agree."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from evoai.config import Settings
from evoai.models import Contact, Conversation, Message, WhatsAppInstance
from evoai.storage.factory import get_storage


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def instance_out(instance: WhatsAppInstance) -> dict[str, Any]:
    return {
        "id": str(instance.id),
        "publicId": instance.public_id,
        "instanceName": instance.name,
        "provider": instance.provider,
        "isConnected": instance.connection_status == "open",
        "connectionStatus": instance.connection_status,
        "phoneNumber": instance.phone_number,
        "profileName": instance.profile_name,
        "qrCode": instance.qr_code if instance.connection_status == "qrcode" else None,
        "pairingCode": instance.pairing_code if instance.connection_status == "qrcode" else None,
        "createdAt": _iso(instance.created_at),
        "updatedAt": _iso(instance.updated_at),
    }


def contact_brief(
    contact: Contact | None, *, avatar_url: str | None = None, tags: list[dict[str, Any]] | None = None
) -> dict[str, Any] | None:
    """`tags` None leaves them out: a live event does not look them up, and the client keeps its own."""
    if contact is None:
        return None
    brief: dict[str, Any] = {
        "id": str(contact.id),
        "name": contact.name or contact.push_name,
        "phoneNumber": contact.phone_number,
        "email": contact.email,
        "isBlocked": contact.is_blocked,
        "avatarUrl": avatar_url,
    }
    if tags is not None:
        brief["tags"] = tags
    return brief


async def avatar_url(settings: Settings, contact: Contact | None) -> str | None:
    if contact is None or not contact.avatar_key:
        return None
    return await get_storage(settings).signed_url(
        contact.avatar_key, ttl_seconds=settings.MEDIA_URL_TTL_SECONDS
    )


def _preview(message: Message | None) -> dict[str, Any] | None:
    if message is None:
        return None
    return {
        "messageText": None if message.deleted_at else message.text,
        "messageType": message.direction,
        "kind": message.kind,
        "status": message.status,
        "createdAt": _iso(message.sent_at),
    }


def conversation_out(
    conversation: Conversation,
    *,
    instance_name: str | None,
    contact: Contact | None,
    last_message: Message | None,
    avatar_url: str | None = None,
    tags: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    name = conversation.title
    if contact is not None:
        name = contact.name or contact.push_name or contact.phone_number or name
    return {
        "id": str(conversation.id),
        "publicId": conversation.public_id,
        "instanceId": str(conversation.instance_id),
        "instanceName": instance_name,
        "contactId": str(conversation.contact_id) if conversation.contact_id else None,
        "contactNumber": conversation.contact_number,
        "contactName": name or conversation.contact_number,
        "isGroup": conversation.is_group,
        "isPaused": conversation.is_paused,
        "isArchived": conversation.is_archived,
        "lastMessageAt": _iso(conversation.last_message_at),
        "unreadCount": conversation.unread_count,
        "contact": contact_brief(contact, avatar_url=avatar_url, tags=tags),
        "lastMessage": _preview(last_message),
        "aiState": conversation.ai_state,
    }


def message_out(
    message: Message, *, media_url: str | None = None, sent_by_name: str | None = None
) -> dict[str, Any]:
    deleted = message.deleted_at is not None
    media = None
    if message.media_kind and not deleted:
        media = {
            "type": message.media_kind,
            "mimeType": message.media_mime,
            "fileName": message.media_file_name,
            "size": message.media_size,
            "seconds": message.media_seconds,
            "state": message.media_state,
            "url": media_url,
        }
    extra = message.extra or {}
    return {
        "id": str(message.id),
        "publicId": message.public_id,
        "conversationId": str(message.conversation_id),
        "messageText": None if deleted else message.text,
        "messageType": message.direction,
        "kind": message.kind,
        "status": message.status,
        "error": message.error,
        "isBot": message.is_bot,
        "fromMe": message.from_me,
        "authorName": message.author_name,
        "sentBy": {"id": str(message.sent_by_user_id), "name": sent_by_name}
        if message.sent_by_user_id
        else None,
        "messageKeyId": message.gateway_message_id,
        "replyTo": {"messageKeyId": message.reply_to_gateway_id, "text": message.reply_to_text}
        if message.reply_to_gateway_id
        else None,
        "media": media,
        "location": None if deleted else extra.get("location"),
        "contacts": [] if deleted else extra.get("contacts", []),
        "reactions": [
            {"emoji": emoji, "fromMe": reactor == "me"}
            for reactor, emoji in (message.reactions or {}).items()
        ],
        "deleted": deleted,
        "aiMetadata": message.ai_metadata,
        "sentAt": _iso(message.sent_at),
        "createdAt": _iso(message.created_at),
    }


async def message_payload(
    settings: Settings, message: Message, *, sent_by_name: str | None = None
) -> dict[str, Any]:
    """message_out with a fresh signed media link, for live events and single answers."""
    url = None
    if message.media_key and message.media_state == "stored" and message.deleted_at is None:
        url = await get_storage(settings).signed_url(
            message.media_key,
            ttl_seconds=settings.MEDIA_URL_TTL_SECONDS,
            download_name=message.media_file_name,
        )
    return message_out(message, media_url=url, sent_by_name=sent_by_name)
