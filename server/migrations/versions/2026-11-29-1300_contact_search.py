"""Contact search through the trigram index despite row-level security.

Under RLS PostgreSQL applies the tenant policy before any condition that is not leakproof (`LIKE` is
not), so a search over `contacts` could not use `ix_contacts_search` and read the whole company
(docs/benchmarks.md, CRM). The searchable text is therefore copied, by triggers, into
`private.contact_search`, a table the application role cannot read, and reached only through
`contact_search_ids(company, pattern, max_rows)`: a SECURITY DEFINER function that answers only for the
transaction's own company (`app.company_id`, or a bypassing session, as the tenant policy), so the
tenant check stays in the database.

Revision ID: 0013_contact_search
Revises: 0012_flows
Create Date: 2026-11-29 13:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_contact_search"
down_revision: str | None = "0012_flows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = [
    """
CREATE SCHEMA IF NOT EXISTS private
""",
    """
REVOKE ALL ON SCHEMA private FROM PUBLIC
""",
    """
CREATE TABLE private.contact_search (
    contact_id uuid PRIMARY KEY REFERENCES public.contacts (id) ON DELETE CASCADE,
    company_id uuid NOT NULL,
    search_text text NOT NULL
)
""",
    """
CREATE INDEX ix_contact_search_text ON private.contact_search USING gin (search_text gin_trgm_ops)
""",
    # With many companies in one table, a term common elsewhere but rare here would make the trigram
    # index return everybody's matches: the planner can then read this company's rows instead (what
    # row-level security did before), whichever its estimates say is cheaper.
    """
CREATE INDEX ix_contact_search_company ON private.contact_search (company_id)
""",
    """
CREATE FUNCTION private.contact_search_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO private.contact_search (contact_id, company_id, search_text)
    VALUES (NEW.id, NEW.company_id, NEW.search_text)
    ON CONFLICT (contact_id) DO UPDATE
        SET company_id = EXCLUDED.company_id, search_text = EXCLUDED.search_text;
    RETURN NULL;
END $$
""",
    """
CREATE TRIGGER contact_search_insert AFTER INSERT ON public.contacts
    FOR EACH ROW EXECUTE FUNCTION private.contact_search_keep()
""",
    """
CREATE TRIGGER contact_search_update AFTER UPDATE ON public.contacts
    FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text OR OLD.company_id IS DISTINCT FROM NEW.company_id)
    EXECUTE FUNCTION private.contact_search_keep()
""",
    """
CREATE FUNCTION public.contact_search_ids(company uuid, pattern text, max_rows integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- The tenant policy's own test (evoai/kit/rls.py): the transaction's company, or a bypass.
    IF current_setting('app.bypass_rls', true) IS DISTINCT FROM 'on'
       AND company IS DISTINCT FROM nullif(current_setting('app.company_id', true), '')::uuid THEN
        RETURN;
    END IF;
    -- Planned for this very pattern: the trigram index for a rare term, a scan that stops at
    -- `max_rows` for a common one.
    RETURN QUERY EXECUTE
        'SELECT contact_id FROM private.contact_search'
        ' WHERE company_id = $1 AND search_text LIKE $2 LIMIT $3'
        USING company, pattern, max_rows;
END $$
""",
    # contacts is under FORCE'd row-level security: an owner that is not a superuser sees no company
    # without the bypass (this transaction only).
    "SELECT set_config('app.bypass_rls', 'on', true)",
    """
INSERT INTO private.contact_search (contact_id, company_id, search_text)
SELECT id, company_id, search_text FROM public.contacts
""",
]

DOWNGRADE = [
    "DROP FUNCTION IF EXISTS public.contact_search_ids(uuid, text, integer)",
    "DROP TRIGGER IF EXISTS contact_search_update ON public.contacts",
    "DROP TRIGGER IF EXISTS contact_search_insert ON public.contacts",
    "DROP FUNCTION IF EXISTS private.contact_search_keep()",
    "DROP TABLE IF EXISTS private.contact_search",
    "DROP SCHEMA IF EXISTS private",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
