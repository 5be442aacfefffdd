"""A realistic company for benchmarks and drills (PRD RNF-02): 50,000 contacts, 1,000,000 messages,
5,000 deals by default, loaded into an existing company straight through SQL.

The shapes follow what the product itself writes: Brazilian mobile numbers (with their identity key),
accented names, e-mails for a third of the contacts, tags on a quarter, one WhatsApp conversation per
contact on one instance, messages spread over the last 180 days with most traffic on a few busy
customers, the conversations' counters and last-message pointers, deals spread over the default
funnel's stages with values, statuses and stage periods. Deterministic for a given --seed.

    server/.venv/bin/python bench/dataset.py --database-url postgresql://postgres@127.0.0.1:5432/evoai \\
        --company-id <uuid> [--contacts 50000 --messages 1000000 --deals 5000]

Run as the database owner or a superuser (row-level security is bypassed for the load).
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from dataclasses import dataclass

import asyncpg

FIRST = [
    "Ana", "João", "Maria", "José", "Antônio", "Francisca", "Luíza", "Márcio", "Júlia", "Gabriel",
    "Letícia", "Cláudio", "Patrícia", "Sérgio", "Fábio", "Débora", "Vinícius", "Bárbara", "Lúcia", "André",
]
LAST = [
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes",
    "Conceição", "Araújo", "Ribeiro", "Carvalho", "Simões", "Guimarães", "Magalhães", "Brandão", "Assunção",
]
TAGS = [("VIP", "#F59E0B"), ("Lead quente", "#EF4444"), ("Orçamento", "#3B82F6"), ("Suporte", "#6B7280"),
        ("Recompra", "#10B981"), ("Indicação", "#8B5CF6")]
TEXTS = [
    "Olá, gostaria de saber o preço", "Vocês entregam em São Paulo?", "Qual o prazo de entrega?",
    "Obrigado pelo atendimento!", "Pode me mandar o catálogo?", "Tem desconto à vista?",
    "Vou pensar e te retorno", "Fechado, pode enviar o boleto", "Bom dia! Ainda tem em estoque?",
    "Consegue fazer por R$ 150?", "Perfeito, aguardo", "Qual a forma de pagamento?",
]


@dataclass(frozen=True)
class Sizes:
    contacts: int = 50_000
    messages: int = 1_000_000
    deals: int = 5_000


async def load(url: str, company_id: uuid.UUID, sizes: Sizes, seed: float = 0.42) -> dict[str, float]:
    """Fills the company; returns the seconds each step took."""
    connection = await asyncpg.connect(url)
    timings: dict[str, float] = {}

    async def step(name: str, sql: str, *args: object) -> None:
        started = time.perf_counter()
        await connection.execute(sql, *args)
        timings[name] = round(time.perf_counter() - started, 1)

    try:
        await connection.execute("SELECT set_config('app.bypass_rls', 'on', false)")
        await connection.execute("SELECT setseed($1)", seed)
        instance_id = uuid.uuid4()
        await connection.execute(
            """INSERT INTO whatsapp_instances (id, company_id, provider, name, gateway_name,
                 webhook_secret_encrypted, connection_status, phone_number)
               VALUES ($1, $2, 'EVOLUTION', 'Dataset', $3, 'unused', 'close',
                 '5511900000000')""",
            instance_id,
            company_id,
            f"dataset-{instance_id.hex[:8]}",
        )
        await step(
            "contacts",
            """INSERT INTO contacts (id, company_id, name, push_name, phone_number, phone_key, email, source,
                 created_at, updated_at, last_activity_at)
               SELECT gen_random_uuid(), $1, name, split_part(name, ' ', 1), '55' || ddd || '9' || line,
                      '55' || ddd || line,
                      CASE WHEN n % 3 = 0 THEN lower(translate(replace(name, ' ', '.'),
                        'áàâãäéèêëíìîïóòôõöúùûüçñÁÉÍÓÚÂÊÔÃÕÇ', 'aaaaaeeeeiiiiooooouuuucnAEIOUAEOAOC'))
                        || n || '@example.com' END,
                      CASE WHEN n % 10 = 0 THEN 'manual' ELSE 'whatsapp' END,
                      now() - (random() * interval '365 days'), now(), NULL
               FROM (
                 SELECT n, ($2::text[])[1 + (n * 7) % array_length($2::text[], 1)] || ' '
                          || ($3::text[])[1 + (n * 13) % array_length($3::text[], 1)] AS name,
                        (11 + (n % 89))::text AS ddd, lpad((10000000 + n)::text, 8, '0') AS line
                 FROM generate_series(1, $4::int) n
               ) s""",
            company_id,
            FIRST,
            LAST,
            sizes.contacts,
        )
        await step(
            "tags",
            """WITH made AS (
                 INSERT INTO contact_tags (id, company_id, name, color)
                 SELECT gen_random_uuid(), $1, t.name, t.color
                 FROM unnest($2::text[], $3::text[]) AS t(name, color)
                 ON CONFLICT DO NOTHING RETURNING id)
               INSERT INTO contact_tag_assignments (contact_id, tag_id, company_id)
               SELECT c.id, m.id, $1
               FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM contacts WHERE company_id = $1) c
               JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k FROM made) m
                 ON c.rn % 4 = 0 AND (c.rn / 4) % (SELECT count(*) FROM made) + 1 = m.k
               ON CONFLICT DO NOTHING""",
            company_id,
            [name for name, _ in TAGS],
            [color for _, color in TAGS],
        )
        await step(
            "conversations",
            """INSERT INTO whatsapp_conversations (id, company_id, instance_id, contact_id, chat_key, chat_jid,
                 contact_number, created_at)
               SELECT gen_random_uuid(), $1, $2, id, 'contact:' || id, phone_number || '@s.whatsapp.net',
                      phone_number, created_at
               FROM contacts WHERE company_id = $1""",
            company_id,
            instance_id,
        )
        # Traffic is skewed: a conversation's weight grows with the square of a random draw, so a few
        # busy customers write most of the messages, as in real inboxes.
        await step(
            "messages",
            """WITH conv AS (
                 SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total
                 FROM whatsapp_conversations WHERE company_id = $1 AND instance_id = $2)
               INSERT INTO whatsapp_messages (id, company_id, conversation_id, instance_id, gateway_message_id,
                 direction, kind, status, status_rank, from_me, is_bot, text, sent_at, created_at)
               SELECT gen_random_uuid(), $1, conv.id, $2, 'DS' || n,
                      CASE WHEN n % 2 = 0 THEN 'RECEIVED' ELSE 'SENT' END, 'text',
                      CASE WHEN n % 2 = 0 THEN 'RECEIVED' ELSE 'READ' END,
                      CASE WHEN n % 2 = 0 THEN 0 ELSE 3 END,
                      n % 2 = 1, n % 6 = 1,
                      ($4::text[])[1 + n % array_length($4::text[], 1)],
                      at, at
               FROM (
                 SELECT n, floor(power(random(), 2) * (SELECT max(total) FROM conv))::bigint AS k,
                        now() - (random() * interval '180 days') AS at
                 FROM generate_series(1, $3::int) n
               ) m JOIN conv ON conv.k = m.k""",
            company_id,
            instance_id,
            sizes.messages,
            TEXTS,
        )
        await step(
            "conversation counters",
            """UPDATE whatsapp_conversations c SET
                 last_message_id = last.id, last_message_at = last.sent_at, last_inbound_at = inbound.at,
                 -- Agents read what arrives: only the last two days' unanswered chats are unread.
                 unread_count = CASE WHEN last.direction = 'RECEIVED' AND last.sent_at > now() - interval '2 days'
                                     THEN 1 ELSE 0 END
               FROM (SELECT DISTINCT ON (conversation_id) conversation_id, id, sent_at, direction
                     FROM whatsapp_messages WHERE instance_id = $2
                     ORDER BY conversation_id, sent_at DESC, public_id DESC) last,
                    (SELECT conversation_id, max(sent_at) FILTER (WHERE direction = 'RECEIVED') AS at
                     FROM whatsapp_messages WHERE instance_id = $2 GROUP BY conversation_id) inbound
               WHERE last.conversation_id = c.id AND inbound.conversation_id = c.id
                 AND c.company_id = $1 AND c.instance_id = $2""",
            company_id,
            instance_id,
        )
        await step(
            "contact activity",
            """UPDATE contacts k SET last_activity_at = c.last_message_at
               FROM whatsapp_conversations c WHERE c.contact_id = k.id AND c.instance_id = $1""",
            instance_id,
        )
        await step(
            "deals",
            """WITH stage AS (
                 SELECT s.id, s.funnel_id, s.is_won_stage, s.is_lost_stage,
                        row_number() OVER (ORDER BY s.position) - 1 AS k, count(*) OVER () AS total
                 FROM funnel_stages s JOIN funnels f ON f.id = s.funnel_id
                 WHERE f.company_id = $1 AND f.is_default),
               person AS (
                 SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM contacts WHERE company_id = $1)
               INSERT INTO deals (id, company_id, funnel_id, stage_id, contact_id, title, value, status,
                 closed_at, lost_reason, position, stage_entered_at, created_at, updated_at)
               SELECT gen_random_uuid(), $1, stage.funnel_id, stage.id, person.id, 'Proposta #' || n,
                      round((100 + random() * 20000)::numeric, 2),
                      CASE WHEN stage.is_won_stage THEN 'WON' WHEN stage.is_lost_stage THEN 'LOST' ELSE 'OPEN' END,
                      CASE WHEN stage.is_won_stage OR stage.is_lost_stage THEN at + interval '10 days' END,
                      CASE WHEN stage.is_lost_stage THEN 'Preço' END,
                      n, at, at, now()
               FROM (SELECT n, now() - (random() * interval '300 days') AS at
                     FROM generate_series(1, $2::int) n) d
               JOIN stage ON stage.k = d.n % stage.total
               JOIN person ON person.k = (d.n * 9) % (SELECT count(*) FROM person)""",
            company_id,
            sizes.deals,
        )
        await step(
            "stage periods",
            """INSERT INTO deal_stage_periods (id, company_id, deal_id, funnel_id, stage_id, entered_at, exited_at)
               SELECT gen_random_uuid(), company_id, id, funnel_id, stage_id, stage_entered_at, closed_at
               FROM deals WHERE company_id = $1""",
            company_id,
        )
        await step("analyze", "ANALYZE")
    finally:
        await connection.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--company-id", required=True, type=uuid.UUID)
    parser.add_argument("--contacts", type=int, default=Sizes.contacts)
    parser.add_argument("--messages", type=int, default=Sizes.messages)
    parser.add_argument("--deals", type=int, default=Sizes.deals)
    args = parser.parse_args()
    sizes = Sizes(args.contacts, args.messages, args.deals)
    timings = asyncio.run(load(args.database_url, args.company_id, sizes))
    print(f"loaded {sizes} in {sum(timings.values()):.1f} s: {timings}")


if __name__ == "__main__":
    main()
