"""GET /api/media/{key} on a minimal app with the project's error handlers."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from evoai import exception_handlers
from evoai.config import Settings
from evoai.storage import get_storage, signing
from evoai.storage.endpoints import router
from evoai.storage.local import LocalStorage
from tests.conftest import Services
from tests.storage import samples
from tests.storage.conftest import storage_settings

KEY = "companies/c1/media/2025/01/photo.png"


def make_app(settings: Settings) -> FastAPI:
    app = FastAPI()
    app.state.evoai = SimpleNamespace(settings=settings)  # the route only reads the settings
    exception_handlers.install(app)
    app.include_router(router, prefix="/api")
    return app


async def open_client(settings: Settings) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=make_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def http(local_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with await open_client(local_settings) as client:
        yield client


@pytest.fixture
async def store(local_settings: Settings) -> LocalStorage:
    storage = get_storage(local_settings)
    assert isinstance(storage, LocalStorage)
    await storage.put(KEY, samples.png(), "image/png")
    return storage


async def test_serves_inline_with_headers(http: httpx.AsyncClient, store: LocalStorage) -> None:
    response = await http.get(await store.signed_url(KEY, ttl_seconds=300))
    assert response.status_code == 200
    assert response.content == samples.png()
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"] == "inline"
    assert response.headers["x-content-type-options"] == "nosniff"
    cache = response.headers["cache-control"]
    assert cache.startswith("private, max-age=")
    assert 295 <= int(cache.rsplit("=", 1)[1]) <= 300


async def test_download_name_makes_an_attachment(http: httpx.AsyncClient, store: LocalStorage) -> None:
    url = await store.signed_url(KEY, ttl_seconds=60, download_name='Relatório "final"\r\nX: y.png')
    response = await http.get(url)
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"Relatorio _final_X_ y.png\"; filename*=UTF-8''")
    assert "Relat%C3%B3rio" in disposition
    assert "\r" not in disposition
    assert "\n" not in disposition


async def test_range_requests_for_audio_and_video_seeking(
    http: httpx.AsyncClient, store: LocalStorage
) -> None:
    response = await http.get(await store.signed_url(KEY, ttl_seconds=60), headers={"Range": "bytes=0-7"})
    assert response.status_code == 206
    assert response.content == samples.png()[:8]


async def test_expired_link_is_forbidden(http: httpx.AsyncClient, store: LocalStorage) -> None:
    exp = int(time.time()) - 1
    sig = signing.sign(store.signing_secret, KEY, exp)
    response = await http.get(f"/api/media/{KEY}?exp={exp}&sig={sig}")
    assert response.status_code == 403
    assert response.json() == {"success": False, "error": "Link de mídia expirado", "code": "forbidden"}


@pytest.mark.parametrize("change", ["sig", "exp", "name", "key", "missing"])
async def test_tampered_link_is_forbidden(http: httpx.AsyncClient, store: LocalStorage, change: str) -> None:
    exp = int(time.time()) + 60
    sig = signing.sign(store.signing_secret, KEY, exp)
    url = {
        "sig": f"/api/media/{KEY}?exp={exp}&sig={'0' * 64}",
        "exp": f"/api/media/{KEY}?exp={exp + 3600}&sig={sig}",
        "name": f"/api/media/{KEY}?exp={exp}&sig={sig}&name=virus.exe",
        "key": f"/api/media/companies/c2/media/2025/01/photo.png?exp={exp}&sig={sig}",
        "missing": f"/api/media/{KEY}",
    }[change]
    response = await http.get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert response.json()["error"] == "Link de mídia inválido"


async def test_signed_but_missing_file_is_404(http: httpx.AsyncClient, store: LocalStorage) -> None:
    url = await store.signed_url("companies/c1/media/2025/01/gone.png", ttl_seconds=60)
    response = await http.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_signed_traversal_key_is_still_refused(http: httpx.AsyncClient, store: LocalStorage) -> None:
    evil = "../secrets.json"
    exp = int(time.time()) + 60
    sig = signing.sign(store.signing_secret, evil, exp)
    response = await http.get(f"/api/media/{quote(evil, safe='')}?exp={exp}&sig={sig}")
    assert response.status_code == 404


async def test_s3_provider_answers_404(services: Services, tmp_path: Path) -> None:
    settings = storage_settings(services, tmp_path, STORAGE_PROVIDER="s3", S3_BUCKET="media")
    exp = int(time.time()) + 60
    async with await open_client(settings) as client:
        response = await client.get(f"/api/media/{KEY}?exp={exp}&sig={'0' * 64}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
