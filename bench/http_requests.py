"""Requests per second and latency of the API on the embedded stack with wrk (Debian package `wrk`),
for three kinds of request: no I/O (`/health/live`), an authenticated read (`/api/auth/me`: JWT,
session, membership and company queries) and an authenticated list (`/api/notifications`).
Starts its own `evoai up` on a scratch data directory and stops it afterwards.

    apt-get install -y wrk
    server/.venv/bin/python bench/http_requests.py [--seconds 10] [--connections 20]

wrk, the server, PostgreSQL and Redis share the machine's cores: compare the ratios between rows of
one run rather than absolute numbers across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from startup import EVOAI, free_port


def _post(url: str, body: dict[str, str]) -> dict[str, object]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own local server
        return dict(json.load(response)["data"])


def wrk(url: str, seconds: float, connections: int, token: str | None) -> tuple[float, str, str]:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--latency", url]
    if token:
        args[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    if "Non-2xx" in out:
        raise SystemExit(f"errors during the run:\n{out}")
    return rps, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="evoai-bench-http-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    # The default tier would throttle a benchmark at 100 requests a minute per user.
    env.update(EVOAI_DATA_DIR=str(data_dir), PORT=str(port), LOG_LEVEL="warn", RATE_LIMIT_MAX="100000000")
    process = subprocess.Popen([str(EVOAI), "up"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{base}/health/ready", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        account = _post(f"{base}/api/auth/register", {
            "email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "bench-password",
            "fullName": "Bench", "companyName": "Bench Co"})
        token = str(account["accessToken"])
        print(f"wrk -t1 -c{args.connections} -d{args.seconds}s --latency")
        print(f"{'request':<26}{'req/s':>9}{'p50':>10}{'p99':>10}")
        for label, path, auth in (("GET /health/live", "/health/live", None),
                                  ("GET /api/auth/me", "/api/auth/me", token),
                                  ("GET /api/notifications", "/api/notifications", token)):
            rps, p50, p99 = wrk(f"{base}{path}", args.seconds, args.connections, auth)
            print(f"{label:<26}{rps:>9.0f}{p50:>10}{p99:>10}")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
