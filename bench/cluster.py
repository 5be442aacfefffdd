"""Several `evoai api` / `evoai worker` processes on one embedded PostgreSQL and Redis, optionally
behind a local nginx: the shared machinery of bench/rollout.py and bench/scale_out.py.

nginx is Debian's package (`apt-get install -y nginx`); without it `nginx_binary()` is None and the
scripts say so and stop.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from startup import ROOT, free_port

PYTHON = ROOT / "server" / ".venv" / "bin" / "python"
SECRETS = {
    "JWT_SECRET": "bench-jwt-secret-that-is-long-enough-0123456789",
    "ENCRYPTION_KEY": "cd" * 32,
    "WEBHOOK_SECRET": "bench-webhook-secret-0123456789",
}

NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format upstreamlog '$status $request_method $uri $upstream_addr $upstream_status';
    access_log {dir}/nginx-access.log upstreamlog;
    client_body_temp_path {dir}/nginx-body;
    proxy_temp_path {dir}/nginx-proxy;
    fastcgi_temp_path {dir}/nginx-fastcgi;
    uwsgi_temp_path {dir}/nginx-uwsgi;
    scgi_temp_path {dir}/nginx-scgi;
    client_max_body_size 50m;

    # Passive health: a server that refuses connections or answers 502/503 is skipped for
    # fail_timeout after max_fails failures, and the request goes to the next one.
    upstream evoai {{
{servers}
        keepalive 64;
    }}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' ''; }}

    server {{
        listen 127.0.0.1:{port};
        proxy_http_version 1.1;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_connect_timeout 1s;
        proxy_read_timeout 60s;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 3;
        proxy_next_upstream_timeout 15s;

        # Webhooks are idempotent (one row per instance + gateway message id), so a delivery whose
        # upstream died mid-request may be replayed on the other one: at worst it is a "duplicate".
        location /api/whatsapp/webhook/ {{
            proxy_pass http://evoai;
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
        }}
        # Other POSTs are retried only when the request never reached an upstream (refused).
        location / {{
            proxy_pass http://evoai;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def get(url: str, token: str | None = None, timeout: float = 5) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own local server
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own server
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def post_json(url: str, body: dict[str, object], token: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
        return dict(json.load(response)["data"])


@dataclass
class Proc:
    kind: str
    process: subprocess.Popen[bytes]
    port: int | None = None
    log: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 60) -> float:
        """SIGTERM and wait; returns how long the process took to exit."""
        began = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return time.monotonic() - began


@dataclass
class Cluster:
    """The embedded PostgreSQL and Redis of a scratch directory, and the processes started on them."""

    data_dir: Path
    env: dict[str, str]
    admin_url: str
    procs: list[Proc] = field(default_factory=list)

    def start_api(self, port: int | None = None, **overrides: str) -> Proc:
        port = port or free_port()
        log = self.data_dir / f"api-{port}.log"
        process = subprocess.Popen(  # noqa: S603
            [str(PYTHON), "-m", "evoai.cli", "api", "--host", "127.0.0.1", "--port", str(port)],
            env={**self.env, **overrides},
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        proc = Proc("api", process, port, log)
        self.procs.append(proc)
        self.wait_ready(proc)
        return proc

    def wait_ready(self, proc: Proc, timeout: float = 60) -> float:
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if proc.process.poll() is not None:
                raise SystemExit(f"{proc.kind} exited during start-up; see {proc.log}")
            try:
                if get(f"{proc.base}/health/ready", timeout=1)[0] == 200:
                    return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"{proc.kind} on port {proc.port} not ready within {timeout} s")

    def start_worker(self, *queues: str, **overrides: str) -> Proc:
        log = self.data_dir / f"worker-{time.monotonic_ns()}.log"
        args = [arg for queue in queues for arg in ("--queue", queue)]
        process = subprocess.Popen(  # noqa: S603
            [str(PYTHON), "-m", "evoai.cli", "worker", *args],
            env={**self.env, "LOG_LEVEL": "info", **overrides},
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        proc = Proc("worker", process, None, log)
        self.procs.append(proc)
        deadline = time.monotonic() + 60
        while "worker.started" not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"worker did not start; see {log}")
            time.sleep(0.05)
        return proc

    @contextmanager
    def nginx(self, api_ports: list[int], port: int | None = None) -> Iterator[str]:
        binary = nginx_binary()
        if binary is None:
            raise SystemExit("nginx is not installed (apt-get install -y nginx)")
        port = port or free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in api_ports)
        conf = self.data_dir / f"nginx-{port}.conf"
        conf.write_text(NGINX_CONF.format(dir=self.data_dir, servers=servers, port=port))
        process = subprocess.Popen(  # noqa: S603
            [
                binary,
                "-p",
                str(self.data_dir),
                "-e",
                str(self.data_dir / "nginx-error.log"),
                "-c",
                str(conf),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    get(f"{base}/health/live", timeout=1)
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(
                            f"nginx did not start: {(self.data_dir / 'nginx-error.log').read_text()[-2000:]}"
                        ) from None
                    time.sleep(0.05)
            yield base
        finally:
            process.send_signal(signal.SIGQUIT)  # graceful
            process.wait(timeout=10)

    def seed(self, base: str) -> tuple[str, str, str, str]:
        """A company (through the API), and a WhatsApp instance row as the tests create it (no gateway
        is needed: nothing is sent). Returns (access token, company id, instance name, webhook secret)."""
        account = post_json(
            f"{base}/api/auth/register",
            {
                "email": f"bench-{uuid.uuid4().hex[:8]}@example.com",
                "password": "bench-password",
                "fullName": "Bench",
                "companyName": "Bench Co",
            },
        )
        token = str(account["accessToken"])
        company_id = str(dict(account["company"])["id"])  # type: ignore[call-overload]
        name, secret = f"bench-{secrets.token_hex(4)}", secrets.token_urlsafe(24)
        script = (
            "import asyncio, uuid, sys\n"
            "from evoai.config import Settings\n"
            "from evoai.db import create_engine, session_factory, system_session\n"
            "from evoai.kit.crypto import encrypt\n"
            "from evoai.models import WhatsAppInstance\n"
            "async def main():\n"
            "    s = Settings()\n"
            "    engine = create_engine(s)\n"
            "    async with system_session(session_factory(engine)) as session:\n"
            "        session.add(WhatsAppInstance(company_id=uuid.UUID(sys.argv[1]), provider='EVOLUTION',\n"
            "            name=sys.argv[2], gateway_name=sys.argv[2], connection_status='open',\n"
            "            webhook_secret_encrypted=encrypt(sys.argv[3], s.encryption_key_bytes)))\n"
            "    await engine.dispose()\n"
            "asyncio.run(main())\n"
        )
        subprocess.run([str(PYTHON), "-c", script, company_id, name, secret], env=self.env, check=True)  # noqa: S603
        return token, company_id, name, secret

    def psql(self, sql: str) -> str:
        from evoai.ops.embedded import pg_bin_dir  # the venv's interpreter runs these scripts

        out = subprocess.run(  # noqa: S603
            [str(pg_bin_dir() / "psql"), self.admin_url, "-Atqc", sql],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()


@contextmanager
def cluster(prefix: str, **overrides: str) -> Iterator[Cluster]:
    """Embedded PostgreSQL + Redis in a scratch directory, migrated; every process is stopped and the
    directory removed afterwards."""
    from evoai.ops import migrate
    from evoai.ops.embedded import EmbeddedStack

    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    stack = EmbeddedStack.in_dir(data_dir / "stack")
    stack.postgres.port, stack.redis.port = free_port(), free_port()
    stack.start()
    try:
        migrate.upgrade(stack.postgres.admin_url)
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "OTEL_"))
        }
        env.update(
            NODE_ENV="development",
            DATABASE_URL=stack.postgres.app_url,
            REDIS_URL=stack.redis.url,
            EVOAI_DATA_DIR=str(data_dir / "evoai"),
            EVOAI_SANDBOX="false",
            LOG_LEVEL="warning",
            RATE_LIMIT_MAX="100000000",
            WEBHOOK_RATE_LIMIT_MAX="100000000",
            PYTHONUNBUFFERED="1",
            **SECRETS,
        )
        env.update(overrides)
        running = Cluster(data_dir, env, stack.postgres.admin_url)
        try:
            yield running
        finally:
            for proc in reversed(running.procs):
                proc.stop(timeout=30)
    finally:
        stack.stop()
        if not os.environ.get("EVOAI_BENCH_KEEP"):
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    print("a helper of bench/rollout.py and bench/scale_out.py", file=sys.stderr)
