"""PostgreSQL client programs: finding the right version, connecting without secrets on the command line."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from evoai.config import Settings


class BackupError(Exception):
    """A backup, restore or verification step failed; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Target:
    """A libpq connection: the URL without its password, which travels in PGPASSWORD instead."""

    url: str
    password: str | None

    @property
    def database(self) -> str:
        return urlsplit(self.url).path.lstrip("/") or "postgres"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "127.0.0.1"

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 5432

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env

    def with_database(self, database: str) -> Target:
        parts = urlsplit(self.url)
        return Target(
            urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, "")), self.password
        )

    def asyncpg_dsn(self) -> str:
        """asyncpg reads the password from the URL, not from PGPASSWORD."""
        if self.password is None:
            return self.url
        parts = urlsplit(self.url)
        user, _, host = parts.netloc.rpartition("@")
        from urllib.parse import quote

        netloc = f"{user}:{quote(self.password, safe='')}@{host}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def parse_target(url: str) -> Target:
    parts = urlsplit(url)
    scheme = "postgresql"  # libpq knows neither "postgresql+asyncpg" nor SQLAlchemy's drivers
    password = unquote(parts.password) if parts.password is not None else None
    netloc = parts.netloc
    if password is not None:
        userinfo, _, host = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    return Target(urlunsplit((scheme, netloc, parts.path, parts.query, "")), password)


def backup_target(settings: Settings) -> Target:
    """The owner or superuser connection: row-level security must not hide rows from a backup."""
    url = settings.BACKUP_DATABASE_URL or settings.EVOAI_MIGRATION_URL or settings.DATABASE_URL
    if not url:
        raise BackupError("BACKUP_DATABASE_URL (or EVOAI_MIGRATION_URL / DATABASE_URL) is not set")
    return parse_target(url)


_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


def client_major(binary: Path) -> int | None:
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL client program found by find_program
            [str(binary), "--version"], capture_output=True, text=True, timeout=20, check=False
        )
    except OSError:
        return None
    match = _VERSION.search(result.stdout)
    return int(match.group(1)) if match else None


def _candidate_dirs(settings: Settings) -> list[Path]:
    dirs: list[Path] = []
    if settings.PG_BIN_DIR:
        dirs.append(Path(settings.PG_BIN_DIR))
    try:
        from evoai.ops.embedded import pg_bin_dir

        dirs.append(pg_bin_dir())
    except Exception:  # noqa: S110 - the wheel is optional outside development
        pass
    dirs.extend(Path(entry) for entry in os.environ.get("PATH", "").split(os.pathsep) if entry)
    dirs.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    return dirs


def find_program(settings: Settings, name: str, server_major: int) -> Path:
    """The client matching the server's major version, else the oldest newer one; never an older one
    (an older pg_dump cannot read a newer server's catalogue, and says so only halfway through)."""
    seen: dict[Path, int] = {}
    for directory in _candidate_dirs(settings):
        binary = directory / name
        if binary in seen or not (binary.is_file() and os.access(binary, os.X_OK)):
            continue
        major = client_major(binary)
        if major is not None:
            seen[binary] = major
    exact = [path for path, major in seen.items() if major == server_major]
    if exact:
        return exact[0]
    newer = sorted((major, str(path)) for path, major in seen.items() if major > server_major)
    if newer:
        return Path(newer[0][1])
    found = ", ".join(f"{path} ({major})" for path, major in seen.items()) or "none"
    raise BackupError(
        f"no {name} for PostgreSQL {server_major} or newer (found: {found}); "
        f"install the PostgreSQL {server_major} client programs or set PG_BIN_DIR"
    )


def run(args: list[str], *, env: dict[str, str] | None = None, user: str | None = None) -> str:
    """Run a client program; raise BackupError with the end of its stderr when it fails."""
    try:
        result = subprocess.run(  # noqa: S603 - programs found by find_program, arguments built here
            args, capture_output=True, text=True, env=env, check=False, user=user
        )
    except OSError as exc:
        raise BackupError(f"{Path(args[0]).name} could not start: {exc}") from exc
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{Path(args[0]).name} failed ({result.returncode}): {' | '.join(message)}")
    return result.stderr
