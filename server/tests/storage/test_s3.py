"""S3 backend against moto in server mode: real HTTP, real presigned URLs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from moto.server import ThreadedMotoServer

from evoai.storage import Storage, StorageError, StorageNotFound
from evoai.storage.s3 import S3Storage
from tests.storage import samples

KEY = "companies/c1/media/2025/01/contract.pdf"


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def make_storage(endpoint: str, bucket: str, region: str = "us-east-1") -> S3Storage:
    return S3Storage(bucket, region=region, access_key="testing", secret_key="testing", endpoint_url=endpoint)


@pytest.fixture
async def s3(moto_endpoint: str) -> S3Storage:
    storage = make_storage(moto_endpoint, "evoai-media")
    await storage.ensure_bucket()
    return storage


async def test_put_get_exists_delete(s3: S3Storage) -> None:
    assert isinstance(s3, Storage)
    data = samples.pdf()
    stored = await s3.put(KEY, data, "application/pdf")
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert await s3.exists(KEY)
    assert await s3.get(KEY) == data

    await s3.delete(KEY)
    assert not await s3.exists(KEY)
    await s3.delete(KEY)  # idempotent
    with pytest.raises(StorageNotFound):
        await s3.get(KEY)


async def test_presigned_url_serves_bytes_and_disposition(s3: S3Storage, moto_endpoint: str) -> None:
    data = samples.pdf()
    await s3.put(KEY, data, "application/pdf")
    url = await s3.signed_url(KEY, ttl_seconds=120, download_name="Contrato São Paulo.pdf")
    assert urlsplit(url).path == f"/evoai-media/{KEY}"  # path-style addressing on a custom endpoint
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
        inline = await client.get(await s3.signed_url(KEY, ttl_seconds=120))
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Contrato Sao Paulo.pdf"')
    assert "filename*=UTF-8''Contrato%20S%C3%A3o%20Paulo.pdf" in disposition
    assert inline.status_code == 200
    assert "content-disposition" not in inline.headers


async def test_ensure_bucket_is_idempotent_and_honours_the_region(moto_endpoint: str) -> None:
    storage = make_storage(moto_endpoint, "evoai-eu", region="eu-west-1")
    await storage.ensure_bucket()
    await storage.ensure_bucket()
    await storage.put("a/b.txt", b"ok", "text/plain")
    assert await storage.get("a/b.txt") == b"ok"


async def test_missing_bucket_is_an_error_not_a_missing_object(moto_endpoint: str) -> None:
    storage = make_storage(moto_endpoint, "never-created")
    with pytest.raises(StorageError) as caught:
        await storage.get(KEY)
    assert not isinstance(caught.value, StorageNotFound)


def test_bucket_is_required() -> None:
    with pytest.raises(StorageError):
        S3Storage("")
