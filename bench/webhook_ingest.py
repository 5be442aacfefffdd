"""Sustained `messages.upsert` ingest through the real webhook, beside PostgreSQL's raw insert rate.

Starts its own `evoai up` (API, workers, scheduler, sandbox gateway) on a scratch data directory,
creates a company, a credential pointing at the sandbox and an instance, then drives
`POST /api/whatsapp/webhook/<instance>` with wrk: every request is a distinct Evolution 2.3.7
`messages.upsert` text from one of 500 customers (so contacts and conversations are created during
the run, then reused). Each delivery is stored in one transaction (contact, conversation, message,
outbox rows) before the 200. Then pgbench measures single-row INSERTs into a scratch table of the
same PostgreSQL with the same number of connections, as the ceiling our ingest is compared with.

    apt-get install -y wrk   # pgbench comes with the embedded PostgreSQL
    server/.venv/bin/python bench/webhook_ingest.py [--seconds 20] [--connections 16]

Everything shares the machine's cores: compare the ratio of the two rows of one run.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

from cpu import cpu_seconds, per_request
from startup import EVOAI, ROOT, free_port, running_product

LUA = """
local counter = 0
local template = %s
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Webhook-Token"] = "%s"
request = function()
  counter = counter + 1
  local id = string.format("BENCH%%08d%%06d", counter, math.random(0, 999999))
  local number = string.format("55119%%08d", counter %% 500)
  local body = template:gsub("__ID__", id):gsub("__NUMBER__", number)
  return wrk.format(nil, nil, nil, body)
end
"""


def _call(url: str, body: dict[str, object] | None = None, token: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, headers, method="POST" if body is not None else "GET")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own local server
        return dict(json.load(response)["data"])


def _template(instance: str) -> str:
    fixture = ROOT / "server" / "tests" / "fixtures" / "whatsapp" / "evolution_messages_upsert_text.json"
    body = json.loads(fixture.read_text())
    body["instance"] = instance
    body["data"]["key"].update(id="__ID__", remoteJid="__NUMBER__@s.whatsapp.net")
    body["data"]["key"].pop("remoteJidAlt", None)
    return json.dumps(json.dumps(body))  # a Lua string literal


def wrk(url: str, seconds: int, connections: int, script: Path) -> tuple[float, str, str, str]:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in out:
        raise SystemExit(f"errors during the run:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50, p90, p99 = (re.search(rf"{q}%\s+(\S+)", out).group(1) for q in (50, 90, 99))  # type: ignore[union-attr]
    return rps, p50, p90, p99


def pgbench(data_dir: Path, seconds: int, connections: int) -> float:
    port = (data_dir / "postgres.port").read_text().strip()
    url = f"postgresql://postgres@127.0.0.1:{port}/evoai"
    bin_dir = Path(subprocess.run(  # noqa: S603
        [str(EVOAI.parent / "python"), "-c", "from evoai.ops.embedded import pg_bin_dir; print(pg_bin_dir())"],
        capture_output=True, text=True, check=True).stdout.strip())
    psql, bench = str(bin_dir / "psql"), str(bin_dir / "pgbench")
    subprocess.run([psql, url, "-qc", "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, "  # noqa: S603
                    "payload text, created_at timestamptz DEFAULT now())"], check=True)
    script = data_dir / "insert.sql"
    script.write_text("INSERT INTO bench_insert (payload) VALUES ('x');\n")
    out = subprocess.run([bench, "-n", "-c", str(connections), "-j", "2", "-T", str(seconds), "-f", str(script), url],  # noqa: S603
                         capture_output=True, text=True, check=True).stdout
    subprocess.run([psql, url, "-qc", "DROP TABLE bench_insert"], check=True)  # noqa: S603
    return float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    sandbox_port = str(free_port())
    # The webhook tier would throttle a benchmark at 1000 deliveries a minute per instance.
    overrides = {"WEBHOOK_RATE_LIMIT_MAX": "100000000", "SANDBOX_PORT": sandbox_port}
    with running_product("evoai-bench-ingest-", **overrides) as (base, data_dir):
        time.sleep(2)  # let the sandbox child start too
        secrets = json.loads((data_dir / "secrets.json").read_text())
        account = _call(f"{base}/api/auth/register", {
            "email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "bench-password",
            "fullName": "Bench", "companyName": "Bench Co"})
        token = str(account["accessToken"])
        _call(f"{base}/api/whatsapp/provider-credentials", {
            "provider": "EVOLUTION", "apiUrl": f"http://127.0.0.1:{sandbox_port}",
            "apiKey": secrets["SANDBOX_API_KEY"]}, token)
        instance = _call(f"{base}/api/whatsapp/instances", {"instanceName": "Bench"}, token)
        detail = _call(f"{base}/api/whatsapp/instances/{instance['id']}", token=token)
        webhook = dict(detail["webhook"])  # type: ignore[call-overload]
        name = str(webhook["url"]).rsplit("/", 1)[-1]
        script = data_dir / "upsert.lua"
        script.write_text(LUA % (_template(name), webhook["secret"]))
        url = f"{base}/api/whatsapp/webhook/{name}"
        # Warm-up: the 500 customers' first messages (contacts, conversations, photo jobs), caches, pools.
        wrk(url, 10, args.connections, script)
        time.sleep(5)  # let the workers finish the new contacts' jobs
        before = cpu_seconds(data_dir)
        serial = wrk(url, 5, 1, script)
        serial_cpu = per_request(before, cpu_seconds(data_dir), serial[0] * 5)
        before = cpu_seconds(data_dir)
        rps, p50, p90, p99 = wrk(url, args.seconds, args.connections, script)
        sustained_cpu = per_request(before, cpu_seconds(data_dir), rps * args.seconds)
        tps = pgbench(data_dir, args.seconds, args.connections)
        print(f"wrk -t1 -c{args.connections} -d{args.seconds}s; pgbench -c{args.connections} -T{args.seconds}")
        print(f"{'measure':<44}{'per s':>9}{'p50':>10}{'p90':>10}{'p99':>10}")
        print(f"{'webhook messages.upsert, 1 connection':<44}{serial[0]:>9.0f}{serial[1]:>10}{serial[2]:>10}{serial[3]:>10}")
        print(f"{'webhook messages.upsert (1 API process)':<44}{rps:>9.0f}{p50:>10}{p90:>10}{p99:>10}")
        print(f"{'pgbench single-row INSERT (same PostgreSQL)':<44}{tps:>9.0f}")
        print(f"ratio ingest / raw insert: {rps / tps:.2f}")
        print(f"CPU ms per message, 1 connection: {serial_cpu}")
        print(f"CPU ms per message, {args.connections} connections: {sustained_cpu}")


if __name__ == "__main__":
    main()
