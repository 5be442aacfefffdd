"""The CRM's reading paths under concurrent load, on the benchmark dataset (bench/dataset.py).

Starts its own `evoai up` on a scratch data directory, registers a company, loads the dataset into it
(50,000 contacts, 1,000,000 messages, 5,000 deals by default), then sends an open-loop stream of
requests at a fixed rate (a request leaves every 1/rate seconds whether or not earlier ones have
answered, so slow answers cannot hide by slowing the load) for a fixed time, mixing:

  contacts list (first page, newest first) · contact search (names with and without accents, phone
  fragments, e-mail fragments) · inbox conversation list · the Kanban board of the default funnel

and reports per-endpoint and overall throughput and p50/p95/p99 latency. One API process.

    server/.venv/bin/python bench/crm_load.py [--rates 50,100,200] [--seconds 30] [--small]

Everything (API, PostgreSQL, Redis, workers, this client) shares the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

import aiohttp
from dataset import Sizes, load
from cpu import cpu_seconds, per_request
from startup import free_port, running_product

SEARCHES = ["silva", "joao", "João", "conceição", "maria s", "1000123", "119100", "example.com", "Brandão", "ana"]


def _call(url: str, body: dict[str, object] | None = None, token: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, headers, method="POST" if body is not None else "GET")
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own local server
        return json.load(response)  # type: ignore[no-any-return]


def _mix(funnel_id: str) -> list[tuple[str, str]]:
    rng = random.Random(7)
    paths = [("contacts list", "/api/contacts?limit=50")]
    paths += [("contact search", f"/api/contacts?limit=50&search={term}") for term in SEARCHES]
    paths += [("inbox list", "/api/whatsapp/conversations?limit=30")]
    paths += [("board", f"/api/funnels/{funnel_id}/board")]
    weights = [3] + [1] * len(SEARCHES) + [3, 2]
    return rng.choices(paths, weights, k=2000)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def drive(base: str, token: str, funnel_id: str, rate: int, seconds: int) -> dict[str, list[float]]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    mix = _mix(funnel_id)
    headers = {"Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(headers=headers, timeout=timeout,
                                     connector=aiohttp.TCPConnector(limit=256)) as http:

        async def one(name: str, path: str) -> None:
            started = time.perf_counter()
            try:
                async with http.get(base + path) as response:
                    await response.read()
                    if response.status != 200:
                        errors[f"{name} {response.status}"] += 1
            except TimeoutError:
                errors[f"{name} timeout"] += 1
            latencies[name].append((time.perf_counter() - started) * 1000)

        # Warm-up: the pools, the caches and the query plans.
        await asyncio.gather(*(one("warm-up", path) for _, path in mix[:50]))
        latencies.clear()
        tasks = []
        start = time.perf_counter()
        for n in range(rate * seconds):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            name, path = mix[n % len(mix)]
            tasks.append(asyncio.create_task(one(name, path)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    if errors:
        print(f"errors: {dict(errors)}")
    total = sum(len(v) for v in latencies.values())
    print(f"achieved {total / elapsed:.0f} requests/s over {elapsed:.1f} s (target {rate}/s)")
    return latencies


def report(latencies: dict[str, list[float]]) -> None:
    print(f"{'endpoint':<18}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    everything = [v for values in latencies.values() for v in values]
    for name, values in [*sorted(latencies.items()), ("all", everything)]:
        print(f"{name:<18}{len(values):>9}{statistics.median(values):>9.1f}"
              f"{percentile(values, 0.95):>9.1f}{percentile(values, 0.99):>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="200", help="comma-separated request rates, run in turn")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--small", action="store_true", help="a tenth of the dataset, for a quick check")
    args = parser.parse_args()
    sizes = Sizes(5_000, 100_000, 500) if args.small else Sizes()
    # Its own sandbox port, so it can run beside another `evoai up` (the default port would collide).
    overrides = {"RATE_LIMIT_MAX": "100000000", "SANDBOX_PORT": str(free_port())}
    with running_product("evoai-bench-crm-", **overrides) as (base, data_dir):
        account = _call(f"{base}/api/auth/register", {
            "email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "bench-password",
            "fullName": "Bench", "companyName": "Bench Co"})["data"]
        token = str(account["accessToken"])  # type: ignore[index]
        company_id = uuid.UUID(str(account["company"]["id"]))  # type: ignore[index]
        port = (Path(data_dir) / "postgres.port").read_text().strip()
        timings = asyncio.run(load(f"postgresql://postgres@127.0.0.1:{port}/evoai", company_id, sizes))
        print(f"dataset {sizes}: loaded in {sum(timings.values()):.0f} s {timings}")
        funnels = _call(f"{base}/api/funnels", token=token)["data"]
        funnel_id = next(f["id"] for f in funnels if f["isDefault"])  # type: ignore[union-attr]
        for rate in (int(r) for r in args.rates.split(",")):
            before = cpu_seconds(data_dir)
            latencies = asyncio.run(drive(base, token, funnel_id, rate, args.seconds))
            spent = per_request(before, cpu_seconds(data_dir), sum(map(len, latencies.values())))
            report(latencies)
            print(f"CPU ms per request, by process: {spent}")


if __name__ == "__main__":
    main()
