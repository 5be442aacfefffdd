"""Contact search through the trigram index despite row-level security.

Under RLS PostgreSQL applies the tenant policy before any condition that is not leakproof (`LIKE` is
not), so a search over `contacts` could not use `ix_contacts_search` and read the whole company
(docs/benchmarks.md, CRM). The searchable text is therefore copied, by triggers, into
`private.contact_search`, a table the application role cannot read, and reached only through
`contact_search_ids(company, pattern)`: a SECURITY DEFINER function that answers only for the
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
    """
CREATE FUNCTION private.contact_search_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
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
    # ROWS: a search usually matches a few hundred contacts at most; the estimate steers the caller's
    # query to look them up by primary key instead of reading the company.
    """
CREATE FUNCTION public.contact_search_ids(company uuid, pattern text) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, public AS $$
    SELECT s.contact_id FROM private.contact_search s
    WHERE s.company_id = company
      AND s.search_text LIKE pattern
      -- The tenant policy's own test (evoai/kit/rls.py): the transaction's company, or a bypass.
      AND (current_setting('app.bypass_rls', true) = 'on'
           OR company = nullif(current_setting('app.company_id', true), '')::uuid)
$$
""",
    """
INSERT INTO private.contact_search (contact_id, company_id, search_text)
SELECT id, company_id, search_text FROM public.contacts
""",
]

DOWNGRADE = [
    "DROP FUNCTION IF EXISTS public.contact_search_ids(uuid, text)",
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
