"""SIGTERM on real `evoai api` and `evoai worker` processes (what a rollout does to a pod).

API: readiness turns 503 at once while the process keeps serving for SHUTDOWN_DRAIN_SECONDS, then
it stops accepting, finishes the request in flight and exits within the bound.
Worker: it takes no new job, finishes the one it runs (or, past the grace period, puts it back in
the queue), and another worker runs what it left.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from bullmq import Queue

from evoai.config import Settings
from evoai.worker import queues
from tests.observability.obs_helpers import SERVER_DIR, process_env, refuses_connections, start_api

DRAIN = 2.0
GRACE = 10


def _api_drains(settings: Settings, tmp: Path) -> None:
    env = process_env(settings, tmp / "data", SHUTDOWN_DRAIN_SECONDS=DRAIN, SHUTDOWN_GRACE_SECONDS=GRACE)
    log = tmp / "api.log"
    process, base = start_api(env, log)
    try:
        body = json.dumps(
            {
                "email": "slow-client@example.com",
                "password": "correct-horse-battery",
                "fullName": "Slow",
                "companyName": "Slow Co",
            }
        ).encode()
        host, port = base.removeprefix("http://").split(":")
        slow = socket.create_connection((host, int(port)), timeout=30)
        head = (
            f"POST /api/auth/register HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        # A slow client: headers and half the body now, the rest after the SIGTERM.
        slow.sendall(head + body[:20])
        time.sleep(0.5)

        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        ready = httpx.get(f"{base}/health/ready", timeout=2)
        assert ready.status_code == 503, ready.text
        assert ready.json() == {"status": "not ready", "error": "shutting down"}
        assert time.monotonic() - signalled < 1.5
        # Still serving during the drain delay, so nothing in the balancer's hands fails.
        assert httpx.get(f"{base}/health/live", timeout=2).status_code == 200

        while not refuses_connections(base):
            assert time.monotonic() - signalled < DRAIN + 3, "still accepting long after the drain delay"
            time.sleep(0.1)
        assert time.monotonic() - signalled >= DRAIN - 0.2
        assert process.poll() is None, "exited with a request in flight"

        slow.sendall(body[20:])
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = slow.recv(65536)
            if not chunk:
                break
            response += chunk
        slow.close()
        assert response.startswith(b"HTTP/1.1 201"), response[:300]

        code = process.wait(timeout=DRAIN + GRACE + 5)
        # uvicorn re-raises the signal once it has shut down cleanly, so the status says SIGTERM.
        assert code in (0, -signal.SIGTERM), log.read_text()[-2000:]
        assert time.monotonic() - signalled < DRAIN + GRACE
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_api_drains_on_sigterm(settings: Settings, tmp_path: Path) -> None:
    await asyncio.to_thread(_api_drains, settings, tmp_path)


class WorkerProcess:
    def __init__(self, settings: Settings, tmp: Path, name: str, grace: int) -> None:
        self.log = tmp / f"{name}.log"
        env = process_env(
            settings, tmp / "data", SHUTDOWN_GRACE_SECONDS=grace, EVOAI_TEST_MARKERS=str(tmp / "markers")
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.observability.worker_child", "--queue", queues.FLOW],
            env=env,
            cwd=SERVER_DIR,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        self.pid = self.process.pid

    async def started(self) -> None:
        for _ in range(300):
            if self.log.exists() and "worker.started" in self.log.read_text():
                return
            assert self.process.poll() is None, self.log.read_text()[-2000:]
            await asyncio.sleep(0.1)
        raise AssertionError(f"worker not started:\n{self.log.read_text()[-2000:]}")

    async def stop(self, within: float) -> tuple[int, float]:
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(self.process.wait, within)
        return code, time.monotonic() - began

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _read_marker(markers: Path, pattern: str) -> str | None:
    found = sorted(markers.glob(pattern))
    return found[0].read_text() if found else None


async def _marker(markers: Path, pattern: str, within: float = 15) -> str:
    """The pid in the first marker file matching `pattern`, waiting for it to appear."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        pid = await asyncio.to_thread(_read_marker, markers, pattern)
        if pid is not None:
            return pid
        await asyncio.sleep(0.05)
    raise AssertionError(f"no marker {pattern}")


async def test_a_stopping_worker_finishes_its_job_and_takes_no_new_one(
    settings: Settings, tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    queue = Queue(queues.FLOW, {"connection": settings.REDIS_URL})
    first = WorkerProcess(settings, tmp_path, "first", grace=GRACE)
    second: WorkerProcess | None = None
    try:
        await first.started()
        await queue.add("test.slow", {"id": "slow", "seconds": 3}, {"jobId": "slow", "attempts": 1})
        assert await _marker(markers, "slow.started.*") == str(first.pid)

        stopping = asyncio.create_task(first.stop(within=GRACE + 10))
        await asyncio.sleep(0.5)
        await queue.add("test.mark", {"id": "late"}, {"jobId": "late", "attempts": 1})
        code, took = await stopping
        assert code == 0, first.log.read_text()[-2000:]
        assert took < GRACE
        assert await _marker(markers, "slow.finished.*", within=1) == str(first.pid)
        assert _read_marker(markers, "late.ran.*") is None, "the stopping worker took a new job"
        assert (await queue.getJobCounts("waiting", "active"))["waiting"] == 1

        second = WorkerProcess(settings, tmp_path, "second", grace=GRACE)
        await second.started()
        assert await _marker(markers, "late.ran.*") == str(second.pid)
    finally:
        first.kill()
        if second is not None:
            second.kill()
        await queue.close()


async def test_a_job_cut_off_by_the_grace_period_goes_to_another_worker(
    settings: Settings, tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    queue = Queue(queues.FLOW, {"connection": settings.REDIS_URL})
    first = WorkerProcess(settings, tmp_path, "first", grace=1)
    second: WorkerProcess | None = None
    try:
        await first.started()
        await queue.add("test.slow", {"id": "long", "seconds": 60}, {"jobId": "long", "attempts": 3})
        assert await _marker(markers, "long.started.*") == str(first.pid)
        second = WorkerProcess(settings, tmp_path, "second", grace=1)
        await second.started()

        code, took = await first.stop(within=20)
        assert code == 0, first.log.read_text()[-2000:]
        assert took < 6, f"took {took:.1f} s"
        assert "worker.job_released" in first.log.read_text()
        # Released, not left to the lock's expiry (30 s): the other worker starts it at once.
        assert await _marker(markers, f"long.started.{second.pid}", within=5) == str(second.pid)
        job = await queue.getJob("long")
        assert job is not None
        assert job.attemptsMade == 0  # a cut-off is not a failed attempt
    finally:
        first.kill()
        if second is not None:
            second.kill()
        await queue.close()
