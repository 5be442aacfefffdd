"""Every table, re-exported so Alembic and the domains see one registry."""

from evoai.models.ai import (
    AssistantConversation,
    AssistantMessage,
    CompanyAIKey,
    Onboarding,
    PromptVersion,
    Usage,
)
from evoai.models.base import Base
from evoai.models.company import Company
from evoai.models.contact import Contact
from evoai.models.crm import ContactEvent, ContactNote, PrivacyErasure, QuickReply, Tag, TagAssignment
from evoai.models.dead_letter import DeadLetter
from evoai.models.deal import Deal, DealActivity, DealAttachment, DealNote, DealStagePeriod
from evoai.models.flow import AutomationFlow, FlowExecution
from evoai.models.followup import CompanyHoliday, Followup, FollowupRule
from evoai.models.funnel import Funnel, Stage
from evoai.models.invitation import Invitation
from evoai.models.membership import Membership
from evoai.models.memory import Embedding
from evoai.models.notification import Notification
from evoai.models.outbox import OutboxEntry
from evoai.models.session import AuthSession, RefreshToken
from evoai.models.user import Profile, User
from evoai.models.whatsapp import (
    Conversation,
    Message,
    PendingReceipt,
    ProviderCredential,
    WhatsAppInstance,
)

__all__ = [
    "AssistantConversation",
    "AssistantMessage",
    "AuthSession",
    "AutomationFlow",
    "Base",
    "Company",
    "CompanyAIKey",
    "CompanyHoliday",
    "Contact",
    "ContactEvent",
    "ContactNote",
    "Conversation",
    "DeadLetter",
    "Deal",
    "DealActivity",
    "DealAttachment",
    "DealNote",
    "DealStagePeriod",
    "Embedding",
    "FlowExecution",
    "Followup",
    "FollowupRule",
    "Funnel",
    "Invitation",
    "Membership",
    "Message",
    "Notification",
    "Onboarding",
    "OutboxEntry",
    "PendingReceipt",
    "PrivacyErasure",
    "Profile",
    "PromptVersion",
    "ProviderCredential",
    "QuickReply",
    "RefreshToken",
    "Stage",
    "Tag",
    "TagAssignment",
    "Usage",
    "User",
    "WhatsAppInstance",
]
