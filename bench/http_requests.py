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
import re
import subprocess
import urllib.request
import uuid

from startup import running_product


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
    # The default tier would throttle a benchmark at 100 requests a minute per user.
    with running_product("evoai-bench-http-", RATE_LIMIT_MAX="100000000") as (base, _):
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


if __name__ == "__main__":
    main()
