"""CPU time spent by each part of a running product (API, workers, PostgreSQL, Redis), from /proc.

Latency and throughput on a shared VM move with the neighbours; CPU seconds per request move much
less, and they say which process a goal is waiting on. Linux only.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")
# The argument that names each role of `evoai up`'s children, in the order we look for it.
_ROLES = (("postgres", "postgres"), ("redis-server", "redis"), ("cli api", "api"),
          ("cli worker", "worker"), ("cli scheduler", "scheduler"), ("cli sandbox", "sandbox"))


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _product_root(data_dir: Path) -> int:
    """The `evoai up` process serving this data directory (found by its environment)."""
    wanted = f"EVOAI_DATA_DIR={data_dir}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if wanted in (entry / "environ").read_bytes().split(b"\0") and b" up" in (
                    entry / "cmdline"
                ).read_bytes().replace(b"\0", b" "):
                    return int(entry.name)
            except OSError:
                continue
    raise RuntimeError(f"no `evoai up` process for {data_dir}")


def _postmasters(data_dir: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "postgres" in args and " -D " in args and str(data_dir) in args:
                found.append(int(entry.name))
    return found


def cpu_seconds(data_dir: Path) -> Counter[str]:
    """CPU seconds (user + system) used so far by each role of the product serving `data_dir`."""
    tree, totals = _children(), Counter[str]()
    # The embedded PostgreSQL detaches from `evoai up` (pg_ctl): its postmaster is found by its -D.
    stack = [_product_root(data_dir), *_postmasters(data_dir)]
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, []))
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile (a PostgreSQL backend, say)
        role = next((name for marker, name in _ROLES if marker in args), "up")
        totals[role] += (int(fields[11]) + int(fields[12])) / _TICK
    return totals


def per_request(before: Counter[str], after: Counter[str], requests: float) -> str:
    """'api 5.1, postgres 1.6, …' in CPU milliseconds per request, largest first."""
    spent = {role: 1000 * (after[role] - before[role]) / max(requests, 1) for role in after}
    return ", ".join(f"{role} {ms:.2f}" for role, ms in sorted(spent.items(), key=lambda kv: -kv[1]) if ms >= 0.01)
