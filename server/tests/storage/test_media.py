"""Media validation trusts the bytes over the sender's declared type."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from evoai.exceptions import Unprocessable
from evoai.storage.media import MediaRejected, media_key, mimetype_for_extension, validate_media
from tests.storage import samples

LIMIT = 16 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("sample", "kind", "declared", "mimetype", "extension"),
    [
        (samples.png, "image", "image/png", "image/png", "png"),
        (samples.jpeg, "image", "image/jpeg", "image/jpeg", "jpg"),
        (samples.jpeg, "image", "image/png", "image/jpeg", "jpg"),  # the bytes win over the declaration
        (samples.webp, "sticker", "image/webp", "image/webp", "webp"),
        (samples.pdf, "document", "application/pdf", "application/pdf", "pdf"),
        (samples.docx, "document", "application/octet-stream", DOCX, "docx"),
        (lambda: samples.zip_with("a.txt"), "document", None, "application/zip", "zip"),
        (samples.ogg_opus, "ptt", "audio/ogg; codecs=opus", "audio/ogg", "ogg"),
        (samples.ogg_opus, "audio", None, "audio/ogg", "ogg"),
        (samples.mp4_audio, "audio", "audio/mp4", "audio/mp4", "m4a"),
        (samples.mp4_audio, "video", "video/mp4", "video/mp4", "mp4"),
        (samples.png, "document", "image/png", "image/png", "png"),  # photo sent "as document"
    ],
)
def test_accepted(
    sample: Callable[[], bytes], kind: str, declared: str | None, mimetype: str, extension: str
) -> None:
    data = sample()
    media = validate_media(data, kind, declared, max_bytes=LIMIT)
    assert (media.mimetype, media.extension, media.size) == (mimetype, extension, len(data))


@pytest.mark.parametrize(
    ("declared", "mimetype", "extension"),
    [
        ("text/plain; charset=utf-8", "text/plain", "txt"),
        ("text/csv", "text/csv", "csv"),
        ("text/x-vcard", "text/x-vcard", "vcf"),
    ],
)
def test_text_documents_fall_back_to_the_declared_type(declared: str, mimetype: str, extension: str) -> None:
    media = validate_media(b"nome;telefone\nAna;+5511999990000\n", "document", declared, max_bytes=LIMIT)
    assert (media.mimetype, media.extension) == (mimetype, extension)


def test_unsniffable_opus_falls_back_for_voice_notes_only() -> None:
    raw = b"\x4f\x70\x75\x73" + bytes(range(60))
    assert validate_media(raw, "ptt", "audio/ogg; codecs=opus", max_bytes=LIMIT).mimetype == "audio/ogg"
    with pytest.raises(MediaRejected):
        validate_media(raw, "video", "audio/ogg; codecs=opus", max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("sample", "kind", "declared", "reason"),
    [
        (samples.elf, "document", "application/pdf", "executáveis"),
        (samples.exe, "document", "application/octet-stream", "executáveis"),
        (samples.elf, "document", "text/plain", "executáveis"),
        (lambda: samples.elf()[:20], "document", "text/plain", "executáveis"),  # too short for filetype
        (lambda: b"#!/bin/sh\nrm -rf /\n", "document", "text/plain", "executáveis"),
        (lambda: samples.zip_with("META-INF/MANIFEST.MF"), "document", "application/zip", "executáveis"),
        (lambda: samples.zip_with("AndroidManifest.xml"), "document", None, "executáveis"),
        (samples.png, "video", "video/mp4", "image/png não é aceito como vídeo"),
        (samples.png, "sticker", "image/webp", "não é aceito como figurinha"),
        (samples.pdf, "image", "image/jpeg", "não é aceito como imagem"),
        (samples.pdf, "ptt", "audio/ogg", "não é aceito como mensagem de voz"),
        (lambda: b"plain text", "document", "application/octet-stream", "identificar"),
        (lambda: b"bin\x00ary", "document", "text/plain", "identificar"),
        (lambda: b"", "image", "image/png", "vazio"),
        (samples.png, "location", "image/png", "desconhecido"),
    ],
)
def test_rejected(sample: Callable[[], bytes], kind: str, declared: str | None, reason: str) -> None:
    with pytest.raises(MediaRejected) as caught:
        validate_media(sample(), kind, declared, max_bytes=LIMIT)
    assert reason in caught.value.reason


def test_size_limit() -> None:
    data = samples.png() + b"\x00" * 2048
    assert validate_media(data, "image", None, max_bytes=len(data)).size == len(data)
    with pytest.raises(MediaRejected, match="limite de 16 MB"):
        validate_media(b"\x00" * (LIMIT + 1), "document", None, max_bytes=LIMIT)
    with pytest.raises(MediaRejected, match="limite"):
        validate_media(data, "image", None, max_bytes=len(data) - 1)


def test_rejection_renders_as_a_422_app_error() -> None:
    error = MediaRejected("Arquivo vazio")
    assert isinstance(error, Unprocessable)
    assert (error.status_code, error.code, error.message) == (422, "media_rejected", "Arquivo vazio")


def test_media_key() -> None:
    company = uuid.uuid4()
    name = uuid.uuid4().hex
    key = media_key(company, "image", name, "png", now=datetime(2025, 3, 9, tzinfo=UTC))
    assert key == f"companies/{company}/media/2025/03/{name}.png"
    sha = "A" * 64
    assert media_key(str(company), "document", sha, "pdf").endswith(f"/{'a' * 64}.pdf")


@pytest.mark.parametrize(
    ("company", "kind", "name", "ext"),
    [
        ("not-a-uuid", "image", "a" * 32, "png"),
        (str(uuid.uuid4()), "location", "a" * 32, "png"),
        (str(uuid.uuid4()), "image", "../../etc", "png"),
        (str(uuid.uuid4()), "image", "a" * 32, "p/ng"),
        (str(uuid.uuid4()), "image", "a" * 32, "PNG"),
    ],
)
def test_media_key_refuses_unsafe_parts(company: str, kind: str, name: str, ext: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        media_key(company, kind, name, ext)


def test_mimetype_for_extension() -> None:
    assert mimetype_for_extension("PNG") == "image/png"
    assert mimetype_for_extension("docx") == DOCX
    assert mimetype_for_extension("exe") == "application/octet-stream"
    assert mimetype_for_extension("svg") == "application/octet-stream"
