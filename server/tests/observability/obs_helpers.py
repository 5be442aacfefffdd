"""Reading Prometheus text the way Prometheus does, and running `evoai` as a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from evoai.config import Settings
from evoai.ops.embedded import free_port

SERVER_DIR = Path(__file__).resolve().parents[2]


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample (0 when absent), matching the given labels."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return float(found.value)
    return 0.0


async def scrape(client: httpx.AsyncClient, **headers: str) -> str:
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    return response.text


def process_env(settings: Settings, data_dir: Path, **overrides: Any) -> dict[str, str]:
    """What an `evoai` process needs to run against the tests' PostgreSQL and Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "OTEL_"))}
    env.update(
        NODE_ENV="development",
        DATABASE_URL=settings.DATABASE_URL,
        REDIS_URL=settings.REDIS_URL,
        JWT_SECRET=settings.JWT_SECRET,
        ENCRYPTION_KEY=settings.ENCRYPTION_KEY,
        WEBHOOK_SECRET=settings.WEBHOOK_SECRET,
        EVOAI_DATA_DIR=str(data_dir),
        EVOAI_SANDBOX="false",
        LOG_LEVEL="info",
        RATE_LIMIT_MAX="100000",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def start_api(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "evoai.cli", "api", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=SERVER_DIR,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, process, log)
    return process, base


def wait_ready(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process exited during start-up:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"not ready within {timeout} s:\n{log.read_text()[-3000:]}")


def refuses_connections(base: str) -> bool:
    host, port = base.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return False
    except OSError:
        return True
