"""CRM: tags, contact notes and history, funnels and stages, deals, quick replies.

Revision ID: 0004_crm
Revises: 0003_whatsapp
Create Date: 2026-11-29 05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from evoai.funnels.defaults import DEFAULT_FUNNEL_NAME, DEFAULT_STAGES
from evoai.kit.rls import disable_rls, enable_rls, grant_app_role

revision: str = "0004_crm"
down_revision: str | None = "0003_whatsapp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (evoai/models/contact.py builds the same text with kit/text.py fold_sql), so that a later
# change to the helper cannot change what this migration did.
SEARCH_TEXT = (
    "translate(lower(coalesce(name, '') || ' ' || coalesce(push_name, '') || ' ' || coalesce(email, '')"
    " || ' ' || coalesce(phone_number, '')),"
    " 'áàâãäéèêëíìîïóòôõöúùûüçñÁÀÂÃÄÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑ',"
    " 'aaaaaeeeeiiiiooooouuuucnaaaaaeeeeiiiiooooouuuucn')"
)

TABLES = (
    "privacy_erasures",
    "quick_replies",
    "deal_stage_periods",
    "deal_activities",
    "deal_attachments",
    "deal_notes",
    "deals",
    "funnel_stages",
    "funnels",
    "contact_events",
    "contact_notes",
    "contact_tag_assignments",
    "contact_tags",
)


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", sa.Uuid, primary_key=True)


def _company() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False)


def _user(name: str = "user_id", ondelete: str = "SET NULL") -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Uuid, sa.ForeignKey("users.id", ondelete=ondelete))


def _created() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def _public_id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("public_id", sa.BigInteger, sa.Identity(), nullable=False, unique=True)


def _fk(name: str, table: str, ondelete: str | None = "CASCADE", nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Uuid, sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "contact_tags",
        _id(),
        _company(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("color", sa.String(7), nullable=False, server_default="#6B7280"),
        sa.Column("description", sa.String(500)),
        sa.Column("is_ai_managed", sa.Boolean, nullable=False, server_default=sa.false()),
        *_timestamps(),
    )
    op.create_index("uq_contact_tags_name", "contact_tags", ["company_id", sa.text("lower(name)")], unique=True)

    op.create_table(
        "contact_tag_assignments",
        sa.Column(
            "contact_id", sa.Uuid, sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "tag_id", sa.Uuid, sa.ForeignKey("contact_tags.id", ondelete="CASCADE"), primary_key=True
        ),
        _company(),
        _user("assigned_by"),
        _created(),
    )
    op.create_index("ix_contact_tag_assignments_tag", "contact_tag_assignments", ["tag_id"])

    op.create_table(
        "contact_notes",
        _id(),
        _company(),
        _fk("contact_id", "contacts"),
        _user(),
        sa.Column("content", sa.Text, nullable=False),
        *_timestamps(),
    )
    op.create_index("ix_contact_notes_contact", "contact_notes", ["contact_id", "created_at"])

    op.create_table(
        "contact_events",
        _id(),
        _company(),
        _fk("contact_id", "contacts"),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(12), nullable=False, server_default="user"),
        _user(),
        sa.Column("payload", postgresql.JSONB, nullable=False, server_default="{}"),
        _created(),
    )
    op.create_index("ix_contact_events_contact", "contact_events", ["contact_id", "created_at"])
    op.create_index("ix_contact_events_company_type", "contact_events", ["company_id", "type", "created_at"])

    op.create_table(
        "funnels",
        _id(),
        _public_id(),
        _company(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.String(500)),
        sa.Column("color", sa.String(7), nullable=False, server_default="#4F46E5"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
        _user("created_by"),
        *_timestamps(),
    )
    op.create_index("uq_funnels_name", "funnels", ["company_id", sa.text("lower(name)")], unique=True)
    op.create_index(
        "uq_funnels_default", "funnels", ["company_id"], unique=True, postgresql_where=sa.text("is_default")
    )

    op.create_table(
        "funnel_stages",
        _id(),
        _public_id(),
        _company(),
        _fk("funnel_id", "funnels"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.String(500)),
        sa.Column("color", sa.String(7), nullable=False, server_default="#6B7280"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("probability", sa.Integer, nullable=False, server_default="0"),
        sa.Column("wip_limit", sa.Integer),
        sa.Column("is_won_stage", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("is_lost_stage", sa.Boolean, nullable=False, server_default=sa.false()),
        *_timestamps(),
        sa.CheckConstraint("NOT (is_won_stage AND is_lost_stage)", name="won_or_lost"),
        sa.CheckConstraint("wip_limit IS NULL OR wip_limit > 0", name="wip_limit"),
        sa.CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
    )
    op.create_index("ix_funnel_stages_funnel", "funnel_stages", ["funnel_id", "position"])

    op.add_column("contacts", sa.Column("notes", sa.Text))
    op.add_column(
        "contacts", sa.Column("custom_fields", postgresql.JSONB, nullable=False, server_default="{}")
    )
    op.add_column("contacts", _fk("funnel_id", "funnels", "SET NULL", nullable=True))
    op.add_column("contacts", _fk("stage_id", "funnel_stages", "SET NULL", nullable=True))
    op.add_column("contacts", sa.Column("stage_entered_at", sa.DateTime(timezone=True)))
    op.add_column(
        "contacts", sa.Column("search_text", sa.Text, sa.Computed(SEARCH_TEXT, persisted=True), nullable=False)
    )
    op.create_index("ix_contacts_stage", "contacts", ["stage_id"])
    op.create_index(
        "ix_contacts_search",
        "contacts",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )

    op.create_table(
        "deals",
        _id(),
        _public_id(),
        _company(),
        _fk("funnel_id", "funnels"),
        _fk("stage_id", "funnel_stages", None),
        _fk("contact_id", "contacts", "SET NULL", nullable=True),
        _fk("cloned_from_deal_id", "deals", "SET NULL", nullable=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("value", sa.Numeric(14, 2), nullable=False, server_default="0"),
        sa.Column("currency", sa.String(3), nullable=False, server_default="BRL"),
        sa.Column("expected_close_date", sa.Date),
        sa.Column("status", sa.String(10), nullable=False, server_default="OPEN"),
        sa.Column("lost_reason", sa.String(500)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("priority", sa.String(10)),
        sa.Column("position", sa.Float, nullable=False, server_default="0"),
        sa.Column("stage_entered_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _user("created_by"),
        *_timestamps(),
        sa.CheckConstraint("status IN ('OPEN','WON','LOST')", name="status"),
        sa.CheckConstraint("value >= 0", name="value"),
    )
    op.create_index("ix_deals_board", "deals", ["company_id", "funnel_id", "stage_id", "position"])
    op.create_index("ix_deals_stage_status", "deals", ["stage_id", "status"])
    op.create_index("ix_deals_contact", "deals", ["contact_id"])

    op.create_table(
        "deal_notes",
        _id(),
        _company(),
        _fk("deal_id", "deals"),
        _user(),
        sa.Column("title", sa.String(200)),
        sa.Column("content", sa.Text, nullable=False, server_default=""),
        sa.Column("content_html", sa.Text, nullable=False, server_default=""),
        *_timestamps(),
    )
    op.create_index("ix_deal_notes_deal", "deal_notes", ["deal_id", "created_at"])

    op.create_table(
        "deal_attachments",
        _id(),
        _company(),
        _fk("deal_id", "deals"),
        _user(),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_key", sa.String(300), nullable=False),
        sa.Column("file_size", sa.BigInteger, nullable=False),
        sa.Column("mime_type", sa.String(120), nullable=False),
        sa.Column("storage_provider", sa.String(10), nullable=False),
        _created(),
    )
    op.create_index("ix_deal_attachments_deal", "deal_attachments", ["deal_id", "created_at"])

    op.create_table(
        "deal_activities",
        _id(),
        _company(),
        _fk("deal_id", "deals"),
        _user(),
        sa.Column("actor", sa.String(12), nullable=False, server_default="user"),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("description", sa.String(500), nullable=False, server_default=""),
        sa.Column("payload", postgresql.JSONB, nullable=False, server_default="{}"),
        _created(),
    )
    op.create_index("ix_deal_activities_deal", "deal_activities", ["deal_id", "created_at"])

    op.create_table(
        "deal_stage_periods",
        _id(),
        _company(),
        _fk("deal_id", "deals"),
        _fk("funnel_id", "funnels"),
        _fk("stage_id", "funnel_stages"),
        sa.Column("entered_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("exited_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_deal_stage_periods_stage", "deal_stage_periods", ["stage_id", "entered_at"])
    op.create_index("ix_deal_stage_periods_deal", "deal_stage_periods", ["deal_id", "entered_at"])

    op.create_table(
        "quick_replies",
        _id(),
        _company(),
        _user(ondelete="CASCADE"),
        sa.Column("shortcut", sa.String(40), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        *_timestamps(),
    )
    op.create_index(
        "uq_quick_replies_shortcut",
        "quick_replies",
        [
            "company_id",
            sa.text("coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid)"),
            sa.text("lower(shortcut)"),
        ],
        unique=True,
    )

    op.create_table(
        "privacy_erasures",
        _id(),
        _company(),
        sa.Column("contact_public_id", sa.BigInteger, nullable=False),
        _user("erased_by"),
        sa.Column("counts", postgresql.JSONB, nullable=False, server_default="{}"),
        _created(),
    )

    for table in TABLES:
        for statement in enable_rls(table):
            op.execute(statement)
    op.execute(grant_app_role())
    _default_funnels_for_existing_companies()


def _default_funnels_for_existing_companies() -> None:
    op.execute("SELECT set_config('app.bypass_rls', 'on', true)")
    op.execute(
        sa.text(
            "INSERT INTO funnels (id, company_id, name, is_default) "
            "SELECT gen_random_uuid(), id, :name, true FROM companies"
        ).bindparams(name=DEFAULT_FUNNEL_NAME)
    )
    for position, stage in enumerate(DEFAULT_STAGES):
        op.execute(
            sa.text(
                "INSERT INTO funnel_stages (id, company_id, funnel_id, name, color, position, probability, "
                "is_won_stage, is_lost_stage) "
                "SELECT gen_random_uuid(), company_id, id, :name, :color, :position, :probability, :won, :lost "
                "FROM funnels WHERE is_default"
            ).bindparams(
                name=stage.name,
                color=stage.color,
                position=position,
                probability=stage.probability,
                won=stage.is_won_stage,
                lost=stage.is_lost_stage,
            )
        )


def downgrade() -> None:
    for table in TABLES:
        for statement in disable_rls(table):
            op.execute(statement)
    op.drop_index("ix_contacts_search", table_name="contacts")
    op.drop_index("ix_contacts_stage", table_name="contacts")
    for column in ("search_text", "stage_entered_at", "stage_id", "funnel_id", "custom_fields", "notes"):
        op.drop_column("contacts", column)
    for table in TABLES:
        op.drop_table(table)
