"""Faster read paths: tenant policies that read their settings once per statement, the inbox list's
index in the order the list reads it, contacts by last activity, and a partial index for the unread
total.

Revision ID: 0005_read_paths
Revises: 0004_crm
Create Date: 2026-11-29 07:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evoai.kit.rls import BYPASS, CURRENT_COMPANY, CURRENT_USER, drop_policies, policies

revision: str = "0005_read_paths"
down_revision: str | None = "0004_crm"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMPANY_TABLES = (
    "notifications",
    "invitations",
    "whatsapp_provider_credentials",
    "contacts",
    "whatsapp_instances",
    "whatsapp_conversations",
    "whatsapp_messages",
    "whatsapp_pending_receipts",
    "contact_tags",
    "contact_tag_assignments",
    "contact_notes",
    "contact_events",
    "funnels",
    "funnel_stages",
    "deals",
    "deal_notes",
    "deal_attachments",
    "deal_activities",
    "deal_stage_periods",
    "quick_replies",
    "privacy_erasures",
)

# The policies as revision 0004 left them (settings read per row), for the downgrade.
_OLD_BYPASS = "current_setting('app.bypass_rls', true) = 'on'"
_OLD_COMPANY = "nullif(current_setting('app.company_id', true), '')::uuid"
_OLD_USER = "nullif(current_setting('app.user_id', true), '')::uuid"


def _policies(company: str, user: str, bypass: str | None = None) -> list[str]:
    def tenant(table: str, rule: str, readable: str | None = None) -> list[str]:
        statements = policies(table, tenant=rule, also_readable=readable)
        if bypass is not None:
            statements = [s.replace(BYPASS, bypass) for s in statements]
        return statements

    member_of = f"id IN (SELECT m.company_id FROM memberships m WHERE m.user_id = {user})"
    statements = [
        *tenant("companies", f"id = {company}", member_of),
        *tenant("memberships", f"company_id = {company}", f"user_id = {user}"),
    ]
    for table in COMPANY_TABLES:
        statements += tenant(table, f"company_id = {company}")
    return statements


def _replace_policies(statements: list[str]) -> None:
    for table in ("companies", "memberships", *COMPANY_TABLES):
        for statement in drop_policies(table):
            op.execute(statement)
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _replace_policies(_policies(CURRENT_COMPANY, CURRENT_USER))
    op.drop_index("ix_whatsapp_conversations_list", table_name="whatsapp_conversations")
    op.create_index(
        "ix_whatsapp_conversations_list",
        "whatsapp_conversations",
        ["company_id", "is_archived", sa.text("last_message_at DESC NULLS LAST"), sa.text("id DESC")],
    )
    op.create_index(
        "ix_contacts_company_activity",
        "contacts",
        ["company_id", sa.text("last_activity_at DESC NULLS LAST")],
    )
    op.create_index(
        "ix_whatsapp_conversations_unread",
        "whatsapp_conversations",
        ["company_id"],
        postgresql_where=sa.text("unread_count > 0 AND NOT is_archived"),
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_company_activity", table_name="contacts")
    op.drop_index("ix_whatsapp_conversations_unread", table_name="whatsapp_conversations")
    op.drop_index("ix_whatsapp_conversations_list", table_name="whatsapp_conversations")
    op.create_index(
        "ix_whatsapp_conversations_list",
        "whatsapp_conversations",
        ["company_id", "is_archived", "last_message_at"],
    )
    _replace_policies(_policies(_OLD_COMPANY, _OLD_USER, bypass=_OLD_BYPASS))
