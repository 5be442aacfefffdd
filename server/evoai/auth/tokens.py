"""Access tokens (JWT HS256) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt

from evoai.config import Settings
from evoai.exceptions import Unauthorized

ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    company_id: uuid.UUID | None
    email: str
    role: str | None


def issue_access_token(settings: Settings, claims: AccessClaims) -> str:
    now = int(time.time())
    payload = {
        "sub": str(claims.user_id),
        "sid": str(claims.session_id),
        "email": claims.email,
        "role": claims.role,
        "companyId": str(claims.company_id) if claims.company_id else None,
        "typ": "access",
        "iat": now,
        "exp": now + settings.access_ttl_seconds,
    }
    return jwt.encode(payload, settings.JWT_SECRET, algorithm=ALGORITHM)


def decode_access_token(settings: Settings, token: str) -> AccessClaims:
    try:
        payload = jwt.decode(
            token, settings.JWT_SECRET, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
        if payload.get("typ") != "access":
            raise Unauthorized("Token inválido ou expirado")
        company = payload.get("companyId")
        return AccessClaims(
            user_id=uuid.UUID(payload["sub"]),
            session_id=uuid.UUID(payload["sid"]),
            company_id=uuid.UUID(company) if company else None,
            email=str(payload.get("email", "")),
            role=payload.get("role"),
        )
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        raise Unauthorized("Token inválido ou expirado") from None


def new_refresh_token() -> tuple[str, str]:
    """(token to hand out, hash to store); only the hash is ever kept."""
    token = secrets.token_urlsafe(48)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """SHA-256 of a random bearer secret (refresh tokens, invitation links): what we store and look up."""
    return hashlib.sha256(token.encode()).hexdigest()
