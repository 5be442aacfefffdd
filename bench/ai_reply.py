"""The AI reply path's own overhead: webhook received -> the answer accepted by the gateway.

Starts its own `evoai up` (API, workers, scheduler, the sandbox gateway and its scripted
OpenAI-compatible model, which answers at once), connects a sandbox instance with the AI on
(autonomy 0, quiet window 0), then has N customers write one message each, one at a time. For each
turn it reads from PostgreSQL when the inbound message was stored (the webhook's transaction) and
when the AI's answer was marked SENT (the gateway accepted it), and reports the distribution.
Model time is (almost) excluded: the scripted model answers in about a millisecond.

    server/.venv/bin/python bench/ai_reply.py [--customers 60]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

from startup import EVOAI, free_port, running_product
from webhook_ingest import _call

# Stored (the webhook's transaction) -> the answer queued (the turn committed) -> SENT (the transaction
# that records the gateway's acceptance, whose outbox row keeps its time: updated_at moves on with
# the delivery receipts).
QUERY = """
SELECT extract(epoch FROM (a.sent_at - c.created_at)) * 1000, extract(epoch FROM (o.created_at - c.created_at)) * 1000
FROM whatsapp_messages c
JOIN whatsapp_messages a ON a.conversation_id = c.conversation_id AND a.is_bot
JOIN outbox o ON o.name = 'message-status' AND o.payload->>'messageId' = a.id::text AND o.payload->>'status' = 'SENT'
WHERE c.direction = 'RECEIVED'
"""


def _psql(data_dir: Path, sql: str) -> list[str]:
    port = (data_dir / "postgres.port").read_text().strip()
    bin_dir = subprocess.run(  # noqa: S603
        [str(EVOAI.parent / "python"), "-c", "from evoai.ops.embedded import pg_bin_dir; print(pg_bin_dir())"],
        capture_output=True, text=True, check=True).stdout.strip()
    out = subprocess.run([f"{bin_dir}/psql", f"postgresql://postgres@127.0.0.1:{port}/evoai", "-Atc", sql],  # noqa: S603
                         capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def _sandbox(url: str, body: dict[str, object]) -> None:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 - our own local sandbox


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=60)
    args = parser.parse_args()
    sandbox_port = str(free_port())
    sandbox = f"http://127.0.0.1:{sandbox_port}"
    overrides = {"SANDBOX_PORT": sandbox_port, "OPENAI_BASE_URL": f"{sandbox}/v1", "OPENAI_API_KEY": "bench",
                 "AI_TYPING_MS_PER_CHAR": "0", "NODE_ENV": "development"}
    with running_product("evoai-bench-ai-", **overrides) as (base, data_dir):
        time.sleep(2)  # the sandbox child starts too
        secrets = json.loads((data_dir / "secrets.json").read_text())
        account = _call(f"{base}/api/auth/register", {
            "email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "bench-password",
            "fullName": "Bench", "companyName": "Bench Co"})
        token = str(account["accessToken"])
        _call(f"{base}/api/whatsapp/provider-credentials", {
            "provider": "EVOLUTION", "apiUrl": sandbox, "apiKey": secrets["SANDBOX_API_KEY"]}, token)
        instance = _call(f"{base}/api/whatsapp/instances", {"instanceName": "Bench"}, token)
        detail = _call(f"{base}/api/whatsapp/instances/{instance['id']}", token=token)
        name = str(dict(detail["webhook"])["url"]).rsplit("/", 1)[-1]  # type: ignore[call-overload]
        _call(f"{base}/api/whatsapp/instances/{instance['id']}/connect", {}, token)
        _sandbox(f"{sandbox}/sandbox/instances/{name}/scan", {})
        request = urllib.request.Request(
            f"{base}/api/ai/instances/{instance['id']}",
            json.dumps({"enabled": True, "autonomyLevel": 0, "quietWindowSeconds": 0}).encode(),
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}, method="PATCH")
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 - our own local server
        time.sleep(11)  # the webhook's instance cache (10 s) learns that the AI is on
        for index in range(args.customers):
            _sandbox(f"{sandbox}/sandbox/instances/{name}/customer-messages",
                  {"from": f"55119{index:08d}", "name": f"Cliente {index}", "text": "Oi, qual o preço?"})
            time.sleep(0.4)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rows = [tuple(float(v) for v in line.split("|")) for line in _psql(data_dir, QUERY)]
            if len(rows) >= args.customers:
                break
            time.sleep(1)
        print(f"{len(rows)} turns (customers one at a time, quiet window 0, scripted model)")
        for label, values in (("stored -> answer queued", sorted(r[0] for r in rows)),
                              ("stored -> answer SENT at the gateway", sorted(r[1] for r in rows))):
            print(f"{label:<40} ms: p50 {statistics.median(values):.0f}, "
                  f"p90 {values[int(len(values) * 0.9) - 1]:.0f}, max {values[-1]:.0f}")


if __name__ == "__main__":
    main()
