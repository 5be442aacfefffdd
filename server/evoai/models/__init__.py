"""Every table, re-exported so Alembic and the domains see one registry."""

from evoai.models.base import Base
from evoai.models.company import Company
from evoai.models.invitation import Invitation
from evoai.models.membership import Membership
from evoai.models.notification import Notification
from evoai.models.outbox import OutboxEntry
from evoai.models.session import AuthSession, RefreshToken
from evoai.models.user import Profile, User

__all__ = [
    "AuthSession",
    "Base",
    "Company",
    "Invitation",
    "Membership",
    "Notification",
    "OutboxEntry",
    "Profile",
    "RefreshToken",
    "User",
]
