"""Sliding-window rate limits in Redis, keyed by the authenticated user, or by IP when anonymous.

Keying by user (not company) keeps one busy agent from throttling the whole team.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import jwt
import structlog
from redis.asyncio import Redis

from evoai.auth.tokens import ALGORITHM
from evoai.config import Settings

log = structlog.get_logger(__name__)
MINUTE_MS = 60_000
WEBHOOK_PREFIX = "/api/whatsapp/webhook/"
HEAVY_PATHS = (
    "/api/ai/analyze",
    "/api/prompts/onboarding/generate",
    "/api/contacts/import",
    "/api/contacts/export",
)


@dataclass(frozen=True)
class Tier:
    name: str
    limit: int
    window_ms: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_epoch: int
    retry_after: int


def tier_for(path: str, settings: Settings) -> Tier | None:
    if (
        not path.startswith("/api/")
        or path.startswith(("/api/docs", "/api/media/"))
        or path == "/api/openapi.json"
    ):
        # Signed media links are checked by their signature; a chat full of images must not hit a limit.
        return None
    if path.startswith("/api/auth/") and path != "/api/auth/me":
        return Tier("auth", 30, MINUTE_MS)
    if path.startswith(WEBHOOK_PREFIX):
        return Tier("webhook", settings.WEBHOOK_RATE_LIMIT_MAX, MINUTE_MS)
    if path.startswith(HEAVY_PATHS):
        return Tier("heavy", 30, MINUTE_MS)
    return Tier("default", settings.RATE_LIMIT_MAX, settings.RATE_LIMIT_WINDOW)


def caller_key(
    tier: Tier, authorization: str | None, client_ip: str, settings: Settings, path: str = ""
) -> str:
    """`user:<id>` from a valid bearer token (signature checked, no database hit), else `ip:<addr>`.

    The auth tier is always per IP: otherwise anyone with an account could guess passwords with
    their own token attached. Webhooks are counted per instance: one gateway address serves many
    companies, and one noisy number must not throttle the others.
    """
    if tier.name == "webhook":
        return "instance:" + path.removeprefix(WEBHOOK_PREFIX).split("/", 1)[0][:80]
    if tier.name != "auth" and authorization and authorization.lower().startswith("bearer "):
        try:
            claims = jwt.decode(authorization[7:].strip(), settings.JWT_SECRET, algorithms=[ALGORITHM])
            return f"user:{claims['sub']}"
        except (jwt.PyJWTError, KeyError):
            pass
    return f"ip:{client_ip}"


# Sliding-window log: exact "at most N in any window" with no burst at window boundaries.
# Refused requests are not recorded, so a client that backs off gets its budget back on time.
_SLIDING_WINDOW = """
local key, member = KEYS[1], ARGV[4]
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, member)
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', key, window)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2] or now
return {allowed, count, oldest}
"""


async def hit(redis: Redis, tier: Tier, key: str) -> Verdict | None:
    """Count one request. None when Redis is unreachable: we fail open rather than refuse all traffic."""
    now_ms = int(time.time() * 1000)
    try:
        allowed, count, oldest = await redis.eval(
            _SLIDING_WINDOW,
            1,
            f"rl:{tier.name}:{key}",
            now_ms,
            tier.window_ms,
            tier.limit,
            f"{now_ms}-{secrets.token_hex(4)}",
        )
    except Exception as exc:
        log.warning("ratelimit.redis_unavailable", error=str(exc)[:200])
        return None
    reset_ms = int(oldest) + tier.window_ms
    return Verdict(
        allowed=bool(allowed),
        limit=tier.limit,
        remaining=max(tier.limit - int(count), 0),
        reset_epoch=(reset_ms + 999) // 1000,
        retry_after=max(1, (reset_ms - now_ms + 999) // 1000),
    )
