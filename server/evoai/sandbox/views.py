"""The customer's-phone view of a chat: simple JSON the pages render (and browser tests read)."""

from __future__ import annotations

from evoai.sandbox.delivery import Dispatcher
from evoai.sandbox.media import content_key, media_kind_of
from evoai.sandbox.payloads import JSON
from evoai.sandbox.state import Customer, Instance, Message


def instance_summary(instance: Instance) -> JSON:
    webhook = instance.webhook
    return {
        "name": instance.name,
        "state": instance.state,
        "owner": instance.owner or None,
        "profileName": instance.profile_name or None,
        "qr": instance.qr.public() if instance.qr else None,
        "webhook": {
            "url": webhook.url,
            "enabled": webhook.enabled,
            "byEvents": webhook.by_events,
            "base64": webhook.base64,
            "events": webhook.events,
        }
        if webhook
        else None,
        "customers": [customer_summary(instance, c) for c in instance.customers.values()],
    }


def customer_summary(instance: Instance, customer: Customer) -> JSON:
    messages = instance.chats.get(customer.number, [])
    return {"number": customer.number, "name": customer.name, "lid": customer.lid, "messages": len(messages)}


def _text_of(record: Message) -> str:
    message = record.data["message"]
    key = content_key(message)
    if key == "conversation":
        return str(message["conversation"])
    content = message.get(key or "", {})
    return str(content.get("caption") or content.get("fileName") or "") if isinstance(content, dict) else ""


def _reply_target(record: Message) -> str | None:
    context = record.data.get("contextInfo")
    if not context:
        key = content_key(record.data["message"])
        content = record.data["message"].get(key or "", {})
        context = content.get("contextInfo") if isinstance(content, dict) else None
    stanza = context.get("stanzaId") if isinstance(context, dict) else None
    return str(stanza) if stanza else None


def message_view(instance: Instance, record: Message, reactions: dict[str, JSON]) -> JSON:
    message = record.data["message"]
    kind = media_kind_of(message)
    key = content_key(message) or ""
    content = message.get(key, {})
    view: JSON = {
        "id": record.key_id,
        "author": record.author,
        "type": kind or "text",
        "text": _text_of(record) if kind in (None, "image", "video") or content.get("caption") else "",
        "status": record.status,
        "timestamp": record.timestamp,
        "lid": record.data["key"]["remoteJid"].endswith("@lid"),
        "reactions": reactions.get(record.key_id, {}),
        "quoted": None,
    }
    if kind:
        view |= {
            "mimetype": record.media_mimetype or content.get("mimetype"),
            "fileName": content.get("fileName"),
            "ptt": bool(content.get("ptt")),
            "mediaUrl": f"/sandbox/instances/{instance.name}/media/{record.key_id}",
        }
    target_id = _reply_target(record)
    if target_id:
        target = instance.message(target_id)
        view["quoted"] = {
            "id": target_id,
            "author": target.author if target else None,
            "text": _text_of(target) if target else "",
            "type": (media_kind_of(target.data["message"]) or "text") if target else "text",
        }
    return view


def chat_view(instance: Instance, number: str, version: int) -> JSON:
    records = instance.chats.get(number, [])
    reactions: dict[str, JSON] = {}
    for record in records:
        reaction = record.data["message"].get("reactionMessage")
        if isinstance(reaction, dict):
            target = reactions.setdefault(str(reaction["key"]["id"]), {})
            if reaction.get("text"):
                target[record.author] = reaction["text"]
            else:
                target.pop(record.author, None)
    customer = instance.customers.get(number)
    return {
        "version": version,
        "instance": {
            "name": instance.name,
            "state": instance.state,
            "profileName": instance.profile_name or None,
            "owner": instance.owner or None,
        },
        "customer": {"number": number, "name": customer.name, "lid": customer.lid} if customer else None,
        "messages": [
            message_view(instance, r, reactions)
            for r in records
            if content_key(r.data["message"]) != "reactionMessage"
        ],
    }


def deliveries_view(dispatcher: Dispatcher) -> list[JSON]:
    return [d.summary() for d in reversed(dispatcher.recent)]
