"""Garbage-collector settings for the long-running processes (API, workers).

Python's cyclic collector runs every 700 net allocations and, now and then, walks every object the
process holds, including the tens of thousands made at start-up (routes, models, SQLAlchemy's
metadata) that live as long as the process. Profiles of the board and of webhook ingest showed it
at about a tenth of the API's CPU (docs/benchmarks.md). Reference counting frees almost everything
a request makes; the collector only has cycles to find, so it can run far less often.
"""

from __future__ import annotations

import gc

# Young-generation threshold: collections 70× rarer than the default 700; older generations as is.
YOUNG_THRESHOLD = 50_000


def settle_heap() -> None:
    """Call once, before serving (not in tests' shared process): what exists now is kept out of every
    later collection."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
