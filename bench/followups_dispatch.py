"""100,000 follow-ups due in the same minute: how long the platform takes to send them all with the
seed's concurrency (FOLLOWUP_WORKER_CONCURRENCY=5, one followup-worker process), and how late after
its due time the last one leaves.

Starts its own embedded PostgreSQL and Redis in a scratch directory, applies the migrations, makes one
company (--plan, enterprise by default: no monthly message quota to count) with --count contacts and
one conversation each (bench/dataset.py's shapes) on a connected instance, a TEMPLATE rule, and
--count PENDING follow-ups due at random moments within one minute that starts --lead seconds after
the load. Then it runs `evoai scheduler` (queues the alarms ARM_AHEAD before they are due) and
`evoai worker --queue followup-worker` --workers times, and polls the database until every follow-up
is SENT. "Leaves" means handed to the outbound queue (status SENT, the message stored and its send
job queued): the message-worker that talks to the gateway is not run, so this measures the follow-up
path alone.

    server/.venv/bin/python bench/followups_dispatch.py [--count 100000] [--workers 1]
        [--concurrency 5] [--plan enterprise] [--lead 150]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT / "bench"))

from dataset import Sizes, load
from evoai.ops import migrate
from evoai.ops.embedded import EmbeddedStack, free_port

EVOAI = ROOT / "server" / ".venv" / "bin" / "evoai"
SECRETS = {
    "JWT_SECRET": "bench-jwt-secret-that-is-long-enough-0123456789",
    "ENCRYPTION_KEY": "cd" * 32,
    "WEBHOOK_SECRET": "bench-webhook-secret-0123456789",
}


async def seed(url: str, count: int, plan: str, lead: float) -> tuple[uuid.UUID, float]:
    """The company, its chats, a rule and the follow-ups; returns (company, due window start epoch)."""
    company_id, rule_id = uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "INSERT INTO companies (id, name, plan_type) VALUES ($1, 'Bench Co', $2)",
            company_id,
            plan,
        )
    finally:
        await connection.close()
    started = time.perf_counter()
    await load(url, company_id, Sizes(contacts=count, messages=0, deals=0))
    print(
        f"loaded {count} contacts and conversations in {time.perf_counter() - started:.0f} s"
    )
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("SELECT set_config('app.bypass_rls', 'on', false)")
        await connection.execute(
            "UPDATE whatsapp_instances SET connection_status = 'open' WHERE company_id = $1",
            company_id,
        )
        await connection.execute(
            """INSERT INTO followup_rules (id, company_id, name, trigger_type, trigger_config, action_type,
                 action_template, action_config, conditions, post_actions, max_followups_per_contact,
                 min_interval_hours, respect_business_hours, allowed_days, ai_validation_enabled, priority,
                 max_attempts, is_active)
               VALUES ($1, $2, 'Bench', 'TAG_ADDED', '{"value": 0, "unit": "minutes"}', 'TEMPLATE',
                 'Oi {{contact.firstName}}, ainda posso ajudar?', '{}', '{}', '{}', 3, 0, false,
                 ARRAY['mon','tue','wed','thu','fri','sat','sun'], false, 0, 3, true)""",
            rule_id,
            company_id,
        )
        window_start = time.time() + lead
        await connection.execute(
            """INSERT INTO followups (id, company_id, rule_id, rule_name, conversation_id, contact_id,
                 trigger_type, basis_at, due_at, scheduled_for, status, attempt, max_attempts, source,
                 context)
               SELECT gen_random_uuid(), $1, $2, 'Bench', c.id, c.contact_id, 'TAG_ADDED',
                      d - interval '1 hour', d, d, 'PENDING', 1, 3, 'rule', '{}'
               FROM (SELECT id, contact_id, to_timestamp($3 + random() * 60) AS d
                     FROM whatsapp_conversations WHERE company_id = $1) c""",
            company_id,
            rule_id,
            window_start,
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return company_id, window_start


async def watch(
    url: str, company_id: uuid.UUID, count: int, window_start: float, limit: float
) -> None:
    connection = await asyncpg.connect(url)
    await connection.execute("SELECT set_config('app.bypass_rls', 'on', false)")
    try:
        last_report = 0.0
        while True:
            sent = await connection.fetchval(
                "SELECT count(*) FROM followups WHERE company_id = $1 AND status <> 'PENDING'",
                company_id,
            )
            now = time.time()
            if now - last_report >= 10:
                print(
                    f"  t={now - window_start:+6.0f} s  done {sent}/{count}", flush=True
                )
                last_report = now
            if sent >= count or now - window_start > limit:
                break
            await asyncio.sleep(1)
        row = await connection.fetchrow(
            """SELECT count(*) FILTER (WHERE status = 'SENT') AS sent,
                      count(*) FILTER (WHERE status NOT IN ('SENT', 'PENDING')) AS other,
                      min(scheduled_for) AS first_due, max(scheduled_for) AS last_due,
                      min(sent_at) AS first_sent, max(sent_at) AS last_sent,
                      percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP
                        (ORDER BY extract(epoch FROM sent_at - scheduled_for)) AS late,
                      max(extract(epoch FROM sent_at - scheduled_for)) AS worst
               FROM followups WHERE company_id = $1""",
            company_id,
        )
        messages = await connection.fetchval(
            "SELECT count(*) FROM whatsapp_messages WHERE company_id = $1 AND is_bot",
            company_id,
        )
    finally:
        await connection.close()
    span = (
        (row["last_sent"] - row["first_due"]).total_seconds()
        if row["last_sent"]
        else float("nan")
    )
    p50, p95, p99 = row["late"] or (float("nan"),) * 3
    print(
        f"sent {row['sent']} (other outcomes {row['other']}), bot messages stored {messages}"
    )
    print(f"due between {row['first_due']:%H:%M:%S} and {row['last_due']:%H:%M:%S} UTC")
    print(
        f"first due → last sent: {span:.1f} s ({row['sent'] / span:.0f} follow-ups/s over that span)"
    )
    print(
        f"lateness (sent − due): p50 {p50:.1f} s, p95 {p95:.1f} s, p99 {p99:.1f} s, last one {row['worst']:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=5)
    parser.add_argument("--plan", default="enterprise")
    parser.add_argument(
        "--lead",
        type=float,
        default=150.0,
        help="seconds from the load to the due minute",
    )
    parser.add_argument(
        "--limit",
        type=float,
        default=3600.0,
        help="give up this long after the due minute",
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="evoai-bench-followups-"))
    stack = EmbeddedStack.in_dir(scratch)
    stack.postgres.port, stack.redis.port = free_port(), free_port()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        stack.start()
        migrate.upgrade(stack.postgres.admin_url)
        company_id, window_start = asyncio.run(
            seed(stack.postgres.admin_url, args.count, args.plan, args.lead)
        )
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_URL", "REDIS_URL"))
        }
        env.update(
            SECRETS,
            DATABASE_URL=stack.postgres.app_url,
            REDIS_URL=stack.redis.url,
            EVOAI_DATA_DIR=str(scratch),
            LOG_LEVEL="warning",
            FOLLOWUP_WORKER_CONCURRENCY=str(args.concurrency),
            DB_POOL_SIZE="10",
        )
        commands = [["scheduler"]] + [
            ["worker", "--queue", "followup-worker"]
        ] * args.workers
        for command in commands:
            processes.append(subprocess.Popen([str(EVOAI), *command], env=env))
        print(
            f"{args.count} follow-ups due within one minute from {args.lead:.0f} s from now; "
            f"{args.workers} followup-worker process(es) × concurrency {args.concurrency}, plan {args.plan}"
        )
        asyncio.run(
            watch(
                stack.postgres.admin_url,
                company_id,
                args.count,
                window_start,
                args.limit,
            )
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        stack.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
