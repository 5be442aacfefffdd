"""Serve the built web app (client/dist) from the API, with history fallback for client routes."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles

from evoai.config import REPO_ROOT
from evoai.exception_handlers import envelope

RESERVED = ("/api", "/health", "/socket.io", "/metrics")


def web_dist() -> Path:
    return Path(os.environ.get("EVOAI_WEB_DIST", REPO_ROOT / "client" / "dist"))


def mount_web(app: FastAPI) -> None:
    dist = web_dist()
    index = dist / "index.html"
    if not index.exists():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    async def spa(path: str, request: Request) -> Response:
        if request.url.path.startswith(RESERVED):
            return envelope(404, "Recurso não encontrado", "not_found")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
