"""`evoai worker` as a real process, with two test jobs registered: run as
`python -m tests.observability.worker_child [worker options]`.

test.slow sleeps `seconds`, test.mark returns at once; each leaves marker files (named after the job
id, holding the worker's pid) in EVOAI_TEST_MARKERS so the test sees who ran what.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from evoai.cli import app
from evoai.worker import queues
from evoai.worker.context import JobContext
from evoai.worker.registry import HANDLERS

MARKERS = Path(os.environ.get("EVOAI_TEST_MARKERS", "."))


def _mark(name: str) -> None:
    (MARKERS / name).write_text(str(os.getpid()))


async def slow(ctx: JobContext, data: dict[str, Any]) -> None:
    _mark(f"{data['id']}.started.{os.getpid()}")
    await asyncio.sleep(float(data["seconds"]))
    _mark(f"{data['id']}.finished.{os.getpid()}")


async def mark(ctx: JobContext, data: dict[str, Any]) -> None:
    _mark(f"{data['id']}.ran.{os.getpid()}")


HANDLERS[queues.FLOW]["test.slow"] = slow
HANDLERS[queues.FLOW]["test.mark"] = mark

if __name__ == "__main__":
    app(["worker", *sys.argv[1:]])
