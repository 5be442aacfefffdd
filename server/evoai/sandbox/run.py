"""`evoai sandbox`: serve the sandbox on 127.0.0.1 only (its pages and /sandbox/* have no authentication)."""

from __future__ import annotations

import uvicorn

from evoai.config import Settings
from evoai.sandbox.app import create_app
from evoai.sandbox.settings import SandboxSettings


class SandboxDisabled(Exception):
    """The sandbox is off for this environment (EVOAI_SANDBOX / NODE_ENV)."""


def serve(settings: Settings, port: int = 0) -> None:
    if not settings.sandbox_enabled:
        raise SandboxDisabled(
            "the sandbox is disabled (it is on by default only when NODE_ENV=development; "
            "set EVOAI_SANDBOX=true to enable it)"
        )
    if not settings.SANDBOX_API_KEY:
        raise SandboxDisabled("SANDBOX_API_KEY: must be set to run the sandbox outside development")
    sandbox_settings = SandboxSettings.from_settings(settings)
    if port:
        from dataclasses import replace

        sandbox_settings = replace(sandbox_settings, port=port)
    config = uvicorn.Config(
        create_app(sandbox_settings),
        host=sandbox_settings.host,
        port=sandbox_settings.port,
        log_level="warning",
        lifespan="on",
    )
    uvicorn.Server(config).run()
