"""`evoai up`: the whole product in the foreground on the embedded stack (or the configured URLs).

Starts PostgreSQL and Redis when DATABASE_URL / REDIS_URL are unset, applies migrations, then runs
the API, every worker, the scheduler and (when enabled) the sandbox WhatsApp gateway as child
processes. Ctrl-C or SIGTERM stops them all, then the databases, in that order.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from evoai.config import Settings
from evoai.ops import migrate
from evoai.ops.accounts import ensure_super_admin
from evoai.ops.embedded import EmbeddedPostgres, EmbeddedRedis, EmbeddedStack

# Not .local: e-mail validation rightly refuses special-use domains.
DEV_ADMIN_EMAIL = "admin@evoai.dev"


def _say(message: str) -> None:
    print(f"[evoai up] {message}", flush=True)


def _dev_admin_password(settings: Settings) -> str:
    """The development super admin's password, generated once and kept in the data directory."""
    path = settings.EVOAI_DATA_DIR / "dev-admin.json"
    if path.exists():
        return str(json.loads(path.read_text())["password"])
    created = asyncio.run(ensure_super_admin(settings, DEV_ADMIN_EMAIL))
    password = created or "(unchanged: an account with this email already existed)"
    path.write_text(json.dumps({"email": DEV_ADMIN_EMAIL, "password": password}))
    path.chmod(0o600)
    return password


class Stopping(Exception):
    """Ctrl-C or SIGTERM arrived."""


def _wait_ready(
    port: int, children: list[subprocess.Popen[bytes]], stopping: list[bool], timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stopping:
            raise Stopping
        if any(child.poll() is not None for child in children):
            raise RuntimeError("a process exited during start-up; see the log above")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the API was not ready within {timeout:.0f} s")


def _start_services(
    settings: Settings, env: dict[str, str], started: list[EmbeddedPostgres | EmbeddedRedis]
) -> None:
    """Start the embedded PostgreSQL / Redis that have no URL configured, recording each as started."""
    if settings.DATABASE_URL and settings.REDIS_URL:
        return
    stack = EmbeddedStack.in_dir(settings.EVOAI_DATA_DIR)
    if not settings.DATABASE_URL:
        _say(f"starting PostgreSQL on 127.0.0.1:{stack.postgres.port} (data in {stack.postgres.pgdata})")
        started.append(stack.postgres)
        stack.postgres.start()
        env["DATABASE_URL"] = stack.postgres.app_url
        env["EVOAI_MIGRATION_URL"] = stack.postgres.admin_url
    if not settings.REDIS_URL:
        _say(f"starting Redis on 127.0.0.1:{stack.redis.port}")
        started.append(stack.redis)
        stack.redis.start()
        env["REDIS_URL"] = stack.redis.url


def run_up(settings: Settings) -> int:
    started_at = time.monotonic()
    env = dict(os.environ)
    services: list[EmbeddedPostgres | EmbeddedRedis] = []
    children: list[subprocess.Popen[bytes]] = []
    stopping: list[bool] = []

    def stop(*_: object) -> None:
        stopping.append(True)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        _start_services(settings, env, services)
        os.environ.update(env)
        settings.DATABASE_URL = env.get("DATABASE_URL") or settings.DATABASE_URL
        settings.REDIS_URL = env.get("REDIS_URL") or settings.REDIS_URL
        _say("applying migrations")
        migration_url = env.get("EVOAI_MIGRATION_URL") or settings.EVOAI_MIGRATION_URL
        migrate.upgrade(migration_url or settings.DATABASE_URL)
        admin_password = _dev_admin_password(settings) if settings.is_development else None
        evoai = [sys.executable, "-m", "evoai.cli"]
        commands = [["api"], ["worker"], ["scheduler"]]
        if settings.sandbox_enabled:
            commands.append(["sandbox"])
        for args in commands:
            # Own process groups: a Ctrl-C in the terminal reaches only us, and we stop the children
            # in order (API and workers drain first, databases last).
            children.append(subprocess.Popen([*evoai, *args], env=env, start_new_session=True))  # noqa: S603
        _wait_ready(settings.PORT, children, stopping)
        url = settings.API_URL or f"http://localhost:{settings.PORT}"
        _say(f"ready in {time.monotonic() - started_at:.1f} s — open {url}")
        _say("create an account at /register, or log in as the platform admin:")
        if admin_password:
            _say(f"  email {DEV_ADMIN_EMAIL}  password {admin_password}")
        if settings.sandbox_enabled:
            _say(f"sandbox WhatsApp (Evolution API v2): URL {settings.sandbox_url}")
            _say(f"  api key {settings.SANDBOX_API_KEY}  customer phone {settings.sandbox_url}/phone")
        _say("press Ctrl-C to stop everything")
        while not stopping:
            if any(child.poll() is not None for child in children):
                _say("a process exited unexpectedly; stopping")
                code = 1
                break
            time.sleep(0.3)
    except Stopping:
        pass
    except Exception as exc:
        _say(f"failed: {exc}")
        code = 1
    finally:
        _say("stopping")
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=settings.SHUTDOWN_GRACE_SECONDS + 15)
            except subprocess.TimeoutExpired:
                child.kill()
        for service in reversed(services):
            service.stop()
        _say("stopped")
    return code
