"""Scale-out on one PostgreSQL and one Redis: webhook ingest with 1 and 2 API processes (behind a
local nginx, so the client sees one address), and message processing with 1, 2 and 3 worker
processes.

Ingest: wrk drives distinct Evolution `messages.upsert` deliveries (bench/webhook_ingest.py's
script) through nginx, after a warm-up, for --seconds.
Processing: with the message queue paused, --messages deliveries are ingested, each from a new
customer, so each leaves one job on `message-worker` (`whatsapp.fetch_avatar`: with AI off and no
media that is the job an inbound text creates; here it loads its rows in one transaction and finds
no gateway credential). The workers are started and ready, then the queue is resumed and timed
until it is empty: queue, worker and database round trips, not gateway or LLM latency.

    apt-get install -y nginx wrk
    server/.venv/bin/python bench/scale_out.py [--seconds 15] [--connections 16] [--messages 2000]

Every process shares the machine's cores: read the numbers as the ratio between rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bullmq import Queue
from cluster import Cluster, cluster, nginx_binary
from rollout import _delivery
from webhook_ingest import LUA, _template

MESSAGE_QUEUE = "message-worker"


def wrk(url: str, seconds: int, connections: int, script: Path) -> tuple[float, str, str, str]:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"errors during the run:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    distribution = out.split("Latency Distribution", 1)[1]
    p50, p90, p99 = (re.search(rf"^\s*{q}%\s+(\S+)", distribution, re.M).group(1) for q in (50, 90, 99))  # type: ignore[union-attr]
    return rps, p50, p90, p99


def ingest(stack: Cluster, apis: int, seconds: int, connections: int) -> tuple[float, str, str, str]:
    procs = [stack.start_api() for _ in range(apis)]
    try:
        with stack.nginx([p.port or 0 for p in procs]) as base:
            _, _, name, secret = stack.seed(base)
            script = stack.data_dir / f"upsert-{apis}.lua"
            script.write_text(LUA % (_template(name), secret))
            url = f"{base}/api/whatsapp/webhook/{name}"
            wrk(url, 5, connections, script)  # warm-up: contacts, conversations, caches, pools
            return wrk(url, seconds, connections, script)
    finally:
        for proc in procs:
            proc.stop()
            stack.procs.remove(proc)


def _post(url: str, body: dict[str, object], secret: str) -> None:
    request = urllib.request.Request(  # noqa: S310 - our own local server
        url, json.dumps(body).encode(), {"Content-Type": "application/json", "X-Webhook-Token": secret}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
        response.read()


async def _counts(queue: Queue) -> dict[str, int]:
    counts: dict[str, int] = await queue.getJobCounts("waiting", "paused", "active", "delayed", "prioritized")
    return counts


async def _drain_time(queue: Queue, limit: float = 600) -> tuple[int, float]:
    before = await _counts(queue)
    jobs = before["paused"] + before["waiting"] + before["prioritized"]
    began = time.perf_counter()
    await queue.resume()
    while time.perf_counter() - began < limit:
        counts = await _counts(queue)
        if counts["waiting"] + counts["active"] + counts["paused"] + counts["prioritized"] == 0:
            return jobs, time.perf_counter() - began
        await asyncio.sleep(0.02)
    raise SystemExit(f"queue not drained within {limit} s: {await _counts(queue)}")


def processing(stack: Cluster, workers_counts: list[int], messages: int) -> list[tuple[int, int, float]]:
    api = stack.start_api()
    results = []
    try:
        _, _, name, secret = stack.seed(api.base)
        url = f"{api.base}/api/whatsapp/webhook/{name}"
        queue = Queue(MESSAGE_QUEUE, {"connection": stack.env["REDIS_URL"]})
        loop = asyncio.new_event_loop()
        try:
            for count in workers_counts:
                loop.run_until_complete(queue.pause())
                with ThreadPoolExecutor(8) as pool:
                    list(
                        pool.map(
                            lambda n, row=count: _post(
                                url, _delivery(name, f"SCALE{row}{n:07d}", f"552{row}9{n:08d}"), secret
                            ),
                            range(messages),
                        )
                    )
                time.sleep(2)  # the relay hands the last outbox rows to Redis
                workers = [stack.start_worker(MESSAGE_QUEUE) for _ in range(count)]
                time.sleep(1)
                jobs, took = loop.run_until_complete(_drain_time(queue))
                results.append((count, jobs, took))
                for worker in workers:
                    worker.stop()
                    stack.procs.remove(worker)
            loop.run_until_complete(queue.close())
        finally:
            loop.close()
    finally:
        api.stop()
        stack.procs.remove(api)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--apis", default="1,2,1,2", help="API process counts to measure, in order")
    args = parser.parse_args()
    if nginx_binary() is None:
        print("SKIP: nginx is not installed (apt-get install -y nginx)")
        return
    with cluster("evoai-bench-scale-") as stack:
        # Processing first: the ingest runs leave avatar jobs behind in the message queue.
        processed = processing(stack, [1, 2, 3], args.messages)
        counts = [int(n) for n in args.apis.split(",")]
        rows = [(apis, *ingest(stack, apis, args.seconds, args.connections)) for apis in counts]
    print(f"ingest: wrk -t1 -c{args.connections} -d{args.seconds}s through nginx")
    print(f"{'API processes':<16}{'per s':>9}{'p50':>10}{'p90':>10}{'p99':>10}")
    for apis, rps, p50, p90, p99 in rows:
        print(f"{apis:<16}{rps:>9.0f}{p50:>10}{p90:>10}{p99:>10}")
    print(f"processing: {args.messages} text messages ingested per row, queue resumed with the workers ready")
    print(f"{'worker processes':<18}{'jobs':>7}{'seconds':>9}{'jobs per s':>12}")
    for count, jobs, took in processed:
        print(f"{count:<18}{jobs:>7}{took:>9.1f}{jobs / took:>12.0f}")


if __name__ == "__main__":
    main()
