"""bcrypt with 12 rounds (spec 11.5), run off the event loop because each hash takes ~200 ms."""

from __future__ import annotations

import asyncio

import bcrypt

ROUNDS = 12
# Compared against when the email is unknown, so a login takes as long either way.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(ROUNDS))


async def hash_password(password: str) -> str:
    hashed = await asyncio.to_thread(bcrypt.hashpw, password.encode(), bcrypt.gensalt(ROUNDS))
    return hashed.decode()


async def verify_password(password: str, hashed: str | None) -> bool:
    target = hashed.encode() if hashed else _DUMMY_HASH
    matches = await asyncio.to_thread(bcrypt.checkpw, password.encode(), target)
    return matches and hashed is not None
