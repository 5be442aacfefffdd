"""Platform accounts made from the command line (the super admin)."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import select

from evoai.auth.passwords import hash_password
from evoai.config import Settings
from evoai.db import create_engine, session_factory, system_session
from evoai.funnels.defaults import create_default_funnel
from evoai.models import Company, Membership, Profile, User
from evoai.permissions import default_permissions


async def ensure_super_admin(settings: Settings, email: str, password: str | None = None) -> str | None:
    """Create the super admin if missing (returns the new password), or promote an existing user."""
    engine = create_engine(settings, pool_size=1, max_overflow=0)
    try:
        async with system_session(session_factory(engine)) as session:
            user = await session.scalar(select(User).where(User.email == email.lower()))
            if user is not None:
                user.is_super_admin = True
                return None
            password = password or secrets.token_urlsafe(12)
            user = User(
                id=uuid.uuid4(),
                email=email.lower(),
                password_hash=await hash_password(password),
                is_super_admin=True,
            )
            # Their own workspace, so the app works for them like for anyone (the admin pages are extra).
            company = Company(id=uuid.uuid4(), name="Evo AI Connect (plataforma)", plan_type="enterprise")
            session.add_all([user, company])
            await session.flush()
            session.add(Profile(user_id=user.id, full_name="Platform admin", active_company_id=company.id))
            session.add(
                Membership(
                    company_id=company.id,
                    user_id=user.id,
                    role="admin",
                    permissions=default_permissions("admin"),
                )
            )
            await session.flush()
            await create_default_funnel(session, company.id, user.id)
            return password
    finally:
        await engine.dispose()
