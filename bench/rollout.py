"""Zero-downtime rollout: two `evoai api` processes behind a local nginx take a steady load of reads
and webhook deliveries while first one, then the other, is sent SIGTERM and started again.

Passes when no request failed and every webhook message is stored exactly once (counted in
PostgreSQL). nginx's upstream health is passive: a refused connection, a connection dropped
mid-request or a 502/503 sends the request to the other process (webhook POSTs included: they are
idempotent by gateway message id; other POSTs only when they never reached a process).

    apt-get install -y nginx
    server/.venv/bin/python bench/rollout.py [--rate 40] [--settle 4]

Exits 0 on success, 1 on a failure, and 0 with a SKIP line when nginx is not installed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from cluster import Cluster, cluster, nginx_binary
from startup import ROOT

FIXTURE = ROOT / "server" / "tests" / "fixtures" / "whatsapp" / "evolution_messages_upsert_text.json"


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    webhook_ids: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    slow: list[tuple[float, float, str]] = field(default_factory=list)  # (started at, seconds, kind)


def _delivery(instance: str, message_id: str, number: str) -> dict[str, object]:
    body: dict[str, object] = json.loads(FIXTURE.read_text())
    body["instance"] = instance
    data = dict(body["data"])  # type: ignore[call-overload]
    key = dict(data["key"])
    key.update(id=message_id, remoteJid=f"{number}@s.whatsapp.net")
    key.pop("remoteJidAlt", None)
    data["key"] = key
    data["message"] = {"conversation": f"mensagem {message_id}"}
    body["data"] = data
    return body


async def _load(
    base: str, token: str, instance: str, secret: str, rate: float, stop: asyncio.Event, tally: Tally
) -> None:
    """`rate` requests a second in total, half reads and half webhook deliveries, each sent on its
    own schedule (an open loop: a slow answer does not slow the offered load)."""
    counter = itertools.count(1)
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one(kind: str) -> None:
            began = time.perf_counter()
            try:
                if kind == "read":
                    response = await client.get(
                        "/api/contacts", params={"limit": 20}, headers={"Authorization": f"Bearer {token}"}
                    )
                elif kind == "health":
                    response = await client.get("/health")
                else:
                    n = next(counter)
                    message_id = f"ROLLOUT{n:08d}"
                    tally.webhook_ids.append(message_id)
                    response = await client.post(
                        f"/api/whatsapp/webhook/{instance}",
                        json=_delivery(instance, message_id, f"55119{n % 200:08d}"),
                        headers={"X-Webhook-Token": secret},
                    )
                    if response.status_code == 200:
                        tally.reasons[response.json().get("reason", "?")] += 1
                ok = response.status_code == 200
                tally.outcomes[f"{kind} {response.status_code}"] += 1
                if not ok:
                    tally.failures.append(f"{kind} {response.status_code} {response.text[:200]}")
            except httpx.HTTPError as exc:
                tally.outcomes[f"{kind} {type(exc).__name__}"] += 1
                tally.failures.append(f"{kind} {type(exc).__name__}: {exc}")
            took = time.perf_counter() - began
            tally.latencies.append(took)
            if took > 1:
                tally.slow.append((began, took, kind))

        tasks: set[asyncio.Task[None]] = set()
        kinds = itertools.cycle(["webhook", "read", "webhook", "health"])
        interval = 1 / rate
        next_at = time.perf_counter()
        while not stop.is_set():
            task = asyncio.create_task(one(next(kinds)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        await asyncio.gather(*tasks)


async def _roll(stack: Cluster, settle: float, log: list[str], t0: float) -> None:
    apis = [p for p in stack.procs if p.kind == "api"]
    await asyncio.sleep(settle)
    for old in apis:
        began = time.perf_counter()
        took = await asyncio.to_thread(old.stop)
        log.append(
            f"t={began - t0:.1f} s: API on :{old.port} (pid {old.process.pid}) got SIGTERM, "
            f"exited after {took:.1f} s"
        )
        new = await asyncio.to_thread(stack.start_api, old.port)
        log.append(
            f"t={time.perf_counter() - t0:.1f} s: API on :{new.port} restarted (pid {new.process.pid}), "
            f"ready {time.perf_counter() - began:.1f} s after the SIGTERM"
        )
        stack.procs.remove(old)
        await asyncio.sleep(settle)


async def _rollout(stack: Cluster, base: str, rate: float, settle: float) -> tuple[Tally, list[str], float]:
    token, _, instance, secret = stack.seed(base)
    tally, log = Tally(), []
    stop = asyncio.Event()
    began = time.perf_counter()
    load = asyncio.create_task(_load(base, token, instance, secret, rate, stop, tally))
    await _roll(stack, settle, log, began)
    stop.set()
    await load
    for at, took, kind in tally.slow[:30]:
        log.append(f"  slow: t={at - began:.1f} s {kind} took {took:.1f} s")
    return tally, log, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=40, help="requests per second offered (total)")
    parser.add_argument("--settle", type=float, default=4, help="seconds of load before, between, after")
    parser.add_argument("--drain", default="2", help="SHUTDOWN_DRAIN_SECONDS of the API processes")
    args = parser.parse_args()
    if nginx_binary() is None:
        print("SKIP: nginx is not installed (apt-get install -y nginx); the rollout proof needs it")
        return 0
    with cluster(
        "evoai-bench-rollout-", SHUTDOWN_DRAIN_SECONDS=args.drain, SHUTDOWN_GRACE_SECONDS="20"
    ) as stack:
        first, second = stack.start_api(), stack.start_api()
        with stack.nginx([first.port or 0, second.port or 0]) as base:
            tally, log, seconds = asyncio.run(_rollout(stack, base, args.rate, args.settle))
        stored = stack.psql(
            "SELECT count(*), count(DISTINCT gateway_message_id) FROM whatsapp_messages "
            "WHERE gateway_message_id LIKE 'ROLLOUT%'"
        )
        retried = sum(
            1 for line in (stack.data_dir / "nginx-access.log").read_text().splitlines() if ", " in line
        )
    rows, distinct = (int(n) for n in stored.split("|"))
    sent = len(tally.webhook_ids)
    total = sum(tally.outcomes.values())
    latencies = sorted(tally.latencies)
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    for line in log:
        print(line)
    print(
        f"{total} requests in {seconds:.0f} s ({args.rate:.0f}/s offered), "
        f"SHUTDOWN_DRAIN_SECONDS={args.drain}"
    )
    print("outcomes:", dict(sorted(tally.outcomes.items())))
    print("webhook answers:", dict(tally.reasons))
    print(f"latency ms: p50 {p(0.5):.0f}  p99 {p(0.99):.0f}  max {latencies[-1] * 1000:.0f}")
    print(f"requests nginx passed to a second upstream: {retried}")
    print(f"webhook messages sent {sent}, rows stored {rows}, distinct {distinct}")
    failed = len(tally.failures)
    ok = failed == 0 and rows == sent == distinct
    for failure in tally.failures[:20]:
        print("  failed:", failure)
    print("PASS: zero failed requests, every message stored exactly once" if ok else f"FAIL: {failed} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
