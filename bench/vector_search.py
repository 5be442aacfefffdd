"""Semantic search (evoai/ai/memory.py) at scale: HNSW under the tenant filter and row-level security.

Starts its own embedded PostgreSQL (pgvector 0.8) in a scratch directory, applies the migrations,
creates ten companies and fills `ai_embeddings` with one large company (--big vectors) and nine
small ones (--small each). Vectors have --dims dimensions (256 by default: 1536-dimension vectors
are 6 KB each, too much for this machine at these sizes) and are generated in SQL with a low
intrinsic dimension, as text embeddings have: vector g is sum_k level_k(g) * B_k over 8 random basis
vectors B_k (coordinates in [-0.5, 0.5]) with 21 levels (-1 .. 1) per k chosen by a hash of g, plus
a little noise (a pool of 10,007 vectors, coordinates in [-0.02, 0.02]). Every company draws from
the same basis (they talk about the same things). Clusters with i.i.d. noise were tried first: in
256 dimensions every member of a cluster is then about equally far from a query, "the top 10" is a
tie, and recall measures nothing.

A benchmark-only HNSW index on the `(embedding::vector(<dims>))` expression (partial,
`WHERE dimensions = <dims>`, like the application's 1536 index) is built and timed, and dropped at
the end. Then, as the application role (`evoai_app`: row-level security applies) through the
application's own `memory.search` (tenant set per transaction, iterative scan, ef_search, exact
fallback), it measures top-10 latency over --queries queries for the large company and a small one,
and recall@10 against an exact scan (no index) on --recall of them, for each --ef value. Queries are
stored vectors (of any company) moved by fresh noise.

    server/.venv/bin/python bench/vector_search.py [--big 200000] [--small 20000] [--dims 256]
        [--queries 200] [--recall 20] [--ef 40,100,200]
"""

# ruff: noqa: S608 - the SQL is built from numbers and ids this script made
from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from evoai.ai import memory  # noqa: E402
from evoai.config import Settings  # noqa: E402
from evoai.db import create_engine, session_factory, system_session  # noqa: E402
from evoai.ops import migrate  # noqa: E402
from evoai.ops.embedded import EmbeddedPostgres, free_port  # noqa: E402

MODEL = "bench-embedding"
LATENT = 8
LEVELS = 21
NOISE = 10007
SPREAD = 0.04  # noise per coordinate in [-0.02, 0.02]
SLICE = 100_000
PRIMES = (7919, 104729, 1299709, 15485863, 179424673, 2038074743, 3010349, 49979687)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def fill(admin_url: str, companies: list[tuple[uuid.UUID, int]], dims: int) -> float:
    connection = await asyncpg.connect(admin_url)
    started = time.perf_counter()
    try:
        await connection.execute(
            f"""
            CREATE TEMP TABLE basis AS SELECT k,
              (SELECT array_agg(random() - 0.5 + 0 * (x + k)) FROM generate_series(1, {dims}) x) AS v
            FROM generate_series(1, {LATENT}) k;
            CREATE TEMP TABLE scaled AS SELECT b.k, l AS level,
              (SELECT array_agg(e * (l - {LEVELS // 2}) / {LEVELS // 2}.0) FROM unnest(b.v) e)::vector AS v
            FROM basis b, generate_series(0, {LEVELS - 1}) l;
            CREATE TEMP TABLE noise AS SELECT n AS id,
              (SELECT array_agg((random() - 0.5) * {SPREAD} + 0 * (x + n))
               FROM generate_series(1, {dims}) x)::vector AS v
            FROM generate_series(0, {NOISE - 1}) n;
            ANALYZE scaled, noise;
            """
        )
        total = " + ".join(f"s{k}.v" for k in range(1, LATENT + 1))
        for position, (company_id, count) in enumerate(companies):
            await connection.execute(
                "INSERT INTO companies (id, name) VALUES ($1, $2)", company_id, f"Bench {position}"
            )
            offset = position * 10_000_000
            joins = "\n".join(
                f"JOIN scaled s{k} ON s{k}.k = {k} AND s{k}.level = "
                f"((g::bigint + {offset}) * {PRIMES[k - 1]} / {k + 6} % {LEVELS})"
                for k in range(1, LATENT + 1)
            )
            # In slices: one INSERT of a million rows made the planner sort the joined rows (8 KB
            # each) instead of hashing the small side.
            for first in range(1, count + 1, SLICE):
                last = min(count, first + SLICE - 1)
                await connection.execute(
                    f"""
                    INSERT INTO ai_embeddings (id, company_id, source_type, source_id, content, model,
                                               dimensions, embedding)
                    SELECT gen_random_uuid(), $1, 'knowledge', gen_random_uuid(), 'bench ' || g, $2,
                           {dims}, {total} + n.v
                    FROM generate_series({first}, {last}) g
                    {joins}
                    JOIN noise n ON n.id = ((g::bigint + {offset}) * 7919 % {NOISE})
                    """,
                    company_id,
                    MODEL,
                )
            print(
                f"  company {position}: {count:,} vectors ({time.perf_counter() - started:.0f} s)", flush=True
            )
        await connection.execute("VACUUM ANALYZE ai_embeddings")
    finally:
        await connection.close()
    return time.perf_counter() - started


async def build_index(admin_url: str, dims: int, memory_gb: int) -> tuple[float, str]:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f"SET maintenance_work_mem = '{memory_gb}GB'")
        await connection.execute("SET max_parallel_maintenance_workers = 1")  # two vCPUs: leader + one
        started = time.perf_counter()
        await connection.execute(
            f"CREATE INDEX bench_hnsw ON ai_embeddings USING hnsw ((embedding::vector({dims})) "
            f"vector_cosine_ops) WHERE dimensions = {dims}"
        )
        elapsed = time.perf_counter() - started
        size = await connection.fetchval("SELECT pg_size_pretty(pg_relation_size('bench_hnsw'))")
        await connection.execute("ANALYZE ai_embeddings")
    finally:
        await connection.close()
    return elapsed, str(size)


def query_vectors(count: int, samples: list[list[float]], seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[c + (rng.random() - 0.5) * SPREAD for c in rng.choice(samples)] for _ in range(count)]


async def exact(admin_url: str, company_id: uuid.UUID, vector: list[float]) -> list[uuid.UUID]:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute("SET max_parallel_workers_per_gather = 0")
        rows = await connection.fetch(
            "SELECT source_id FROM ai_embeddings WHERE company_id = $1 AND model = $2 "
            "ORDER BY embedding <=> $3::text::vector LIMIT 10",
            company_id,
            MODEL,
            "[" + ",".join(f"{v:.7f}" for v in vector) + "]",
        )
    finally:
        await connection.close()
    return [r["source_id"] for r in rows]


async def measure(
    settings: Settings,
    admin_url: str,
    company_id: uuid.UUID,
    dims: int,
    queries: list[list[float]],
    truth: list[list[uuid.UUID]],
    ef: int,
) -> dict[str, float]:
    memory.EF_SEARCH = ef
    engine = create_engine(settings, pool_size=2, max_overflow=0)
    factory = session_factory(engine)
    space = memory.Space(MODEL, dims)
    latencies: list[float] = []
    short = 0
    try:
        for vector in queries[:10]:  # warm-up: connections, plan cache, the index's upper layers
            async with system_session(factory, company_id=company_id) as session:
                await memory.search(session, company_id=company_id, space=space, vector=vector, limit=10)
        for vector in queries:
            started = time.perf_counter()
            async with system_session(factory, company_id=company_id) as session:
                hits = await memory.search(
                    session, company_id=company_id, space=space, vector=vector, limit=10
                )
            latencies.append((time.perf_counter() - started) * 1000)
            short += len(hits) < 10
        recalls = []
        for vector, expected in zip(queries, truth, strict=False):
            async with system_session(factory, company_id=company_id) as session:
                hits = await memory.search(
                    session, company_id=company_id, space=space, vector=vector, limit=10
                )
            recalls.append(len({h.source_id for h in hits} & set(expected)) / 10)
    finally:
        await engine.dispose()
    return {
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "recall": statistics.mean(recalls),
        "short": short,
    }


async def plan(settings: Settings, company_id: uuid.UUID, dims: int, vector: list[float]) -> str:
    engine = create_engine(settings, pool_size=1, max_overflow=0)
    try:
        async with system_session(session_factory(engine), company_id=company_id) as session:
            literal = "[" + ",".join(f"{v:.7f}" for v in vector) + "]"
            rows = await session.execute(
                text(
                    f"EXPLAIN SELECT source_id FROM ai_embeddings WHERE company_id = '{company_id}' AND "
                    f"model = '{MODEL}' AND dimensions = {dims} ORDER BY embedding::vector({dims}) <=> "
                    f"'{literal}'::vector({dims}) LIMIT 10"
                )
            )
            lines = [str(r[0]) for r in rows]
    finally:
        await engine.dispose()
    return next((line.strip() for line in lines if "Index Scan" in line or "Seq Scan" in line), lines[0])


async def run(args: argparse.Namespace, pg: EmbeddedPostgres) -> None:
    admin_url = pg.admin_url
    await asyncio.to_thread(migrate.upgrade, admin_url)
    settings = Settings(
        NODE_ENV="development",
        DATABASE_URL=pg.app_url,
        REDIS_URL="redis://127.0.0.1:1/0",
        JWT_SECRET="bench-jwt-secret-that-is-long-enough-0123456789",  # noqa: S106 - a throwaway database
        ENCRYPTION_KEY="ab" * 32,
        WEBHOOK_SECRET="bench-webhook-secret-0123456789",  # noqa: S106
        EVOAI_DATA_DIR=Path(args.data_dir),
    )
    companies = [(uuid.uuid4(), args.big)] + [(uuid.uuid4(), args.small) for _ in range(args.companies - 1)]
    total = sum(count for _, count in companies)
    print(f"filling {total:,} vectors of {args.dims} dimensions ...", flush=True)
    fill_seconds = await fill(admin_url, companies, args.dims)
    print("building the HNSW index (m=16, ef_construction=64) ...", flush=True)
    build_seconds, index_size = await build_index(admin_url, args.dims, args.build_memory_gb)
    print(f"  built in {build_seconds:.0f} s, {index_size}", flush=True)

    connection = await asyncpg.connect(admin_url)
    try:
        table_size = await connection.fetchval(
            "SELECT pg_size_pretty(pg_total_relation_size('ai_embeddings'))"
        )
        samples = await connection.fetch(
            "SELECT embedding::text AS v FROM ai_embeddings TABLESAMPLE SYSTEM (1) LIMIT 500"
        )
    finally:
        await connection.close()
    stored = [[float(x) for x in r["v"].strip("[]").split(",")] for r in samples]

    results: list[str] = []
    for label, (company_id, count) in (("large", companies[0]), ("small", companies[1])):
        queries = query_vectors(args.queries, stored, seed=count)
        truth = [await exact(admin_url, company_id, q) for q in queries[: args.recall]]
        print(
            f"{label} company ({count:,}): {await plan(settings, company_id, args.dims, queries[0])}",
            flush=True,
        )
        for ef in args.ef:
            numbers = await measure(settings, admin_url, company_id, args.dims, queries, truth, ef)
            line = (
                f"| {label} ({count:,}) | {ef} | {numbers['p50']:.1f} ms | {numbers['p95']:.1f} ms | "
                f"{numbers['recall']:.3f} | {numbers['short']} |"
            )
            print(line, flush=True)
            results.append(line)

    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute("DROP INDEX bench_hnsw")
    finally:
        await connection.close()
    print()
    print(
        f"vectors: {total:,} ({args.companies} companies: 1 x {args.big:,}, "
        f"{args.companies - 1} x {args.small:,}), {args.dims} dimensions; table {table_size}"
    )
    print(f"fill: {fill_seconds:.0f} s; HNSW build: {build_seconds:.0f} s ({index_size})")
    print("| company | ef_search | p50 | p95 | recall@10 | queries with < 10 rows |")
    print("|---|---:|---:|---:|---:|---:|")
    for line in results:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--big", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--companies", type=int, default=10)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--recall", type=int, default=20)
    parser.add_argument("--ef", type=lambda v: [int(x) for x in v.split(",")], default=[40, 100, 200])
    parser.add_argument("--build-memory-gb", type=int, default=4)
    parser.add_argument("--shared-buffers", default="2GB")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--keep", action="store_true", help="leave the scratch PostgreSQL and its data")
    args = parser.parse_args()
    scratch = Path(args.data_dir or tempfile.mkdtemp(prefix="evoai-vector-bench-"))
    args.data_dir = str(scratch)
    pg = EmbeddedPostgres(scratch, free_port())
    pg.start()
    try:
        _admin_sql(pg, f"ALTER SYSTEM SET shared_buffers = '{args.shared_buffers}'")
        pg.stop()
        pg.start()
        asyncio.run(run(args, pg))
    finally:
        if not args.keep:
            pg.stop()
            shutil.rmtree(scratch, ignore_errors=True)


def _admin_sql(pg: EmbeddedPostgres, sql: str) -> None:
    async def go() -> None:
        connection = await asyncpg.connect(pg.admin_url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(go())


if __name__ == "__main__":
    main()
