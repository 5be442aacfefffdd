"""Disaster-recovery drill (seed 9.7): measure RTO and RPO of base backup + archived WAL.

On a scratch embedded PostgreSQL (the product's own) with the benchmark dataset (bench/dataset.py),
WAL archiving switched on as `evoai backup setup-wal-archive` does: a writer inserts WhatsApp messages
at a steady rate and records each commit's time, the WAL shipper runs as in the scheduler, a base
backup is taken mid-stream; then the machine is "lost" (PostgreSQL killed with -m immediate, its
data directory and the WAL spool deleted) and `restore_pitr` brings the latest possible moment back
into a new data directory on a new port.

    RTO = destroyed -> restored cluster answers a query on the messages table
    RPO = last committed write - last write present after the restore

    server/.venv/bin/python bench/dr_drill.py [--small] [--rate 20] [--after-base 90] [--archive-timeout 30]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from dataset import Sizes, load

from evoai.config import Settings
from evoai.ops import migrate
from evoai.ops.accounts import ensure_super_admin
from evoai.ops.backup import catalogue, pitr
from evoai.ops.embedded import EmbeddedPostgres, free_port


def say(message: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {message}", flush=True)


async def writer(
    url: str, company_id: uuid.UUID, rate: float, commits: list[tuple[int, float]], stop: asyncio.Event
) -> None:
    """One insert per 1/rate s, each its own transaction; record (n, wall time after COMMIT returned)."""
    connection = await asyncpg.connect(url)
    await connection.execute("SELECT set_config('app.bypass_rls', 'on', false)")
    conversation, instance = await connection.fetchrow(
        "SELECT id, instance_id FROM whatsapp_conversations WHERE company_id = $1 LIMIT 1", company_id
    )
    n = 0
    started = time.monotonic()
    try:
        while not stop.is_set():
            n += 1
            await connection.execute(
                """INSERT INTO whatsapp_messages (id, company_id, conversation_id, instance_id,
                     gateway_message_id, direction, kind, status, status_rank, from_me, is_bot, text,
                     sent_at, created_at)
                   VALUES (gen_random_uuid(), $1, $2, $3, $4, 'RECEIVED', 'text', 'RECEIVED', 0, false,
                     false, 'drill', now(), now())""",
                company_id,
                conversation,
                instance,
                f"DRILL{n}",
            )
            commits.append((n, time.time()))
            delay = started + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        pass  # the server was destroyed under us
    finally:
        connection.terminate()


async def shipper(settings: Settings, stop: asyncio.Event, shipped: list[int]) -> None:
    storage = catalogue.backup_storage(settings)
    while not stop.is_set():
        await asyncio.sleep(settings.BACKUP_WAL_SHIP_SECONDS)
        if not stop.is_set():
            shipped.append(await pitr.ship_wal(settings, storage))


async def drill(args: argparse.Namespace) -> None:
    root = Path(tempfile.mkdtemp(prefix="evoai-dr-drill-"))
    server = EmbeddedPostgres(root / "db", free_port())
    say(f"scratch {root}; starting PostgreSQL on {server.port}")
    await asyncio.to_thread(server.start)
    settings = Settings(
        DATABASE_URL=server.app_url,
        EVOAI_MIGRATION_URL=server.admin_url,
        BACKUP_DATABASE_URL=server.admin_url,
        EVOAI_DATA_DIR=root / "app",
        BACKUP_LOCAL_DIR=root / "backup-storage",
        BACKUP_WAL_ARCHIVE=True,
        BACKUP_WAL_SPOOL_DIR=root / "db" / "wal-spool",
        BACKUP_ARCHIVE_TIMEOUT_SECONDS=args.archive_timeout,
        BACKUP_WAL_SHIP_SECONDS=args.ship_every,
        ENCRYPTION_KEY="ab" * 32,
        JWT_SECRET="x" * 40,
    )
    restored: pitr.RestoredCluster | None = None
    try:
        await asyncio.to_thread(migrate.upgrade, server.admin_url)
        await ensure_super_admin(settings, "drill@evoai.example.com", "drill-password-123")
        connection = await asyncpg.connect(server.admin_url)
        company_id = await connection.fetchval("SELECT id FROM companies LIMIT 1")
        await connection.close()
        sizes = Sizes(5_000, 100_000, 500) if args.small else Sizes()
        clock = time.monotonic()
        await load(server.admin_url, company_id, sizes)
        say(f"dataset {sizes} loaded in {time.monotonic() - clock:.0f} s")
        setup = await pitr.setup_wal_archive(settings)
        say(f"WAL archiving on (restarted: {setup.restarted}), archive_timeout {args.archive_timeout} s")

        stop = asyncio.Event()
        commits: list[tuple[int, float]] = []
        shipped: list[int] = []
        tasks = [
            asyncio.create_task(writer(server.admin_url, company_id, args.rate, commits, stop)),
            asyncio.create_task(shipper(settings, stop, shipped)),
        ]
        await asyncio.sleep(5)
        storage = catalogue.backup_storage(settings)
        base = await pitr.base_backup(settings, storage)
        say(
            f"base backup {base.id}: {base.size / 1e6:.0f} MB in {base.duration_seconds:.0f} s"
            " (writes continued)"
        )
        await asyncio.sleep(args.after_base)

        # The machine is lost: no clean shutdown, no final archive, no final shipping.
        stop.set()
        major = int((server.pgdata / "PG_VERSION").read_text())
        pg_ctl = str(pitr.find_program(settings, "pg_ctl", major))
        destroyed = time.time()
        await asyncio.to_thread(
            pitr.run, [pg_ctl, "-D", str(server.pgdata), "-m", "immediate", "stop"], user=pitr._system_user()
        )
        await asyncio.gather(*tasks, return_exceptions=True)
        shutil.rmtree(root / "db")
        last_commit = max(at for _, at in commits)
        say(f"destroyed after {len(commits)} writes ({sum(shipped)} WAL files shipped); restoring")

        clock = time.monotonic()
        restored = await pitr.restore_pitr(settings, storage, target_dir=root / "restored")
        connection = await asyncpg.connect(restored.url.rsplit("/", 1)[0] + "/evoai")
        present = await connection.fetchval(
            "SELECT max(substr(gateway_message_id, 6)::int) FROM whatsapp_messages"
            " WHERE gateway_message_id LIKE 'DRILL%'"
        )
        total = await connection.fetchval("SELECT count(*) FROM whatsapp_messages")
        serving = time.time()
        await connection.close()
        rto = serving - destroyed
        by_n = dict(commits)
        last_present = by_n.get(present or 0, destroyed)
        rpo = last_commit - last_present if present else float("nan")
        say(
            f"restore: base {restored.base_id} + {restored.wal_segments} WAL files"
            f" in {restored.seconds:.0f} s; {total} messages"
        )
        print("\nRESULT")
        print(f"  dataset               {sizes}")
        print(
            f"  writes                {len(commits)} at {args.rate}/s, last present #{present},"
            f" lost {len(commits) - (present or 0)}"
        )
        print(f"  base backup           {base.size / 1e6:.0f} MB, {base.duration_seconds:.0f} s")
        print(f"  RTO (destroy->serving) {rto:.0f} s")
        print(f"  RPO (last commit lost window) {rpo:.1f} s")
    finally:
        if restored is not None:
            await pitr.stop_cluster(settings, restored.data_dir)
        if server.pgdata.exists():
            await asyncio.to_thread(server.stop)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a tenth of the dataset, for a quick check")
    parser.add_argument("--rate", type=float, default=20, help="writes per second")
    parser.add_argument(
        "--after-base", type=float, default=90, help="seconds of writes after the base backup"
    )
    parser.add_argument("--archive-timeout", type=int, default=30)
    parser.add_argument("--ship-every", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    asyncio.run(drill(parser.parse_args()))


if __name__ == "__main__":
    main()
