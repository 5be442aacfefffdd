"""Files attached to deals: type checked by content, stored through the storage layer, listed with
short-lived signed links, removed from storage when the attachment (or its deal) goes."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from typing import Any

import filetype
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.deals import events
from evoai.deals.activities import Actor, log_activity
from evoai.deals.serialise import iso, people, person
from evoai.deals.service import get_deal
from evoai.exceptions import AppError, NotFound, ServiceUnavailable
from evoai.models import DealAttachment
from evoai.storage import InvalidKey, StorageError, get_storage
from evoai.storage.base import safe_download_name

log = structlog.get_logger(__name__)

# Links in a listing are meant to be followed at once; a new listing signs new ones.
LINK_TTL_SECONDS = 900

PDF = "application/pdf"
DOC, XLS, PPT = "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ZIP = "application/zip"

# Types with a signature the sniffer knows, and the extensions a file of that type may carry.
_SNIFFED: dict[str, tuple[str, ...]] = {
    PDF: ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
}
# Zip containers: Office Open XML files are zips the sniffer only sometimes recognises, so the
# extension names which one it is.
_ZIP_BY_EXTENSION = {"docx": DOCX, "xlsx": XLSX, "pptx": PPTX, "zip": ZIP}
_ZIP_FAMILY = {ZIP, DOCX, XLSX, PPTX}
# Legacy Office files are OLE compound files (so are .msi installers: the extension must be Office's).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_BY_EXTENSION = {"doc": DOC, "xls": XLS, "ppt": PPT}
# No signature at all: plain text only, named as such.
_TEXT_BY_EXTENSION = {"txt": "text/plain", "csv": "text/csv"}
_ACCEPTED = "PDF, DOC(X), XLS(X), PPT(X), PNG, JPEG, GIF, WEBP, TXT, CSV ou ZIP"


class AttachmentTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


class AttachmentTypeRefused(AppError):
    status_code = 415
    code = "unsupported_media_type"


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _refuse(reason: str) -> AttachmentTypeRefused:
    return AttachmentTypeRefused(f"{reason}. Tipos aceitos: {_ACCEPTED}", details=[{"field": "file"}])


def _is_java_or_android(data: bytes) -> bool:
    """Java and Android packages are zips whose first entry gives them away."""
    if len(data) < 30:
        return False
    length = int.from_bytes(data[26:28], "little")
    first = data[30 : 30 + length]
    return first.startswith(b"META-INF/") or first in (b"AndroidManifest.xml", b"classes.dex")


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        decoded = data.decode("latin-1")
    controls = sum(1 for ch in decoded if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f")
    return controls <= len(decoded) // 100


def classify(data: bytes, file_name: str) -> tuple[str, str]:
    """(mime type, extension) of an upload, decided by its bytes; the name's extension only picks
    between formats that share a container (zip, OLE) or have no signature (text). A name whose
    extension contradicts the content is refused."""
    ext = _extension(file_name)
    guessed = filetype.guess(data)
    sniffed: str | None = guessed.mime if guessed else None
    if data.startswith(b"PK\x03\x04") or sniffed in _ZIP_FAMILY:
        if _is_java_or_android(data):
            raise _refuse("Pacotes Java/Android não são aceitos")
        if ext in _ZIP_BY_EXTENSION:
            return _ZIP_BY_EXTENSION[ext], ext
        if not ext:
            mime = sniffed if sniffed is not None and sniffed in _ZIP_FAMILY else ZIP
            return mime, next(e for e, m in _ZIP_BY_EXTENSION.items() if m == mime)
        raise _refuse(f"Arquivo compactado com extensão .{ext}")
    if data.startswith(_OLE_MAGIC):
        if ext in _OLE_BY_EXTENSION:
            return _OLE_BY_EXTENSION[ext], ext
        if not ext and sniffed is not None and sniffed in _OLE_BY_EXTENSION.values():
            return sniffed, next(e for e, m in _OLE_BY_EXTENSION.items() if m == sniffed)
        raise _refuse("Documento do Office com extensão desconhecida")
    if sniffed is not None:
        allowed = _SNIFFED.get(sniffed)
        if allowed is None:
            raise _refuse(f"Arquivos do tipo {sniffed} não são aceitos")
        if ext and ext not in allowed:
            raise _refuse(f"O conteúdo ({sniffed}) não corresponde à extensão .{ext}")
        return sniffed, ext or allowed[0]
    if ext in _TEXT_BY_EXTENSION and _looks_like_text(data):
        return _TEXT_BY_EXTENSION[ext], ext
    raise _refuse("Não foi possível reconhecer o tipo do arquivo")


def _key_name(name: str, ext: str) -> str:
    """An ASCII, key-safe version of the file name (the real name is kept in the row)."""
    stem = name.rpartition(".")[0] if _extension(name) else name
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", folded).strip("-_")[:80] or "arquivo"
    return f"{slug}.{ext}"


def attachment_key(company_id: uuid.UUID, deal_id: uuid.UUID, name: str, ext: str) -> str:
    return f"deals/{company_id}/{deal_id}/{uuid.uuid4().hex}-{_key_name(name, ext)}"


async def _signed(settings: Settings, attachment: DealAttachment) -> str | None:
    try:
        return await get_storage(settings).signed_url(
            attachment.file_key,
            ttl_seconds=min(LINK_TTL_SECONDS, settings.MEDIA_URL_TTL_SECONDS),
            download_name=attachment.file_name,
        )
    except StorageError:
        log.warning("deals.attachment_unsigned", attachment_id=str(attachment.id))
        return None


async def attachment_out(
    settings: Settings, attachment: DealAttachment, names: dict[uuid.UUID, str]
) -> dict[str, Any]:
    return {
        "id": str(attachment.id),
        "dealId": str(attachment.deal_id),
        "fileName": attachment.file_name,
        "fileUrl": await _signed(settings, attachment),
        "fileSize": attachment.file_size,
        "mimeType": attachment.mime_type,
        "storageProvider": attachment.storage_provider,
        "createdBy": person(attachment.user_id, names),
        "createdAt": iso(attachment.created_at),
    }


async def list_attachments(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, deal_id: uuid.UUID
) -> list[dict[str, Any]]:
    await get_deal(session, company_id, deal_id)
    rows = (
        await session.scalars(
            select(DealAttachment)
            .where(DealAttachment.company_id == company_id, DealAttachment.deal_id == deal_id)
            .order_by(DealAttachment.created_at.desc(), DealAttachment.id.desc())
        )
    ).all()
    names = await people(session, (row.user_id for row in rows))
    return [await attachment_out(settings, row, names) for row in rows]


async def add_attachment(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    file_name: str | None,
    data: bytes,
    user_id: uuid.UUID | None,
    actor: Actor = "user",
) -> dict[str, Any]:
    """Stores the file, then its row. `data` is at most DEAL_ATTACHMENT_MAX_BYTES + 1 bytes."""
    deal = await get_deal(session, company_id, deal_id)
    if len(data) > settings.DEAL_ATTACHMENT_MAX_BYTES:
        limit_mb = settings.DEAL_ATTACHMENT_MAX_BYTES / 1_048_576
        raise AttachmentTooLarge(
            f"Arquivo maior que o limite de {limit_mb:.1f} MB".replace(".0 MB", " MB"),
            details=[{"field": "file", "maxBytes": settings.DEAL_ATTACHMENT_MAX_BYTES}],
        )
    name = safe_download_name(file_name or "arquivo")  # at most 200 characters
    mime, ext = classify(data, name)
    if not _extension(name):
        name = f"{name}.{ext}"
    key = attachment_key(company_id, deal.id, name, ext)
    try:
        await get_storage(settings).put(key, data, mime)
    except StorageError as exc:
        log.error("deals.attachment_store_failed", error=str(exc)[:200])
        raise ServiceUnavailable("Não foi possível guardar o arquivo agora; tente novamente") from exc
    attachment = DealAttachment(
        id=uuid.uuid4(),
        company_id=company_id,
        deal_id=deal.id,
        user_id=user_id,
        file_name=name,
        file_key=key,
        file_size=len(data),
        mime_type=mime,
        storage_provider=settings.STORAGE_PROVIDER,
    )
    session.add(attachment)
    log_activity(
        session,
        deal,
        "ATTACHMENT_ADDED",
        f"Anexo adicionado: {name}",
        actor=actor,
        user_id=user_id,
        metadata={
            "attachmentId": str(attachment.id),
            "fileName": name,
            "fileSize": len(data),
            "mimeType": mime,
        },
    )
    try:
        await session.flush()
    except Exception:
        await remove_files(settings, [key])
        raise
    await session.refresh(attachment)
    await events.deal_updated(session, settings, company_id, deal.id)
    return await attachment_out(settings, attachment, await people(session, [user_id]))


async def delete_attachment(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    attachment_id: uuid.UUID,
    user_id: uuid.UUID | None,
    actor: Actor = "user",
) -> str:
    """Deletes the row and returns the file's key, for removal once the deletion commits."""
    deal = await get_deal(session, company_id, deal_id)
    attachment = await session.scalar(
        select(DealAttachment).where(
            DealAttachment.id == attachment_id,
            DealAttachment.deal_id == deal.id,
            DealAttachment.company_id == company_id,
        )
    )
    if attachment is None:
        raise NotFound("Anexo não encontrado")
    key = attachment.file_key
    log_activity(
        session,
        deal,
        "ATTACHMENT_REMOVED",
        f"Anexo removido: {attachment.file_name}",
        actor=actor,
        user_id=user_id,
        metadata={"attachmentId": str(attachment.id), "fileName": attachment.file_name},
    )
    await session.delete(attachment)
    await session.flush()
    await events.deal_updated(session, settings, company_id, deal.id)
    return key


async def remove_files(settings: Settings, keys: Iterable[str]) -> None:
    """Best effort: a file that cannot be removed now is logged (an orphan costs only space)."""
    storage = get_storage(settings)
    for key in keys:
        try:
            await storage.delete(key)
        except (StorageError, InvalidKey, OSError) as exc:
            log.warning("deals.attachment_file_left", key=key, error=str(exc)[:200])
