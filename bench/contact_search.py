"""Contact search: a LIKE on `contacts` under row-level security against `contact_search_ids`
(migration 0013), in the same run, on the benchmark dataset (bench/dataset.py).

Starts its own `evoai up`, registers a company, loads the dataset into it, then, as the application
role with the company set (as a request runs), times the first page of each search of
bench/crm_load.py both ways, interleaved, and checks both return the same contacts: a plain LIKE,
and the application's way (evoai/contacts/filters.py): up to CAP matches from the function, looked up
by primary key, or the plain LIKE when there are more.

    server/.venv/bin/python bench/contact_search.py [--runs 15] [--small]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import urllib.request
import uuid
from pathlib import Path

import asyncpg
from crm_load import SEARCHES
from dataset import Sizes, load
from startup import running_product

from evoai.contacts.fields import looks_like_phone
from evoai.kit.text import like_pattern

PAGE = "SELECT id FROM contacts WHERE company_id = $1 AND {match} ORDER BY created_at DESC, id DESC LIMIT 51"
PLAIN = PAGE.format(match="search_text LIKE $2")
BY_IDS = PAGE.format(match="id = ANY($2::uuid[])")
CANDIDATES = "SELECT contact_search_ids($1, $2, $3) AS id"
CAP = 300  # evoai/contacts/criteria.py SEARCH_BY_ID_MAX


def _register(base: str) -> uuid.UUID:
    body = {
        "email": f"bench-{uuid.uuid4().hex[:8]}@example.com",
        "password": "bench-password",
        "fullName": "Bench",
        "companyName": "Bench Co",
    }
    request = urllib.request.Request(
        f"{base}/api/auth/register", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own local server
        return uuid.UUID(json.load(response)["data"]["company"]["id"])


async def _timed(connection: asyncpg.Connection, query: str, *args: object) -> tuple[float, list[uuid.UUID]]:
    started = time.perf_counter()
    rows = await connection.fetch(query, *args)
    return (time.perf_counter() - started) * 1000, [r["id"] for r in rows]


async def _through_index(
    connection: asyncpg.Connection, company_id: uuid.UUID, pattern: str
) -> tuple[float, list[uuid.UUID]]:
    """As the application does it: the matches, capped; by primary key when few, else the LIKE."""
    took, ids = await _timed(connection, CANDIDATES, company_id, pattern, CAP + 1)
    if len(ids) <= CAP:
        page_took, found = await _timed(connection, BY_IDS, company_id, ids)
    else:
        page_took, found = await _timed(connection, PLAIN, company_id, pattern)
    return took + page_took, found


async def compare(port: str, company_id: uuid.UUID, runs: int) -> None:
    connection = await asyncpg.connect(f"postgresql://evoai_app@127.0.0.1:{port}/evoai")
    try:
        # The application's session settings (evoai/db.py) and tenant.
        await connection.execute("SET random_page_cost = 1.1; SET jit = off")
        await connection.execute("SELECT set_config('app.company_id', $1, false)", str(company_id))
        print(f"{'search':<14}{'matches':>8}{'LIKE ms':>10}{'app ms':>10}{'ratio':>7}")
        totals = [0.0, 0.0]
        for term in SEARCHES:
            pattern = like_pattern(looks_like_phone(term) or term)
            plain, indexed = [], []
            for _ in range(runs):
                took, expected = await _timed(connection, PLAIN, company_id, pattern)
                plain.append(took)
                took, found = await _through_index(connection, company_id, pattern)
                indexed.append(took)
                assert found == expected, term
            matches = await connection.fetchval(
                "SELECT count(*) FROM contact_search_ids($1, $2, 100000)", company_id, pattern
            )
            a, b = statistics.median(plain), statistics.median(indexed)
            totals[0] += a
            totals[1] += b
            print(f"{term:<14}{matches:>8}{a:>10.2f}{b:>10.2f}{a / b:>7.1f}")
        print(f"{'all (sum)':<14}{'':>8}{totals[0]:>10.2f}{totals[1]:>10.2f}{totals[0] / totals[1]:>7.1f}")
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each query (median)")
    parser.add_argument("--small", action="store_true", help="a tenth of the dataset, for a quick check")
    args = parser.parse_args()
    sizes = Sizes(5_000, 100_000, 500) if args.small else Sizes()
    with running_product("evoai-bench-search-") as (base, data_dir):
        company_id = _register(base)
        port = (Path(data_dir) / "postgres.port").read_text().strip()
        timings = asyncio.run(load(f"postgresql://postgres@127.0.0.1:{port}/evoai", company_id, sizes))
        print(f"dataset {sizes}: loaded in {sum(timings.values()):.0f} s")
        asyncio.run(compare(port, company_id, args.runs))


if __name__ == "__main__":
    main()
