"""What happens in the simulated WhatsApp world; shared by the Evolution routes and the phone pages."""

from __future__ import annotations

import asyncio
from typing import Any

from evoai.sandbox import media as media_objects
from evoai.sandbox.delivery import Dispatcher
from evoai.sandbox.errors import EvolutionError, bad_request
from evoai.sandbox.payloads import (
    JSON,
    LID_SUFFIX,
    PN_SUFFIX,
    api_message_id,
    create_jid,
    default_send_context,
    instance_token,
    instance_uuid,
    is_on_whatsapp,
    jid_user,
    long_value,
    message_context_info,
    now_seconds,
    owner_number,
    pairing_code,
    phone_message_id,
    qr_data_url,
    qr_payload,
    row_id,
)
from evoai.sandbox.settings import SandboxSettings
from evoai.sandbox.state import STATUS_RANK, Customer, Instance, Message, Qr, Store, iso_now

PROFILE_NAME = "Loja Sandbox"


class Sandbox:
    def __init__(self, settings: SandboxSettings, store: Store, dispatcher: Dispatcher) -> None:
        self.settings = settings
        self.store = store
        self.dispatcher = dispatcher
        self._tasks: set[asyncio.Task[None]] = set()

    def instance(self, name: str) -> Instance:
        found = self.store.instances.get(name)
        if found is None:
            raise EvolutionError(404, f'The "{name}" instance does not exist')
        return found

    def emit(self, instance: Instance, event: str, data: Any) -> None:
        self.dispatcher.emit(instance, event, data)

    def touch(self, instance: Instance) -> None:
        instance.updated_at = iso_now()
        self.store.changed()

    # Connection lifecycle -------------------------------------------------------------------------

    def connect(self, instance: Instance, number: str | None) -> None:
        """close -> connecting with a fresh QR (and a pairing code when a number is given)."""
        instance.state = "connecting"
        instance.number = number or None
        count = (instance.qr.count if instance.qr else 0) + 1
        code = qr_payload()
        instance.qr = Qr(code, qr_data_url(code), pairing_code() if number else None, count)
        self.emit(
            instance,
            "connection.update",
            {"instance": instance.name, "state": "connecting", "statusReason": 200},
        )
        qr = {"instance": instance.name, "pairingCode": instance.qr.pairing_code, "code": code}
        self.emit(instance, "qrcode.updated", {"qrcode": {**qr, "base64": instance.qr.base64}})
        self.touch(instance)

    def scan(self, instance: Instance, profile_name: str | None = None) -> None:
        """The user 'scanned' the QR: the instance opens with a generated owner number."""
        if instance.state != "connecting":
            raise bad_request(f'The "{instance.name}" instance is not waiting for a QR code scan')
        instance.owner = instance.owner or owner_number()
        instance.profile_name = profile_name or instance.profile_name or PROFILE_NAME
        instance.state = "open"
        instance.qr = None
        instance.disconnection_code = None
        instance.disconnection_at = None
        data = {
            "instance": instance.name,
            "wuid": instance.owner_jid,
            "profileName": instance.profile_name,
            "profilePictureUrl": None,
            "state": "open",
            "statusReason": 200,
        }
        self.emit(instance, "connection.update", data)
        self.touch(instance)

    def log_out(self, instance: Instance, reason: int = 401) -> None:
        """Logged out (from the phone or through the API): the session is gone, a new QR is needed."""
        at = iso_now()
        status = {
            "instance": instance.name,
            "status": "closed",
            "disconnectionAt": at,
            "disconnectionReasonCode": reason,
            "disconnectionObject": f'{{"error":{{"output":{{"statusCode":{reason}}}}}}}',
        }
        self.emit(instance, "status.instance", status)
        self.emit(
            instance,
            "connection.update",
            {"instance": instance.name, "state": "close", "statusReason": reason},
        )
        instance.state = "close"
        instance.qr = None
        instance.disconnection_code = reason
        instance.disconnection_at = at
        self.touch(instance)

    # Messages -------------------------------------------------------------------------------------

    def resolve(self, instance: Instance, number: str) -> tuple[Customer, str]:
        """The customer and chat JID a `number` field reaches, or Evolution's `exists:false` 400."""
        jid = create_jid(number)
        if jid.endswith("@g.us"):
            raise EvolutionError(404, "Group not found")
        if jid.endswith(LID_SUFFIX):
            customer = instance.customer_by_lid(jid_user(jid))
            if customer is None:
                raise bad_request({"jid": jid, "exists": False, "number": number})
            return customer, jid
        user = jid_user(jid)
        if not is_on_whatsapp(user):
            raise bad_request({"jid": jid, "exists": False, "number": number})
        customer = instance.customers.get(user)
        if customer is None:
            customer = instance.customers[user] = Customer(user, "")
        return customer, user + PN_SUFFIX

    def require_open(self, instance: Instance) -> None:
        if instance.state != "open":
            raise bad_request(f'The "{instance.name}" instance is not connected')

    def quote_context(self, instance: Instance, quoted_id: str | None) -> JSON:
        """contextInfo of a reply: stanzaId, the quoted author's JID and the quoted content."""
        if not quoted_id:
            return {}
        quoted = instance.message(quoted_id)
        if quoted is None:
            return {}  # Evolution silently drops a quote it cannot find
        author = instance.owner_jid if quoted.author == "agent" else quoted.data["key"]["remoteJid"]
        return {"participant": author, "stanzaId": quoted_id, "quotedMessage": quoted_content(quoted.data)}

    async def send_from_agent(
        self,
        instance: Instance,
        number: str,
        content: JSON,
        *,
        quoted: JSON | None = None,
        media: tuple[bytes, str] | None = None,
        delay_ms: int = 0,
    ) -> JSON:
        """A message sent through the API: stored PENDING, echoed as send.message, then acknowledged."""
        self.require_open(instance)
        customer, jid = self.resolve(instance, number)
        if delay_ms > 0:
            await asyncio.sleep(min(delay_ms, 20_000) / 1000)  # Evolution blocks the request as well
        quoted_message = quoted if isinstance(quoted, dict) else {}
        quoted_key = quoted_message.get("key")
        quoted_id = quoted_key.get("id") if isinstance(quoted_key, dict) else None
        context = default_send_context() | self.quote_context(instance, quoted_id)
        key_name = media_objects.content_key(content) or "conversation"
        if key_name != "conversation" and key_name != "reactionMessage":
            content[key_name]["contextInfo"] = context
        data: JSON = {
            "key": {"remoteJid": jid, "fromMe": True, "id": api_message_id()},
            "pushName": "Você",
            "status": "PENDING",
            "message": content,
        }
        if key_name != "reactionMessage":
            data["contextInfo"] = context
        data |= {
            "messageType": key_name,
            "messageTimestamp": now_seconds(),
            "instanceId": instance.id,
            "source": "web",
        }
        record = Message(row_id(), customer.number, "agent", data, "PENDING")
        if media is not None:
            record.media_file = record.key_id + media_objects.extension_for(media[1])
            record.media_mimetype = media[1]
        self.store.add_message(instance, record, media[0] if media else None)
        outgoing = self.with_base64(instance, data, media[0] if media else None)
        self.emit(instance, "send.message", outgoing)
        self._spawn(self._acknowledge(instance, record))
        return outgoing

    def with_base64(self, instance: Instance, data: JSON, payload: bytes | None) -> JSON:
        """`message.base64` is embedded only when the instance's webhook asks for it."""
        if payload is None or instance.webhook is None or not instance.webhook.base64:
            return data
        import base64

        return {**data, "message": {**data["message"], "base64": base64.b64encode(payload).decode()}}

    async def _acknowledge(self, instance: Instance, record: Message) -> None:
        await asyncio.sleep(self.settings.server_ack_delay)
        self.set_status(instance, record, "SERVER_ACK")
        await asyncio.sleep(max(0.0, self.settings.delivery_ack_delay - self.settings.server_ack_delay))
        if instance.state == "open":
            self.set_status(instance, record, "DELIVERY_ACK")

    def set_status(self, instance: Instance, record: Message, status: str) -> bool:
        """Move an agent message forward (never back) and report it as messages.update."""
        if STATUS_RANK[status] <= STATUS_RANK.get(record.status, 0):
            return False
        record.status = status
        data = {
            "keyId": record.key_id,
            "remoteJid": record.data["key"]["remoteJid"],
            "fromMe": True,
            "status": status,
            "instanceId": instance.id,
            "messageId": record.row_id,
        }
        self.emit(instance, "messages.update", data)
        self.store.changed()
        return True

    def customer_message(
        self,
        instance: Instance,
        number: str,
        name: str,
        *,
        text: str | None = None,
        media: tuple[bytes, str, str | None, bool] | None = None,
        quoted_id: str | None = None,
        reaction: tuple[str, str] | None = None,
        lid_only: bool = False,
    ) -> JSON:
        """The customer typed something on the phone page: a messages.upsert as Evolution 2.3.7 emits it.

        `media` is (bytes, mimetype, file name, voice note); `reaction` is (target id, emoji).
        """
        self.require_open(instance)
        canonical = jid_user(create_jid(number))
        if not is_on_whatsapp(canonical):
            raise bad_request("O número do cliente precisa ter de 10 a 15 dígitos")
        customer = instance.customers.get(canonical)
        is_new = customer is None or not customer.name
        if customer is None:
            customer = instance.customers[canonical] = Customer(canonical, name)
        customer.name = name or customer.name
        pn_jid, lid_jid = canonical + PN_SUFFIX, customer.lid + LID_SUFFIX
        key: JSON = {"remoteJid": pn_jid, "remoteJidAlt": lid_jid}
        if lid_only:
            key = {"remoteJid": lid_jid}
        key |= {
            "fromMe": False,
            "id": phone_message_id(),
            "participant": "",
            "addressingMode": "lid" if lid_only else "pn",
        }
        context = self.quote_context(instance, quoted_id)
        top_context: JSON | None = context or None
        payload: bytes | None = None
        mimetype: str | None = None
        if reaction is not None:
            content = self._reaction_content(instance, reaction[0], reaction[1], chat_jid=key["remoteJid"])
            top_context = None
        elif media is not None:
            payload, mimetype, file_name, voice = media
            kind = media_objects.kind_for_mimetype(mimetype)
            if kind == "audio" and voice:
                mimetype = media_objects.VOICE_MIMETYPE
            caption = text or None
            content = {
                media_objects.CONTENT_KEYS[kind]: media_objects.media_content(
                    kind,
                    payload,
                    mimetype,
                    caption=caption,
                    file_name=file_name,
                    ptt=voice,
                    context_info=context or None,
                )
            }
            if kind == "document" and caption:
                top_context = None  # a captioned document is lifted from documentWithCaptionMessage
        elif text:
            content = {"conversation": text}
        else:
            raise bad_request("Envie um texto, um arquivo ou uma reação")
        content["messageContextInfo"] = message_context_info()
        content_key = media_objects.content_key(content) or "conversation"
        data: JSON = {
            "key": key,
            "pushName": customer.name or None,
            "status": "DELIVERY_ACK",
            "message": content,
        }
        if top_context:
            data["contextInfo"] = top_context
        data |= {
            "messageType": content_key,
            "messageTimestamp": now_seconds(),
            "instanceId": instance.id,
            "source": "android",
        }
        record = Message(row_id(), canonical, "customer", data, "DELIVERY_ACK")
        if payload is not None and mimetype is not None:
            record.media_file = record.key_id + media_objects.extension_for(mimetype)
            record.media_mimetype = mimetype
        self.store.add_message(instance, record, payload)
        self.emit(instance, "messages.upsert", self.with_base64(instance, data, payload))
        if is_new and customer.name:
            contact = {"remoteJid": key["remoteJid"], "pushName": customer.name, "profilePicUrl": None}
            self.emit(instance, "contacts.upsert", {**contact, "instanceId": instance.id})
        return data

    def _reaction_content(self, instance: Instance, target_id: str, emoji: str, chat_jid: str) -> JSON:
        target = instance.message(target_id)
        if target is None:
            raise EvolutionError(404, "Message not found")
        # Baileys rewrites the key to the instance's perspective: fromMe is true for the agent's messages.
        key = {"remoteJid": chat_jid, "fromMe": target.author == "agent", "id": target_id}
        stamp = long_value(now_seconds() * 1000, unsigned=False)
        return {"reactionMessage": {"key": key, "text": emoji, "senderTimestampMs": stamp}}

    def customer_reads(self, instance: Instance, number: str) -> list[str]:
        """The customer opened the chat: every agent message becomes READ (blue ticks for the agent)."""
        canonical = jid_user(create_jid(number))
        changed = []
        for record in instance.chats.get(canonical, []):
            is_reply = record.author == "agent" and record.data["messageType"] != "reactionMessage"
            if is_reply and self.set_status(instance, record, "READ"):
                changed.append(record.key_id)
        return changed

    def customer_plays(self, instance: Instance, key_id: str) -> None:
        record = instance.message(key_id)
        if record is None or record.author != "agent":
            raise EvolutionError(404, "Message not found")
        self.set_status(instance, record, "READ")
        self.set_status(instance, record, "PLAYED")

    def agent_reads(self, instance: Instance, keys: list[JSON]) -> None:
        """markMessageAsRead: only PN and group JIDs reach WhatsApp; LIDs are dropped silently (≤ 2.3.7)."""
        for key in keys:
            remote = str(key.get("remoteJid", ""))
            if not (remote.endswith(PN_SUFFIX) or remote.endswith("@g.us")):
                continue
            record = instance.message(str(key.get("id", "")))
            if record is not None and record.author == "customer" and record.status != "READ":
                record.status = "READ"
                self.store.changed()

    def _spawn(self, coroutine: Any) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def quoted_content(data: JSON) -> JSON:
    """The quoted message as a reply carries it: the content only, without Evolution's additions."""
    message = data.get("message", {})
    key = media_objects.content_key(message)
    if key is None:
        return {}
    content = message[key]
    if isinstance(content, dict):
        content = {name: value for name, value in content.items() if name != "contextInfo"}
    return {key: content}


def new_instance(name: str, token: str | None, integration: str) -> Instance:
    return Instance(name=name, id=instance_uuid(), token=token or instance_token(), integration=integration)
