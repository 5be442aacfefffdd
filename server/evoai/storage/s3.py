"""S3-compatible object storage (AWS, MinIO, R2). boto3 is blocking, so every call runs in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from pathlib import Path
from typing import Any

import boto3
from boto3.exceptions import S3UploadFailedError
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from evoai.storage.base import (
    ListedObject,
    StorageError,
    StorageNotFound,
    StoredObject,
    content_disposition,
    file_sha256,
    validate_key,
)

# A missing bucket is deliberately not here: that is misconfiguration, reported as StorageError.
_MISSING = {"404", "NoSuchKey", "NotFound"}


def _size_and_sha256(path: Path) -> tuple[int, str]:
    try:
        return path.stat().st_size, file_sha256(path)
    except FileNotFoundError as exc:
        raise StorageNotFound(path.name) from exc


def _is_missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _MISSING


class S3Storage:
    def __init__(
        self,
        bucket: str,
        *,
        region: str = "us-east-1",
        access_key: str = "",
        secret_key: str = "",
        endpoint_url: str = "",
    ) -> None:
        if not bucket:
            raise StorageError("S3_BUCKET não configurado")
        self.bucket = bucket
        self.region = region
        # Custom endpoints (MinIO, moto, R2) rarely resolve virtual-host bucket names: use path style.
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
        )
        # Empty keys fall through to boto3's default chain (instance role, environment, profile).
        self._client: Any = boto3.client(
            "s3",
            region_name=region,
            endpoint_url=endpoint_url or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            config=config,
        )

    async def _call(self, operation: str, **params: Any) -> Any:
        try:
            return await asyncio.to_thread(getattr(self._client, operation), Bucket=self.bucket, **params)
        except ClientError as exc:
            if _is_missing(exc):
                raise StorageNotFound(params.get("Key", self.bucket)) from exc
            raise StorageError(f"S3 {operation} falhou: {exc.response.get('Error', {}).get('Code')}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"S3 {operation} falhou: {type(exc).__name__}") from exc

    async def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        validate_key(key)
        await self._call("put_object", Key=key, Body=data, ContentType=content_type)
        return StoredObject(key, len(data), content_type, hashlib.sha256(data).hexdigest())

    async def get(self, key: str) -> bytes:
        validate_key(key)
        response = await self._call("get_object", Key=key)
        body = response["Body"]
        try:
            data: bytes = await asyncio.to_thread(body.read)
            return data
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        validate_key(key)
        # AWS answers 204 for an absent key, but some S3-compatible services answer 404.
        with contextlib.suppress(StorageNotFound):
            await self._call("delete_object", Key=key)

    async def exists(self, key: str) -> bool:
        validate_key(key)
        try:
            await self._call("head_object", Key=key)
        except StorageNotFound:
            return False
        return True

    async def signed_url(self, key: str, *, ttl_seconds: int, download_name: str | None = None) -> str:
        validate_key(key)
        params: dict[str, str] = {"Bucket": self.bucket, "Key": key}
        if download_name is not None:
            params["ResponseContentDisposition"] = content_disposition(download_name)
        # Presigning is local, but resolving credentials (instance metadata) may block: keep it off the loop.
        url = await asyncio.to_thread(
            self._client.generate_presigned_url, "get_object", Params=params, ExpiresIn=ttl_seconds
        )
        return str(url)

    async def put_file(self, key: str, path: Path, content_type: str) -> StoredObject:
        """Upload a (large) file with boto3's managed multipart transfer; the checksum is read first."""
        validate_key(key)
        size, digest = await asyncio.to_thread(_size_and_sha256, path)
        try:
            await asyncio.to_thread(
                self._client.upload_file,
                str(path),
                self.bucket,
                key,
                ExtraArgs={"ContentType": content_type, "Metadata": {"sha256": digest}},
            )
        except (ClientError, BotoCoreError, S3UploadFailedError) as exc:
            raise StorageError(f"S3 upload_file falhou: {type(exc).__name__}") from exc
        return StoredObject(key, size, content_type, digest)

    async def get_file(self, key: str, path: Path) -> None:
        validate_key(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            await asyncio.to_thread(self._client.download_file, self.bucket, key, str(path))
        except ClientError as exc:
            if _is_missing(exc):
                raise StorageNotFound(key) from exc
            code = exc.response.get("Error", {}).get("Code")
            raise StorageError(f"S3 download_file falhou: {code}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"S3 download_file falhou: {type(exc).__name__}") from exc

    async def list_keys(self, prefix: str) -> list[ListedObject]:
        found: list[ListedObject] = []
        token: dict[str, str] = {}
        while True:
            page = await self._call("list_objects_v2", Prefix=prefix, **token)
            for item in page.get("Contents", []):
                found.append(ListedObject(item["Key"], int(item["Size"]), item["LastModified"]))
            if not page.get("IsTruncated"):
                return sorted(found, key=lambda item: item.key)
            token = {"ContinuationToken": page["NextContinuationToken"]}

    async def enable_versioning(self) -> str:
        """Switch object versioning on and return the status read back from the bucket."""
        await self._call("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
        return await self.versioning_status()

    async def versioning_status(self) -> str:
        response = await self._call("get_bucket_versioning")
        return str(response.get("Status") or "Disabled")

    async def ensure_bucket(self) -> None:
        """Create the bucket when missing. For tests and first-time setup; the app never calls it."""
        try:
            await self._call("head_bucket")
            return
        except StorageNotFound:
            pass
        extra: dict[str, Any] = {}
        if self.region != "us-east-1":  # us-east-1 rejects an explicit location constraint
            extra["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        await self._call("create_bucket", **extra)
