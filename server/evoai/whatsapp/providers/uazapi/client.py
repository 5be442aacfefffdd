"""UazapiProvider: the WhatsAppProvider for uazapiGO v2 (whatsapp-protocols.md §10).

The admin token (`admintoken` header) only creates and lists instances; everything else is addressed
by the instance's own token (`token` header), kept in InstanceRef.token.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

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
from evoai.whatsapp.providers.coerce import as_bool, as_dict, as_int, as_list, as_str, path
from evoai.whatsapp.providers.http import HttpGateway, decode_base64, decode_json, error_message
from evoai.whatsapp.providers.uazapi.messages import parse_message, strip_owner

log = structlog.get_logger(__name__)

WEBHOOK_EVENTS = ["messages", "messages_update", "connection", "contacts"]
STATES: dict[str, ConnectionState] = {
    "connected": "open",
    "connecting": "connecting",
    "disconnected": "close",
}
CONNECT_POLLS = 3
MEDIA_TIMEOUT = 120.0
PAGE_SIZE = 100


class UazapiProvider:
    name: ProviderName = "UAZAPI"

    def __init__(
        self,
        config: GatewayConfig,
        *,
        http: HttpGateway | None = None,
        connect_poll_delay: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = http or HttpGateway(config)
        self._admin = {"admintoken": config.api_key}
        self._connect_poll_delay = connect_poll_delay
        self._sleep = sleep

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, url: str, *, ref: InstanceRef | None = None, **options: Any) -> Any:
        headers = {"token": ref.token} if ref is not None else self._admin
        response = await self._http.request(method, url, headers=headers, **options)
        return decode_json(response) if response.content else None

    async def check_credentials(self) -> None:
        await self._call("GET", "/instance/all")

    async def create_instance(
        self, gateway_name: str, *, webhook_url: str, webhook_secret: str
    ) -> CreatedInstance:
        # webhook_secret travels in webhook_url (?token=…): UAZAPI cannot send custom headers.
        data = await self._call("POST", "/instance/init", json={"name": gateway_name}, idempotent=False)
        token = as_str(path(data, "token")) or as_str(path(data, "instance", "token"))
        if token is None:
            raise GatewayError("gateway created the instance but returned no token")
        ref = InstanceRef(gateway_name=gateway_name, token=token)
        webhook = {
            "enabled": True,
            "url": webhook_url,
            "events": WEBHOOK_EVENTS,
            "excludeMessages": [],  # keep our own API sends: they confirm ids and statuses
            "addUrlEvents": False,
            "addUrlTypesMessages": False,
        }
        try:
            await self._call("POST", "/webhook", ref=ref, json=webhook)
        except GatewayError:
            # An instance nobody hears from is worse than none: undo, then report the real failure.
            try:
                await self.delete_instance(ref)
            except GatewayError as cleanup:
                log.warning("gateway_cleanup_failed", instance=gateway_name, reason=cleanup.message)
            raise
        name = as_str(path(data, "name")) or as_str(path(data, "instance", "name")) or gateway_name
        return CreatedInstance(gateway_name=name, token=token)

    async def connect(self, ref: InstanceRef, *, phone: str | None = None) -> ConnectResult:
        body = {"phone": jids.digits(phone)} if phone else {}
        result = _connect_result(await self._call("POST", "/instance/connect", ref=ref, json=body))
        for _ in range(CONNECT_POLLS):
            if result.state == "open" or result.qr is not None:
                break
            # The code may show up a moment later; /instance/status is the documented way to poll it.
            await self._sleep(self._connect_poll_delay)
            result = _connect_result(await self._call("GET", "/instance/status", ref=ref))
        return result

    async def status(self, ref: InstanceRef) -> InstanceStatus:
        data = as_dict(await self._call("GET", "/instance/status", ref=ref)) or {}
        instance = as_dict(data.get("instance")) or {}
        result = _connect_result(data)
        if result.state != "open":
            return InstanceStatus(state=result.state)
        phone = jids.phone_from_text(as_str(path(data, "status", "jid", "user"))) or jids.phone_from_text(
            as_str(instance.get("owner"))
        )
        return InstanceStatus(state="open", phone=phone, profile_name=as_str(instance.get("profileName")))

    async def logout(self, ref: InstanceRef) -> None:
        response = await self._http.request(
            "POST", "/instance/disconnect", headers={"token": ref.token}, accept=(400,)
        )
        if response.status_code == 400:
            message = error_message(response)
            if not any(word in message.lower() for word in ("not connected", "disconnected", "not logged")):
                raise GatewayRejected(message, status=400)

    async def delete_instance(self, ref: InstanceRef) -> None:
        # An unknown token is how UAZAPI says "no such instance" (401), so that counts as deleted too.
        await self._http.request("DELETE", "/instance", headers={"token": ref.token}, accept=(401, 404))

    async def send_text(
        self, ref: InstanceRef, *, to: str, text: str, quoted: QuotedMessage | None = None
    ) -> SentMessage:
        body: dict[str, Any] = {"number": to, "text": text}
        if quoted is not None:
            body["replyid"] = quoted.ref.message_id
        return await self._send(ref, "/send/text", body)

    async def send_media(
        self, ref: InstanceRef, *, to: str, media: OutboundMedia, quoted: QuotedMessage | None = None
    ) -> SentMessage:
        body: dict[str, Any] = {
            "number": to,
            "type": media.kind,
            "file": base64.b64encode(media.data).decode("ascii"),
            "mimetype": media.mimetype,
        }
        if media.kind == "document":
            body["docName"] = media.file_name
        if media.caption:
            body["text"] = media.caption
        if quoted is not None:
            body["replyid"] = quoted.ref.message_id
        return await self._send(ref, "/send/media", body, time_limit=MEDIA_TIMEOUT)

    async def send_reaction(self, ref: InstanceRef, *, target: MessageRef, emoji: str) -> SentMessage:
        body = {"number": target.chat_jid, "text": emoji, "id": target.message_id}
        return _sent(await self._call("POST", "/message/react", ref=ref, json=body), target.chat_jid)

    async def mark_read(self, ref: InstanceRef, messages: list[MessageRef]) -> None:
        if messages:
            await self._call(
                "POST", "/message/markread", ref=ref, json={"id": [m.message_id for m in messages]}
            )

    async def profile_picture_url(self, ref: InstanceRef, number: str) -> str | None:
        data = await self._call("POST", "/chat/details", ref=ref, json={"number": number, "preview": False})
        return as_str(path(data, "image"))

    async def download_media(self, ref: InstanceRef, raw: dict[str, Any]) -> DownloadedMedia:
        message_id = as_str(raw.get("messageid")) or as_str(raw.get("id"))
        if message_id is None:
            raise GatewayError("message has no id to download its media")
        body = {"id": message_id, "return_base64": True, "generate_mp3": False}
        data = (
            as_dict(
                await self._call("POST", "/message/download", ref=ref, json=body, time_limit=MEDIA_TIMEOUT)
            )
            or {}
        )
        mimetype = as_str(data.get("mimetype")) or "application/octet-stream"
        file_name = as_str(path(raw, "content", "fileName"))
        encoded = as_str(data.get("base64Data"))
        if encoded:
            return DownloadedMedia(data=decode_base64(encoded), mimetype=mimetype, file_name=file_name)
        url = as_str(data.get("fileURL"))
        if url is None or not url.startswith(("http://", "https://")):
            raise GatewayError("gateway returned neither bytes nor a link for this media")
        # A public link, possibly on another host: never send the instance token along.
        response = await self._http.request("GET", url, time_limit=MEDIA_TIMEOUT)
        return DownloadedMedia(data=response.content, mimetype=mimetype, file_name=file_name)

    async def recent_messages(
        self, ref: InstanceRef, *, since: datetime, limit: int = 200
    ) -> list[InboundMessage]:
        since = since if since.tzinfo else since.replace(tzinfo=UTC)  # naive means UTC, as everywhere here
        # /message/find has no time filter: pages come newest first, so stop at the first older one.
        found: list[InboundMessage] = []
        offset, size = 0, max(1, min(limit, PAGE_SIZE))
        while len(found) < limit:
            data = await self._call("POST", "/message/find", ref=ref, json={"limit": size, "offset": offset})
            items = as_list(path(data, "messages"))
            reached_older = False
            for item in items:
                try:
                    message = parse_message(item, where="record")
                except MalformedPayload as exc:
                    log.warning("gateway_record_skipped", reason=str(exc))
                    continue
                if message.timestamp < since:
                    reached_older = True
                    continue
                found.append(message)
            has_more = as_bool(path(data, "hasMore"))
            if reached_older or not items or has_more is False:
                break
            offset = as_int(path(data, "nextOffset")) or offset + len(items)
        found.sort(key=lambda m: m.timestamp)
        return found[-limit:]

    async def _send(
        self, ref: InstanceRef, url: str, body: dict[str, Any], *, time_limit: float | None = None
    ) -> SentMessage:
        data = await self._call("POST", url, ref=ref, json=body, idempotent=False, time_limit=time_limit)
        return _sent(data, None)


def _sent(data: object, chat_jid: str | None) -> SentMessage:
    message_id = as_str(path(data, "messageid")) or as_str(path(data, "id"))
    if message_id is None:
        raise GatewayError("gateway accepted the send but returned no message id")
    return SentMessage(message_id=strip_owner(message_id), chat_jid=as_str(path(data, "chatid")) or chat_jid)


def _connect_result(data: object) -> ConnectResult:
    instance = as_dict(path(data, "instance")) or {}
    connected = as_bool(path(data, "connected")) or as_bool(path(data, "status", "connected"))
    status = (as_str(instance.get("status")) or "").lower()
    if connected and as_bool(path(data, "status", "loggedIn")) is not False and status != "connecting":
        return ConnectResult(state="open")
    if status == "connected":
        return ConnectResult(state="open")
    image, pairing = as_str(instance.get("qrcode")), as_str(instance.get("paircode"))
    if image or pairing:
        if image and not image.startswith("data:"):
            image = f"data:image/png;base64,{image}"
        return ConnectResult(state="qrcode", qr=QrCode(data_url=image, pairing_code=pairing))
    return ConnectResult(state=STATES.get(status, "close"))
