"""The one `evoai` command: up, api, worker, scheduler, sandbox, migrate, create-superadmin, backup."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Annotated

import typer

from evoai.config import ConfigError, Settings, load_settings
from evoai.ops.backup.cli import app as backup_app
from evoai.worker import queues

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Evo AI Connect")
app.add_typer(backup_app, name="backup")


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(code=78) from None


@app.command()
def up() -> None:
    """Start everything in the foreground (embedded PostgreSQL and Redis unless their URLs are set)."""
    from evoai.ops.supervisor import run_up

    raise typer.Exit(code=run_up(_settings()))


@app.command()
def api(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "",
    port: Annotated[int, typer.Option(help="Defaults to PORT")] = 0,
) -> None:
    """Run the HTTP API (and Socket.IO)."""
    from evoai.server import serve

    settings = _settings()
    serve(settings, host or os.environ.get("EVOAI_HOST", "0.0.0.0"), port or settings.PORT)  # noqa: S104


@app.command()
def sandbox(
    port: Annotated[int, typer.Option(help="Defaults to SANDBOX_PORT")] = 0,
) -> None:
    """Run the sandbox WhatsApp gateway (speaks Evolution API v2) with its phone pages, on 127.0.0.1."""
    from evoai.sandbox.run import SandboxDisabled, serve

    try:
        serve(_settings(), port)
    except SandboxDisabled as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(code=78) from None


@app.command()
def worker(
    queue: Annotated[list[str] | None, typer.Option(help="Only these queues (repeatable)")] = None,
) -> None:
    """Run BullMQ workers for every queue, or only the given ones."""
    from evoai.kit.memory import settle_heap
    from evoai.logging import configure_logging
    from evoai.worker.run import run_workers

    settings = _settings()
    names = queue or list(queues.ALL_QUEUES)
    unknown = sorted(set(names) - set(queues.ALL_QUEUES))
    if unknown:
        typer.echo(f"unknown queue(s): {', '.join(unknown)}; known: {', '.join(queues.ALL_QUEUES)}", err=True)
        raise typer.Exit(code=2)
    configure_logging(settings.LOG_LEVEL, json=not settings.is_development)
    settle_heap()
    asyncio.run(run_workers(settings, names))


@app.command()
def scheduler() -> None:
    """Run the scheduler: the outbox relay and periodic jobs."""
    from evoai.logging import configure_logging
    from evoai.worker.scheduler import run_scheduler

    settings = _settings()
    configure_logging(settings.LOG_LEVEL, json=not settings.is_development)
    asyncio.run(run_scheduler(settings))


@app.command()
def migrate(
    direction: Annotated[str, typer.Argument(help="up (to head) or down (one revision)")] = "up",
) -> None:
    """Apply migrations (EVOAI_MIGRATION_URL or DATABASE_URL), or step down one revision."""
    from evoai.ops import migrate as migrations

    settings = _settings()
    url = settings.EVOAI_MIGRATION_URL or settings.DATABASE_URL
    if not url:
        typer.echo("DATABASE_URL: must be set to run migrations", err=True)
        raise typer.Exit(code=78)
    if direction == "up":
        migrations.upgrade(url)
    elif direction == "down":
        migrations.downgrade(url)
    else:
        typer.echo("direction must be 'up' or 'down'", err=True)
        raise typer.Exit(code=2)


@app.command("create-superadmin")
def create_superadmin(email: Annotated[str, typer.Argument()]) -> None:
    """Create (or promote) the platform super admin; prints a generated password for a new account."""
    from evoai.ops.accounts import ensure_super_admin

    password = asyncio.run(ensure_super_admin(_settings(), email))
    typer.echo(f"{email} is super admin" + (f"; password: {password}" if password else ""))


if __name__ == "__main__":
    app(sys.argv[1:])
