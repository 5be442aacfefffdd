"""EvolutionProvider: the WhatsAppProvider for Evolution API v2 (2.3.x), whatsapp-protocols.md §1-§2.

Every call uses the global key (`apikey` header), so one provider serves all instances of a server;
instances are addressed by name in the path.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import structlog

from evoai.whatsapp.providers import jids
from evoai.whatsapp.providers.base import (
    ConnectionState,
    ConnectResult,
    CreatedInstance,
    DownloadedMedia,
    GatewayConfig,
    GatewayError,
    GatewayRejected,
    InboundMessage,
    InstanceRef,
    InstanceStatus,
    MalformedPayload,
    MessageRef,
    OutboundMedia,
    ProviderName,
    QrCode,
    QuotedMessage,
    SentMessage,
)
from evoai.whatsapp.providers.coerce import as_dict, as_int, as_list, as_str, path
from evoai.whatsapp.providers.evolution.messages import WRAPPERS, parse_message
from evoai.whatsapp.providers.http import HttpGateway, decode_base64, decode_json, error_message

log = structlog.get_logger(__name__)

WEBHOOK_EVENTS = [
    "MESSAGES_UPSERT",
    "MESSAGES_UPDATE",
    "MESSAGES_DELETE",
    "SEND_MESSAGE",
    "CONNECTION_UPDATE",
    "QRCODE_UPDATED",
    "CONTACTS_UPSERT",
]
STATES: dict[str, ConnectionState] = {"open": "open", "connecting": "connecting", "close": "close"}
CONNECT_POLLS = 3  # extra GETs when the first connect answers {count: 0} (QR not generated yet)
MEDIA_TIMEOUT = 120.0  # media bodies can be tens of MB
PAGE_SIZE = 100


class EvolutionProvider:
    name: ProviderName = "EVOLUTION"

    def __init__(
        self,
        config: GatewayConfig,
        *,
        http: HttpGateway | None = None,
        connect_poll_delay: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = http or HttpGateway(config)
        self._headers = {"apikey": config.api_key}
        self._connect_poll_delay = connect_poll_delay
        self._sleep = sleep

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, url: str, **options: Any) -> Any:
        response = await self._http.request(method, url, headers=self._headers, **options)
        return decode_json(response) if response.content else None

    async def check_credentials(self) -> None:
        await self._call("GET", "/instance/fetchInstances")

    async def create_instance(
        self, gateway_name: str, *, webhook_url: str, webhook_secret: str
    ) -> CreatedInstance:
        body = {
            "instanceName": gateway_name,
            "integration": "WHATSAPP-BAILEYS",  # no server-side default: omitting it is a 400
            "qrcode": False,
            "webhook": {
                "url": webhook_url,
                "byEvents": False,
                "base64": True,
                "headers": {"X-Webhook-Token": webhook_secret},
                "events": WEBHOOK_EVENTS,  # a missing list crashes the create on the server
            },
        }
        # Not retried after a timeout: a second create would only meet "name already in use".
        response = await self._http.request(
            "POST", "/instance/create", headers=self._headers, json=body, idempotent=False, accept=(403,)
        )
        if response.status_code == 403:  # Evolution's "This name … is already in use"
            raise GatewayRejected(error_message(response), status=403)
        data = as_dict(decode_json(response)) or {}
        token = as_str(data.get("hash")) or as_str(path(data, "hash", "apikey")) or ""
        name = as_str(path(data, "instance", "instanceName")) or gateway_name
        return CreatedInstance(gateway_name=name, token=token, qr=_qr(as_dict(data.get("qrcode"))))

    async def connect(self, ref: InstanceRef, *, phone: str | None = None) -> ConnectResult:
        params = {"number": jids.digits(phone)} if phone else None
        url = f"/instance/connect/{_name(ref)}"
        result = ConnectResult(state="connecting")
        for attempt in range(CONNECT_POLLS + 1):
            if attempt:
                await self._sleep(self._connect_poll_delay)
            result = _connect_result(await self._call("GET", url, params=params))
            if result.state == "open" or result.qr is not None:
                return result
        # Still no QR: the qrcode.updated webhook will bring it.
        return result

    async def status(self, ref: InstanceRef) -> InstanceStatus:
        data = await self._call("GET", f"/instance/connectionState/{_name(ref)}")
        state = STATES.get((as_str(path(data, "instance", "state")) or "").lower(), "close")
        if state != "open":
            return InstanceStatus(state=state)
        rows = await self._call("GET", "/instance/fetchInstances", params={"instanceName": ref.gateway_name})
        row = next(
            (r for r in as_list(rows) if isinstance(r, dict) and r.get("name") == ref.gateway_name),
            None,
        )
        if row is None:
            return InstanceStatus(state=state)
        return InstanceStatus(
            state=state,
            phone=jids.phone_digits(as_str(row.get("ownerJid")))
            or jids.phone_from_text(as_str(row.get("number"))),
            profile_name=as_str(row.get("profileName")),
        )

    async def logout(self, ref: InstanceRef) -> None:
        response = await self._http.request(
            "DELETE", f"/instance/logout/{_name(ref)}", headers=self._headers, accept=(400,)
        )
        if response.status_code == 400 and "not connected" not in error_message(response).lower():
            raise GatewayRejected(error_message(response), status=400)

    async def delete_instance(self, ref: InstanceRef) -> None:
        await self._http.request(
            "DELETE", f"/instance/delete/{_name(ref)}", headers=self._headers, accept=(404,)
        )

    async def send_text(
        self, ref: InstanceRef, *, to: str, text: str, quoted: QuotedMessage | None = None
    ) -> SentMessage:
        body: dict[str, Any] = {"number": to, "text": text}
        if quoted is not None:
            body["quoted"] = _quoted(quoted)
        return await self._send(f"/message/sendText/{_name(ref)}", body)

    async def send_media(
        self, ref: InstanceRef, *, to: str, media: OutboundMedia, quoted: QuotedMessage | None = None
    ) -> SentMessage:
        encoded = base64.b64encode(media.data).decode("ascii")  # raw base64: a data: URL is a 400
        body: dict[str, Any]
        if media.kind == "ptt":
            # Transcoded to OGG/Opus server-side; `quoted` is ignored before 2.4.0 but harmless.
            body = {"number": to, "audio": encoded, "encoding": True}
            url = f"/message/sendWhatsAppAudio/{_name(ref)}"
        else:
            body = {
                "number": to,
                "mediatype": media.kind,
                "mimetype": media.mimetype,
                "media": encoded,
                "fileName": media.file_name,  # its extension also decides the mimetype Evolution uses
            }
            if media.caption:
                body["caption"] = media.caption
            url = f"/message/sendMedia/{_name(ref)}"
        if quoted is not None:
            body["quoted"] = _quoted(quoted)
        return await self._send(url, body, time_limit=MEDIA_TIMEOUT)

    async def send_reaction(self, ref: InstanceRef, *, target: MessageRef, emoji: str) -> SentMessage:
        body = {"key": _key(target), "reaction": emoji}
        # Setting the same reaction twice has the same effect as once, so a retry is safe here.
        data = await self._call("POST", f"/message/sendReaction/{_name(ref)}", json=body)
        return _sent(data)

    async def mark_read(self, ref: InstanceRef, messages: list[MessageRef]) -> None:
        if not messages:
            return
        keys = [{"remoteJid": m.chat_jid, "fromMe": m.from_me, "id": m.message_id} for m in messages]
        await self._call("POST", f"/chat/markMessageAsRead/{_name(ref)}", json={"readMessages": keys})

    async def profile_picture_url(self, ref: InstanceRef, number: str) -> str | None:
        data = await self._call("POST", f"/chat/fetchProfilePictureUrl/{_name(ref)}", json={"number": number})
        return as_str(path(data, "profilePictureUrl"))

    async def download_media(self, ref: InstanceRef, raw: dict[str, Any]) -> DownloadedMedia:
        message = as_dict(raw.get("message")) or {}
        inline = as_str(message.get("base64"))
        if inline:
            body = _media_body(message)
            return DownloadedMedia(
                data=decode_base64(inline),
                mimetype=as_str(body.get("mimetype")) or "application/octet-stream",
                file_name=as_str(body.get("fileName")),
            )
        payload = {"message": {"key": raw.get("key"), "message": message}, "convertToMp4": False}
        data = (
            as_dict(
                await self._call(
                    "POST",
                    f"/chat/getBase64FromMediaMessage/{_name(ref)}",
                    json=payload,
                    time_limit=MEDIA_TIMEOUT,
                )
            )
            or {}
        )
        encoded = as_str(data.get("base64"))
        if encoded is None:
            raise GatewayError("gateway returned no media bytes for this message")
        return DownloadedMedia(
            data=decode_base64(encoded),
            mimetype=as_str(data.get("mimetype")) or "application/octet-stream",
            file_name=as_str(data.get("fileName")),
        )

    async def recent_messages(
        self, ref: InstanceRef, *, since: datetime, limit: int = 200
    ) -> list[InboundMessage]:
        since = since if since.tzinfo else since.replace(tzinfo=UTC)  # naive means UTC, as everywhere here
        # Evolution filters only when both bounds are given; `offset` is the page size (§ findMessages in
        # src/api/integrations/channel/whatsapp/whatsapp.baileys.service.ts, tag 2.3.7).
        window = {"gte": _iso(since), "lte": _iso(datetime.now(UTC) + timedelta(hours=1))}
        size = max(1, min(limit, PAGE_SIZE))
        found: list[InboundMessage] = []
        page, pages = 1, 1
        while page <= pages and len(found) < limit:
            body = {"where": {"messageTimestamp": window}, "page": page, "offset": size}
            data = await self._call("POST", f"/chat/findMessages/{_name(ref)}", json=body)
            pages = as_int(path(data, "messages", "pages")) or 0
            for record in as_list(path(data, "messages", "records")):
                try:
                    message = parse_message(record, sent_by_api=False, where="record")
                except MalformedPayload as exc:
                    log.warning("gateway_record_skipped", reason=str(exc))
                    continue
                if message is not None and message.timestamp >= since:
                    found.append(message)
            page += 1
        # Records come newest first; reversing (not sorting) keeps the gateway's order within a second.
        found.reverse()
        found.sort(key=lambda m: m.timestamp)
        return found[-limit:]

    async def _send(self, url: str, body: dict[str, Any], *, time_limit: float | None = None) -> SentMessage:
        response = await self._http.request(
            "POST", url, headers=self._headers, json=body, idempotent=False, time_limit=time_limit
        )
        return _sent(decode_json(response))


def _name(ref: InstanceRef) -> str:
    return quote(ref.gateway_name, safe="")


def _iso(moment: datetime) -> str:
    # Millisecond ISO with Z: what JavaScript's Date() parses everywhere.
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _key(ref: MessageRef) -> dict[str, Any]:
    key: dict[str, Any] = {"remoteJid": ref.chat_jid, "fromMe": ref.from_me, "id": ref.message_id}
    if ref.participant:
        key["participant"] = ref.participant
    return key


def _quoted(quoted: QuotedMessage) -> dict[str, Any]:
    # Without `message` Evolution looks the quote up in its own DB and silently drops it when missing.
    result: dict[str, Any] = {"key": _key(quoted.ref)}
    if quoted.text:
        result["message"] = {"conversation": quoted.text}
    return result


def _sent(data: object) -> SentMessage:
    message_id = as_str(path(data, "key", "id"))
    if message_id is None:
        raise GatewayError("gateway accepted the send but returned no message id")
    return SentMessage(message_id=message_id, chat_jid=as_str(path(data, "key", "remoteJid")))


def _qr(data: dict[str, Any] | None) -> QrCode | None:
    if data is None:
        return None
    image = as_str(data.get("base64"))
    code, pairing = as_str(data.get("code")), as_str(data.get("pairingCode"))
    if not (image or code or pairing):
        return None  # {count: 0}: not generated yet
    if image and not image.startswith("data:"):
        image = f"data:image/png;base64,{image}"
    return QrCode(data_url=image, code=code, pairing_code=pairing)


def _connect_result(data: object) -> ConnectResult:
    body = as_dict(data) or {}
    if body.get("error") is True:  # connect reports its exceptions as HTTP 200 {error, message}
        raise GatewayRejected(as_str(body.get("message")) or "the gateway could not start the connection")
    instance = as_dict(body.get("instance"))
    if instance is not None:
        state_text = (as_str(instance.get("state")) or as_str(instance.get("status")) or "").lower()
        if state_text == "open":
            return ConnectResult(state="open")
        qr = _qr(as_dict(body.get("qrcode")))
        return ConnectResult(state="qrcode" if qr else STATES.get(state_text, "close"), qr=qr)
    qr = _qr(body)
    return ConnectResult(state="qrcode" if qr else "connecting", qr=qr)


def _media_body(message: dict[str, Any]) -> dict[str, Any]:
    for wrapper in WRAPPERS:
        inner = as_dict(path(message, wrapper, "message"))
        if inner is not None:
            return _media_body(inner)
    for name, value in message.items():
        if name.endswith("Message") and isinstance(value, dict) and "mimetype" in value:
            return value
    return {}
