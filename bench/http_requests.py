"""Requests per second and latency of the API on the embedded stack, for three kinds of request:
no I/O (`/health/live`), an authenticated read (`/api/auth/me`: JWT + session + membership + company
queries) and an authenticated list (`/api/notifications`). Starts its own `evoai up`.

    server/.venv/bin/python bench/http_requests.py [--seconds 10] [--concurrency 20]

The load generator shares the machine's cores with the server, PostgreSQL and Redis, so compare the
ratios between rows of one run rather than absolute numbers across machines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from startup import EVOAI, free_port


async def hammer(client: httpx.AsyncClient, path: str, headers: dict[str, str], seconds: float,
                 concurrency: int) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def loop() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await client.get(path, headers=headers)
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 200

    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return len(latencies), latencies, errors


async def run(base: str, seconds: float, concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        registered = await client.post("/api/auth/register", json={
            "email": email, "password": "bench-password", "fullName": "Bench", "companyName": "Bench Co"})
        token = registered.json()["data"]["accessToken"]
        auth = {"Authorization": f"Bearer {token}"}
        print(f"concurrency={concurrency} seconds={seconds}")
        print(f"{'request':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
        for label, path, headers in (("GET /health/live", "/health/live", {}),
                                     ("GET /api/auth/me", "/api/auth/me", auth),
                                     ("GET /api/notifications", "/api/notifications", auth)):
            count, latencies, errors = await hammer(client, path, headers, seconds, concurrency)
            latencies.sort()
            p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
            print(f"{label:<24}{count / seconds:>9.0f}{statistics.median(latencies) * 1000:>9.1f}{p99:>9.1f}"
                  f"{errors:>8}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="evoai-bench-http-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    # The default tier would throttle a benchmark at 100 requests a minute per user.
    env.update(EVOAI_DATA_DIR=str(data_dir), PORT=str(port), LOG_LEVEL="warn", RATE_LIMIT_MAX="100000000")
    process = subprocess.Popen([str(EVOAI), "up"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        asyncio.run(run(base, args.seconds, args.concurrency))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
