"""What a WhatsApp media file really is, whether we keep it, and where it goes.

The declared mimetype comes from the sender and is not trusted: the bytes are sniffed, and the
declaration is only a fallback for formats without a signature (plain text, CSV, vCard, bare Opus).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

import filetype

from evoai.exceptions import Unprocessable

MediaKind = Literal["image", "video", "audio", "ptt", "document", "sticker"]
MEDIA_KINDS: frozenset[str] = frozenset(get_args(MediaKind))
_KIND_LABEL = {
    "image": "imagem",
    "video": "vídeo",
    "audio": "áudio",
    "ptt": "mensagem de voz",
    "document": "documento",
    "sticker": "figurinha",
}

# Sniffed type -> the type we store it as, per kind. Containers shared by audio and video (mp4,
# webm) are renamed by kind, because an audio-only file is sniffed as video.
_IMAGE = {t: t for t in ("image/jpeg", "image/png", "image/gif", "image/webp")}
_VIDEO = {
    "video/mp4": "video/mp4",
    "video/x-m4v": "video/mp4",
    "video/3gpp": "video/3gpp",
    "video/quicktime": "video/quicktime",
    "video/webm": "video/webm",
}
_AUDIO = {
    "audio/ogg": "audio/ogg",
    "audio/mpeg": "audio/mpeg",
    "audio/mp4": "audio/mp4",
    "video/mp4": "audio/mp4",
    "audio/aac": "audio/aac",
    "audio/amr": "audio/amr",
    "audio/x-wav": "audio/wav",
    "video/webm": "audio/webm",
}
_ALLOWED: dict[str, dict[str, str]] = {
    "image": _IMAGE,
    "video": _VIDEO,
    "audio": _AUDIO,
    "ptt": _AUDIO,
    "sticker": {"image/webp": "image/webp"},
    # Photos and clips are often sent "as document" to avoid WhatsApp's recompression.
    "document": {**_AUDIO, **_IMAGE, **_VIDEO},
}
_TEXT_LIKE = {
    "text/plain": "txt",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/vcard": "vcf",
    "text/x-vcard": "vcf",
    "text/calendar": "ics",
}
_OPUS_DECLARED = {"audio/ogg", "audio/opus"}
_BLOCKED_APPLICATION = {
    "application/x-msdownload",
    "application/x-dosexec",
    "application/x-executable",
    "application/x-elf",
    "application/x-sharedlib",
    "application/x-mach-binary",
    "application/x-sh",
    "application/x-csh",
    "application/x-shellscript",
    "application/x-bat",
    "application/x-msi",
    "application/x-ms-installer",
    "application/java-archive",
    "application/x-java-archive",
    "application/java-vm",
    "application/vnd.microsoft.portable-executable",
    "application/vnd.android.package-archive",
    "application/x-apple-diskimage",
    "application/x-deb",
    "application/x-rpm",
    "application/vnd.ms-cab-compressed",
    "application/x-google-chrome-extension",
    "application/x-shockwave-flash",
    "application/wasm",
    "application/javascript",
    "application/x-javascript",
    "application/hta",
}
# Signatures filetype misses or only matches on longer buffers (short ELF, Mach-O, Java class).
_EXECUTABLE_MAGIC = (
    b"\x7fELF",
    b"MZ",
    b"#!",
    b"\xca\xfe\xba\xbe",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_OFFICE = {
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
}
_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/3gpp": "3gp",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/amr": "amr",
    "audio/wav": "wav",
    "audio/webm": "weba",
    **_OLE_OFFICE,
    **_TEXT_LIKE,
}
_SAFE_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9-]{8,128}$")


class MediaRejected(Unprocessable):
    code = "media_rejected"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ValidatedMedia:
    mimetype: str
    extension: str
    size: int


def _base_type(mimetype: str | None) -> str:
    return (mimetype or "").split(";", 1)[0].strip().lower()


def _zip_first_entry(data: bytes) -> bytes:
    if not data.startswith(b"PK\x03\x04") or len(data) < 30:
        return b""
    name_length = int.from_bytes(data[26:28], "little")
    return data[30 : 30 + name_length]


def _is_executable(data: bytes, sniffed: str | None) -> bool:
    if data.startswith(_EXECUTABLE_MAGIC) or sniffed in _BLOCKED_APPLICATION:
        return True
    # Java and Android packages are plain zips to a sniffer; their first entry gives them away.
    first = _zip_first_entry(data)
    return first.startswith(b"META-INF/") or first in (b"AndroidManifest.xml", b"classes.dex")


def _document_type(data: bytes, sniffed: str | None, declared: str) -> tuple[str, str] | None:
    if sniffed is not None:
        if sniffed.startswith("application/"):
            kind = filetype.get_type(mime=sniffed)
            return sniffed, _EXTENSIONS.get(sniffed) or (kind.extension if kind else "bin")
        return None
    if declared in _TEXT_LIKE and b"\x00" not in data:
        return declared, _TEXT_LIKE[declared]
    # Legacy Office files are OLE containers filetype only partly recognises (and so are .msi files,
    # which is why the sender's declaration must name an Office type).
    if declared in _OLE_OFFICE and data.startswith(_OLE_MAGIC):
        return declared, _OLE_OFFICE[declared]
    return None


def validate_media(
    data: bytes, kind: str, declared_mimetype: str | None = None, *, max_bytes: int
) -> ValidatedMedia:
    """Sniff `data`, check it against what `kind` may carry, or raise MediaRejected."""
    if kind not in MEDIA_KINDS:
        raise MediaRejected(f"Tipo de mídia desconhecido: {kind}")
    if not data:
        raise MediaRejected("Arquivo vazio")
    if len(data) > max_bytes:
        raise MediaRejected(f"Arquivo excede o limite de {max_bytes / 1_048_576:.0f} MB")
    guessed = filetype.guess(data)
    sniffed: str | None = guessed.mime if guessed else None
    declared = _base_type(declared_mimetype)
    if _is_executable(data, sniffed):
        raise MediaRejected("Arquivos executáveis ou scripts não são permitidos")

    stored = _ALLOWED[kind].get(sniffed or "")
    if stored is not None:
        return ValidatedMedia(stored, _EXTENSIONS[stored], len(data))
    if kind == "document":
        found = _document_type(data, sniffed, declared)
        if found is not None:
            return ValidatedMedia(found[0], _safe_extension(found[1]), len(data))
    elif kind in ("audio", "ptt") and sniffed is None and declared in _OPUS_DECLARED:
        return ValidatedMedia("audio/ogg", "ogg", len(data))

    if sniffed is None:
        raise MediaRejected("Não foi possível identificar o tipo do arquivo")
    raise MediaRejected(f"Arquivo do tipo {sniffed} não é aceito como {_KIND_LABEL[kind]}")


def _safe_extension(extension: str) -> str:
    lowered = extension.lower()
    return lowered if _SAFE_EXTENSION.match(lowered) else "bin"


def _application_extensions() -> dict[str, str]:
    table = {t.extension: t.mime for t in filetype.types if t.mime.startswith("application/")}
    return {ext: mime for ext, mime in table.items() if mime not in _BLOCKED_APPLICATION}


def _mimetype_by_extension() -> dict[str, str]:
    table = _application_extensions()
    for mime, ext in reversed(_EXTENSIONS.items()):  # reversed: the first type listed for an ext wins
        table[ext] = mime
    return table


_MIMETYPE_BY_EXTENSION = _mimetype_by_extension()


def mimetype_for_extension(extension: str) -> str:
    """The Content-Type to serve a stored file with; unknown extensions are opaque bytes."""
    return _MIMETYPE_BY_EXTENSION.get(extension.lower(), "application/octet-stream")


def media_key(
    company_id: uuid.UUID | str, kind: str, sha256_or_uuid: str, ext: str, *, now: datetime | None = None
) -> str:
    """`companies/<company>/media/<yyyy>/<mm>/<name>.<ext>`.

    The kind is checked but kept out of the path, so a message re-classified later (an image sent
    as a document) does not have to move its file.
    """
    if kind not in MEDIA_KINDS:
        raise ValueError(f"unknown media kind: {kind}")
    if not _SAFE_NAME.match(sha256_or_uuid):
        raise ValueError("file name must be a sha256 or a uuid")
    if not _SAFE_EXTENSION.match(ext):
        raise ValueError("extension must be 1-10 lowercase letters or digits")
    company = uuid.UUID(str(company_id))
    moment = now or datetime.now(UTC)
    return f"companies/{company}/media/{moment:%Y}/{moment:%m}/{sha256_or_uuid.lower()}.{ext}"
