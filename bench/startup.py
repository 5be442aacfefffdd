"""Time `evoai up` from launch to /health/ready: on a new data directory (initdb, migrations) and
again on the same data (warm), then stop it and time the clean shutdown.

    server/.venv/bin/python bench/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVOAI = ROOT / "server" / ".venv" / "bin" / "evoai"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_product(prefix: str, **overrides: str) -> Iterator[tuple[str, Path]]:
    """`evoai up` on a scratch data directory and a free port, with the embedded PostgreSQL and Redis;
    yields (base URL, data directory) once /health/ready answers; stops it and removes the data after."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(EVOAI_DATA_DIR=str(data_dir), PORT=str(port), LOG_LEVEL="warn", **overrides)
    process = subprocess.Popen([str(EVOAI), "up"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{base}/health/ready", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        yield base, data_dir
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
        shutil.rmtree(data_dir, ignore_errors=True)


def one_run(data_dir: Path) -> tuple[float, float]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(EVOAI_DATA_DIR=str(data_dir), PORT=str(port), NODE_ENV="development", LOG_LEVEL="warn")
    started = time.perf_counter()
    process = subprocess.Popen([str(EVOAI), "up"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit("evoai up exited before it was ready")
        time.sleep(0.05)
    ready = time.perf_counter() - started
    stop_started = time.perf_counter()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=120)
    return ready, time.perf_counter() - stop_started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold, warm, stops = [], [], []
    for _ in range(args.runs):
        data_dir = Path(tempfile.mkdtemp(prefix="evoai-bench-"))
        try:
            ready, stop = one_run(data_dir)
            cold.append(ready)
            stops.append(stop)
            ready, stop = one_run(data_dir)
            warm.append(ready)
            stops.append(stop)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(f"runs={args.runs}")
    print(f"new data dir -> ready: median {statistics.median(cold):.2f} s  (all: {', '.join(f'{x:.2f}' for x in cold)})")
    print(f"warm data dir -> ready: median {statistics.median(warm):.2f} s  (all: {', '.join(f'{x:.2f}' for x in warm)})")
    print(f"SIGTERM -> all stopped: median {statistics.median(stops):.2f} s")


if __name__ == "__main__":
    main()
