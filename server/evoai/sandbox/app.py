"""The sandbox ASGI app: Evolution routes at the root, `/sandbox/*` JSON, and the two pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from evoai.sandbox import api_chat, api_instance, api_message, api_sandbox
from evoai.sandbox.delivery import Dispatcher
from evoai.sandbox.errors import EvolutionError
from evoai.sandbox.model import create_model_app
from evoai.sandbox.payloads import error_body
from evoai.sandbox.service import Sandbox
from evoai.sandbox.settings import SandboxSettings
from evoai.sandbox.state import Store

STATIC = Path(__file__).parent / "static"


def create_app(settings: SandboxSettings) -> FastAPI:
    store = Store(settings.state_dir, settings.max_messages_per_chat)
    store.load()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        dispatcher = Dispatcher(settings)
        app.state.sandbox = Sandbox(settings, store, dispatcher)
        try:
            yield
        finally:
            await app.state.sandbox.shutdown()
            await dispatcher.close()
            await store.flush()

    app = FastAPI(title="Evo AI sandbox (Evolution API v2)", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.store = store
    for module in (api_instance, api_message, api_chat, api_sandbox):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # An OpenAI-compatible scripted model: OPENAI_BASE_URL=<sandbox>/v1 tries the AI without a key.
    app.mount("/v1", create_model_app())

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/phone", include_in_schema=False)
    @app.get("/phone/{name}", include_in_schema=False)
    async def phone(name: str = "") -> FileResponse:
        return FileResponse(STATIC / "phone.html")

    @app.exception_handler(EvolutionError)
    async def evolution_error(_: Request, exc: EvolutionError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.message), status_code=exc.status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code in (404, 405):  # Express answers unknown routes and methods alike
            message = [f"Cannot {request.method} {request.url.path}"]
            return JSONResponse(error_body(404, message), status_code=404)
        return JSONResponse(error_body(exc.status_code, [str(exc.detail)]), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        messages = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return JSONResponse(error_body(400, messages), status_code=400)

    return app
