"""What a follow-up says: a template with variables, or a message the model writes from the
conversation; and the optional model check "should this go out now?"."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.context import chat_messages, recent_messages
from evoai.ai.llm import LLM, ModelAccess
from evoai.kit import clock
from evoai.models import Company, Contact, Conversation, FollowupRule, Message
from evoai.quick_replies.variables import ContactFacts, RenderContext, render
from evoai.worker.context import JobContext

CONTEXT_MESSAGES = 20
MAX_TEXT = 4096

WRITE = """Você escreve follow-ups de WhatsApp para a empresa {company}. O cliente {contact} parou de \
responder. Escreva UMA mensagem curta, natural e educada para retomar a conversa, em português do \
Brasil, sem inventar fatos, preços ou promessas que não estejam na conversa. Tom: {tone}. \
{instructions}Responda só com o texto da mensagem."""

VALIDATE = """Você decide se um follow-up automático de WhatsApp deve ser enviado agora. Considere a \
conversa e a mensagem proposta. Não envie se o cliente pediu para não ser contatado, se o assunto \
foi encerrado, se a mensagem não faz sentido no contexto ou se seria inconveniente. {extra}\
Responda em JSON: {{"send": true|false, "reason": "motivo curto"}}."""


@dataclass(frozen=True)
class Facts:
    """What composing needs, read in the transaction that decided to send."""

    company_id: uuid.UUID
    company_name: str
    timezone: str
    contact: ContactFacts
    history: list[Message]


async def facts_of(session: AsyncSession, conversation: Conversation, with_history: bool) -> Facts:
    # get(): the contact is usually in the session already (the checks loaded it).
    company = await session.get(Company, conversation.company_id)
    contact = await session.get(Contact, conversation.contact_id) if conversation.contact_id else None
    history = await recent_messages(session, conversation.id, CONTEXT_MESSAGES) if with_history else []
    return Facts(
        company_id=conversation.company_id,
        company_name=company.name if company else "",
        timezone=company.timezone if company else "America/Sao_Paulo",
        contact=ContactFacts(
            name=contact.name if contact else None,
            push_name=contact.push_name if contact else None,
            phone=contact.phone_number if contact else conversation.contact_number,
            email=contact.email if contact else None,
        ),
        history=history,
    )


def from_template(template: str, facts: Facts) -> str:
    context = RenderContext(
        contact=facts.contact,
        company_name=facts.company_name,
        user_name=facts.company_name,
        timezone=facts.timezone,
        now=clock.now(),
    )
    return render(template, context).strip()[:MAX_TEXT]


def _contact_name(facts: Facts) -> str:
    return facts.contact.name or facts.contact.push_name or "o cliente"


async def write(ctx: JobContext, access: ModelAccess, rule: FollowupRule, facts: Facts) -> str:
    config = rule.action_config or {}
    instructions = (config.get("customInstructions") or "").strip()
    system = WRITE.format(
        company=facts.company_name,
        contact=_contact_name(facts),
        tone=config.get("tone") or "amigável",
        instructions=f"Instruções da empresa: {instructions}\n" if instructions else "",
    )
    history = facts.history if config.get("useConversationContext", True) else []
    result = await LLM(ctx.settings, ctx.factory).chat(
        access,
        company_id=facts.company_id,
        feature="followup",
        messages=chat_messages(system, history),
        max_tokens=int(config.get("maxTokens") or 200),
    )
    return result.content.strip()[:MAX_TEXT]


async def approve(
    ctx: JobContext, access: ModelAccess, rule: FollowupRule, facts: Facts, text: str
) -> tuple[bool, str]:
    extra = (rule.ai_validation_prompt or "").strip()
    system = VALIDATE.format(extra=f"Critérios da empresa: {extra} " if extra else "")
    messages = chat_messages(system, facts.history)
    messages.append({"role": "user", "content": f"Mensagem proposta: {text}"})
    result = await LLM(ctx.settings, ctx.factory).chat(
        access,
        company_id=facts.company_id,
        feature="followup",
        messages=messages,
        json_mode=True,
        temperature=0.0,
        max_tokens=150,
    )
    try:
        verdict = json.loads(result.content)
        return bool(verdict.get("send")), str(verdict.get("reason") or "")[:200]
    except (ValueError, AttributeError):
        # An answer we cannot read is not a "yes": a follow-up that should not go is worse.
        return False, "resposta da validação ilegível"
