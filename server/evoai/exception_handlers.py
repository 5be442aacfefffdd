"""One place turns every error into the spec's envelope; nothing leaks a stack trace."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from evoai.exceptions import AppError

log = structlog.get_logger(__name__)

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    503: "service_unavailable",
}
_MESSAGES = {404: "Recurso não encontrado", 405: "Método não permitido para esta rota"}


def envelope(
    status: int,
    error: str,
    code: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"success": False, "error": error, "code": code}
    if details:
        body["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0]) if loc else ""


def _validation_details(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    details = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            return "Corpo da requisição não é um JSON válido", [
                {"field": "body", "code": "json_invalid", "message": "Invalid JSON"}
            ]
        text = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        details.append(
            {
                "field": _field(tuple(error.get("loc", ()))),
                "code": error.get("type", "invalid"),
                "message": text,
            }
        )
    first = details[0] if details else {"field": "", "message": "invalid"}
    where = f"{first['field']}: " if first["field"] else ""
    more = f" (+{len(details) - 1})" if len(details) > 1 else ""
    return f"Dados inválidos — {where}{first['message']}{more}", details


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_: Request, exc: AppError) -> JSONResponse:
        return envelope(exc.status_code, exc.message, exc.code, exc.details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        message, details = _validation_details(exc)
        return envelope(400, message, "validation_error", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in _MESSAGES else None
        return envelope(
            exc.status_code,
            detail or _MESSAGES.get(exc.status_code, code),
            code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError) -> JSONResponse:
        return _unavailable(request, exc)

    @app.exception_handler(PoolTimeout)
    async def overloaded(request: Request, exc: PoolTimeout) -> JSONResponse:
        # Every database connection stayed busy past the pool's timeout: the process is overloaded,
        # which is worth a retry, not a 500.
        return _unavailable(request, exc)

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError) -> JSONResponse:
        # Two requests raced past a uniqueness check (e.g. the same e-mail registered twice at once).
        log.warning(
            "database.integrity_error", path=request.url.path, sqlstate=getattr(exc.orig, "sqlstate", None)
        )
        return envelope(
            409, "Conflito: o registro já existe ou foi alterado por outra requisição", "conflict"
        )

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated or "connection" in str(exc.orig).lower():
            return _unavailable(request, exc)
        log.exception("database.error", path=request.url.path)
        return envelope(500, "Erro interno. Tente novamente.", "internal_error")


def _unavailable(request: Request, exc: BaseException) -> JSONResponse:
    return unavailable_response(request.url.path, exc)


def unavailable_response(path: str, exc: BaseException) -> JSONResponse:
    """A dependency (PostgreSQL, Redis) is down: 503 so clients and gateways retry later."""
    log.error("dependency.unavailable", path=path, error=str(exc)[:200])
    return envelope(
        503, "Serviço temporariamente indisponível", "service_unavailable", headers={"Retry-After": "5"}
    )


def unexpected_response(path: str, exc: BaseException) -> JSONResponse:
    """Anything not handled above. Rendered inside our middlewares (UnhandledErrorMiddleware), so the
    answer still carries the request id and security headers, and nothing reaches the server's own
    unredacted traceback logging."""
    if isinstance(exc, OSError | ConnectionError):
        return unavailable_response(path, exc)
    log.exception("unhandled_error", path=path)
    return envelope(500, "Erro interno. Tente novamente.", "internal_error")
