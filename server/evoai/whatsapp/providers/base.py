"""The one typed contract between our code and a WhatsApp gateway (Evolution API v2 or UAZAPI).

Adapters translate these calls and types to their gateway's HTTP protocol and back; nothing else in
the code base talks to a gateway or reads a gateway's payload shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

ProviderName = Literal["EVOLUTION", "UAZAPI"]
PROVIDERS: tuple[ProviderName, ...] = ("EVOLUTION", "UAZAPI")

# Our vocabulary (spec 6.1): a gateway's own states are mapped onto these.
ConnectionState = Literal["close", "qrcode", "connecting", "open"]

MessageKind = Literal[
    "text",
    "image",
    "video",
    "audio",
    "ptt",
    "document",
    "sticker",
    "location",
    "contact",
    "reaction",
    "unknown",
]
MEDIA_KINDS: frozenset[str] = frozenset({"image", "video", "audio", "ptt", "document", "sticker"})

# Delivery states of a message (spec 6.2). Ranked so a late or repeated receipt never moves a
# message backwards; FAILED is outside the ranking.
MessageStatus = Literal["PENDING", "SENT", "DELIVERED", "READ", "PLAYED", "FAILED", "RECEIVED"]
STATUS_RANK: dict[str, int] = {"PENDING": 0, "SENT": 1, "DELIVERED": 2, "READ": 3, "PLAYED": 4}


# ---------------------------------------------------------------------------------------------
# Errors raised by adapters
# ---------------------------------------------------------------------------------------------


class GatewayError(Exception):
    """Base class. `retryable` tells a job whether trying again later can help."""

    retryable = False

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class GatewayUnavailable(GatewayError):
    """Timeout, connection error, 5xx/429 after retries, or the circuit breaker is open."""

    retryable = True


class GatewayAuthError(GatewayError):
    """The gateway refused our key (401/403)."""


class GatewayRejected(GatewayError):
    """The gateway understood and refused the request (4xx other than auth), e.g. number not on WhatsApp."""


class MalformedPayload(ValueError):
    """A webhook body that cannot be a gateway event; the message says what is wrong."""


# ---------------------------------------------------------------------------------------------
# Outbound calls
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstanceRef:
    """How a gateway addresses one instance: Evolution by name, UAZAPI by the instance token."""

    gateway_name: str
    token: str = ""


@dataclass(frozen=True)
class QrCode:
    data_url: str | None = None  # "data:image/png;base64,..."
    code: str | None = None  # raw QR payload
    pairing_code: str | None = None


@dataclass(frozen=True)
class CreatedInstance:
    gateway_name: str
    token: str  # the instance token (Evolution "hash", UAZAPI "token")
    qr: QrCode | None = None


@dataclass(frozen=True)
class ConnectResult:
    state: ConnectionState
    qr: QrCode | None = None


@dataclass(frozen=True)
class InstanceStatus:
    state: ConnectionState
    phone: str | None = None  # the instance's own number, digits only, once connected
    profile_name: str | None = None


@dataclass(frozen=True)
class MessageRef:
    """Enough to point at one WhatsApp message (reply, reaction, read receipt, media download)."""

    chat_jid: str
    message_id: str
    from_me: bool
    participant: str | None = None  # author JID in groups


@dataclass(frozen=True)
class QuotedMessage:
    ref: MessageRef
    text: str | None = None


@dataclass(frozen=True)
class OutboundMedia:
    kind: Literal["image", "video", "audio", "ptt", "document"]
    data: bytes
    mimetype: str
    file_name: str
    caption: str | None = None


@dataclass(frozen=True)
class SentMessage:
    message_id: str  # the WhatsApp id (Evolution key.id, UAZAPI messageid)
    chat_jid: str | None = None  # the JID WhatsApp resolved (may drop Brazil's 9th digit)


@dataclass(frozen=True)
class DownloadedMedia:
    data: bytes
    mimetype: str
    file_name: str | None = None


@dataclass(frozen=True)
class GatewayConfig:
    base_url: str
    api_key: str  # Evolution global key / UAZAPI admin token
    timeout_seconds: float = 15.0


# ---------------------------------------------------------------------------------------------
# Normalised webhook events (what parse_* functions return)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaInfo:
    mimetype: str | None = None
    file_name: str | None = None
    size: int | None = None
    seconds: int | None = None
    base64: str | None = None  # inline bytes when the gateway sent them (raw base64, no data: prefix)
    url: str | None = (
        None  # a plain downloadable URL (Evolution S3 mediaUrl, UAZAPI fileURL), never a .enc CDN URL
    )


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class ContactCard:
    name: str
    vcard: str
    phone: str | None = None  # digits from TEL;waid=…


@dataclass(frozen=True)
class InboundMessage:
    """One message event (received, typed on the company's phone, or echoed from an API send)."""

    message_id: str
    chat_jid: str
    is_group: bool
    from_me: bool
    sent_by_api: bool  # Evolution send.message, UAZAPI wasSentByApi
    timestamp: datetime  # aware, UTC
    kind: MessageKind
    # The other person in a 1:1 chat (also when from_me): digits of the phone JID, and the LID JID.
    phone: str | None = None
    lid: str | None = None
    push_name: str | None = None  # sender's display name; not meaningful when from_me
    # Groups only: who wrote it.
    author_phone: str | None = None
    author_lid: str | None = None
    group_name: str | None = None
    text: str | None = None  # body or caption
    media: MediaInfo | None = None
    location: Location | None = None
    contacts: tuple[ContactCard, ...] = ()
    reply_to_id: str | None = None
    reply_to_text: str | None = None
    reaction_target_id: str | None = None
    reaction_emoji: str | None = None  # "" = reaction removed
    status: MessageStatus = "RECEIVED"
    # The gateway's own message object, kept so the adapter can download the media later.
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class StatusUpdate:
    message_ids: tuple[str, ...]
    status: MessageStatus
    chat_jid: str | None = None


@dataclass(frozen=True)
class MessageDeleted:
    message_id: str
    chat_jid: str | None = None


@dataclass(frozen=True)
class ConnectionUpdate:
    state: ConnectionState
    phone: str | None = None
    profile_name: str | None = None
    reason: int | None = None


@dataclass(frozen=True)
class QrUpdated:
    qr: QrCode | None  # None when the gateway gave up (QR limit reached)


@dataclass(frozen=True)
class ContactSeen:
    jid: str
    phone: str | None = None
    lid: str | None = None
    name: str | None = None
    picture_url: str | None = None


@dataclass(frozen=True)
class Ignored:
    event: str


WebhookEvent = (
    InboundMessage | StatusUpdate | MessageDeleted | ConnectionUpdate | QrUpdated | ContactSeen | Ignored
)


@dataclass(frozen=True)
class ParsedWebhook:
    provider: ProviderName
    instance_name: str | None  # the gateway's instance name in the body, if any
    token: str | None  # UAZAPI's instance token in the body, if any
    events: tuple[WebhookEvent, ...]


# ---------------------------------------------------------------------------------------------
# The provider interface
# ---------------------------------------------------------------------------------------------


class WhatsAppProvider(Protocol):
    name: ProviderName

    async def check_credentials(self) -> None:
        """Raise GatewayAuthError for a wrong key, GatewayUnavailable for an unreachable URL."""

    async def create_instance(
        self, gateway_name: str, *, webhook_url: str, webhook_secret: str
    ) -> CreatedInstance: ...

    async def connect(self, ref: InstanceRef, *, phone: str | None = None) -> ConnectResult: ...

    async def status(self, ref: InstanceRef) -> InstanceStatus: ...

    async def logout(self, ref: InstanceRef) -> None: ...

    async def delete_instance(self, ref: InstanceRef) -> None: ...

    async def send_text(
        self, ref: InstanceRef, *, to: str, text: str, quoted: QuotedMessage | None = None
    ) -> SentMessage: ...

    async def send_media(
        self, ref: InstanceRef, *, to: str, media: OutboundMedia, quoted: QuotedMessage | None = None
    ) -> SentMessage: ...

    async def send_reaction(self, ref: InstanceRef, *, target: MessageRef, emoji: str) -> SentMessage: ...

    async def mark_read(self, ref: InstanceRef, messages: list[MessageRef]) -> None: ...

    async def profile_picture_url(self, ref: InstanceRef, number: str) -> str | None: ...

    async def download_media(self, ref: InstanceRef, raw: dict[str, Any]) -> DownloadedMedia:
        """Bytes of an inbound message's media, given InboundMessage.raw."""

    async def recent_messages(
        self, ref: InstanceRef, *, since: datetime, limit: int = 200
    ) -> list[InboundMessage]:
        """Messages the gateway holds since `since` (both directions), for reconciliation."""

    async def aclose(self) -> None: ...
