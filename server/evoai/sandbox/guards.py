"""Evolution's guard chain (instance exists -> name free -> apikey) and request body reading."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from evoai.sandbox.errors import EvolutionError, bad_request, object_body
from evoai.sandbox.payloads import JSON
from evoai.sandbox.service import Sandbox
from evoai.sandbox.state import Instance


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def guarded(request: Request, name: str) -> tuple[Sandbox, Instance]:
    """404 for an unknown instance comes before 401, as in Evolution's guard order."""
    sandbox = sandbox_of(request)
    instance = sandbox.instance(name)
    key = request.headers.get("apikey")
    if not key or key not in (sandbox.settings.api_key, instance.token):
        raise EvolutionError(401)
    return sandbox, instance


def global_key(request: Request) -> Sandbox:
    sandbox = sandbox_of(request)
    if request.headers.get("apikey") != sandbox.settings.api_key:
        raise EvolutionError(401)
    return sandbox


async def json_body(request: Request) -> JSON:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed: Any = json.loads(raw)
    except ValueError:
        raise bad_request("Unexpected token in JSON body") from None
    return object_body(parsed)


async def body_and_file(request: Request) -> tuple[JSON, bytes | None, str | None]:
    """JSON, or multipart/form-data with the binary in `file` (as multer reads it) and its file name."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await json_body(request), None, None
    form = await request.form()
    body: JSON = {}
    payload: bytes | None = None
    file_name: str | None = None
    for field, value in form.multi_items():
        if isinstance(value, UploadFile):
            if field == "file":
                payload = await value.read()
                file_name = value.filename
        else:
            body[field] = _form_value(value)
    return body, payload, file_name


def _form_value(value: str) -> Any:
    """Form fields are strings; `quoted` and booleans arrive JSON-encoded from most clients."""
    if value in ("true", "false") or value.startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
