"""The internal assistant (spec ai.md, "Assistente Interno"): answers the team's how-to questions
about the product and questions about their own data through read-only tools. Each member's
conversations are kept and private to them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai import assistant_tools
from evoai.ai.llm import LLM, ModelFailed, model_access
from evoai.ai.schemas import AssistantChat
from evoai.deps import Member
from evoai.exceptions import NotFound, ServiceUnavailable
from evoai.models import AssistantConversation, AssistantMessage

HISTORY = 20
MAX_ROUNDS = 4
GUIDE = """Você é o assistente interno do Evo AI Connect, um CRM de WhatsApp com IA. Você ajuda a equipe
da empresa a usar o produto e responde perguntas sobre os dados dela. Responda em português do Brasil,
de forma curta e prática. Para perguntas sobre dados (conversas, contatos, funil, métricas), use as
ferramentas e nunca invente números; diga quando uma ferramenta não trouxe nada.

Como o produto funciona:
- Conexões: conecte um número de WhatsApp (Evolution API ou UAZAPI). Primeiro cadastre o provedor em
  Configurações > Provedores WhatsApp (URL e chave), depois crie a instância em Conexões e leia o QR code.
- Caixa de entrada: todas as conversas em tempo real, com filtros (não lidas, tags, funil, etapa,
  sentimento), respostas rápidas digitando "/", anexos, reações, pausa da IA por conversa e arquivamento.
- Contatos: lista com busca e filtros, tags, notas, histórico, importação e exportação CSV, exportação e
  exclusão de dados pessoais (LGPD, só administradores).
- Funis: quadro Kanban com arrastar e soltar, limites de WIP por etapa, etapas de ganho e perda,
  negócios com notas, anexos e atividades, e estatísticas de conversão.
- Respostas rápidas: Configurações > Respostas rápidas; atalhos como /preco com variáveis
  {{contact.name}} e {{company.name}}.
- IA: Configurações > IA. Ligue a IA por instância, escolha o nível de autonomia (0 só responde;
  1 também marca tags gerenciadas pela IA e passa para um humano; 2 também move negócios no funil e
  avisa a equipe de leads quentes), a janela de silêncio e a resposta de contingência. Edite o prompt
  (com versões), faça o onboarding guiado e teste o assistente antes de ligar.
- Notificações: o sino mostra leads quentes, sentimento negativo, transferências da IA, cotas e
  negócios ganhos.
- Painel: mensagens, conversas ativas, novos contatos, conversas aguardando resposta, funil e IA.
- Plano e uso: Configurações > Plano mostra os limites de instâncias, contatos e mensagens do mês e
  os tokens de IA usados.
- Follow-ups automáticos e fluxos visuais ainda não estão disponíveis nesta versão."""


def conversation_out(conversation: AssistantConversation, count: int) -> dict[str, Any]:
    return {
        "id": str(conversation.id),
        "title": conversation.title,
        "createdAt": conversation.created_at.isoformat(),
        "lastMessageAt": conversation.last_message_at.isoformat(),
        "messageCount": count,
    }


def message_out(message: AssistantMessage) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "role": message.role,
        "content": message.content,
        "tools": message.tools or [],
        "createdAt": message.created_at.isoformat(),
    }


async def get_conversation(
    session: AsyncSession, member: Member, conversation_id: uuid.UUID
) -> AssistantConversation:
    found = await session.scalar(
        select(AssistantConversation).where(
            AssistantConversation.id == conversation_id,
            AssistantConversation.company_id == member.company_id,
            AssistantConversation.user_id == member.user_id,
        )
    )
    if found is None:
        raise NotFound("Conversa com o assistente não encontrada")
    return found


async def list_conversations(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    count = (
        select(func.count())
        .where(AssistantMessage.conversation_id == AssistantConversation.id)
        .correlate(AssistantConversation)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(AssistantConversation, count)
            .where(
                AssistantConversation.company_id == member.company_id,
                AssistantConversation.user_id == member.user_id,
            )
            .order_by(AssistantConversation.last_message_at.desc())
            .limit(100)
        )
    ).all()
    return [conversation_out(c, int(n)) for c, n in rows]


async def list_messages(
    session: AsyncSession, member: Member, conversation_id: uuid.UUID
) -> list[dict[str, Any]]:
    conversation = await get_conversation(session, member, conversation_id)
    rows = await session.scalars(
        select(AssistantMessage)
        .where(AssistantMessage.conversation_id == conversation.id)
        .order_by(AssistantMessage.created_at, AssistantMessage.id)
    )
    return [message_out(m) for m in rows.all()]


async def delete_conversation(session: AsyncSession, member: Member, conversation_id: uuid.UUID) -> None:
    await session.delete(await get_conversation(session, member, conversation_id))
    await session.flush()


async def chat(session: AsyncSession, llm: LLM, member: Member, data: AssistantChat) -> dict[str, Any]:
    asked_at = datetime.now(UTC)  # the question's time, not the transaction's: it precedes the answer
    access = await model_access(session, llm.settings, member.company_id)
    if data.conversation_id is not None:
        conversation = await get_conversation(session, member, data.conversation_id)
        stored = list(
            (
                await session.scalars(
                    select(AssistantMessage)
                    .where(AssistantMessage.conversation_id == conversation.id)
                    .order_by(AssistantMessage.created_at.desc(), AssistantMessage.id.desc())
                    .limit(HISTORY)
                )
            ).all()
        )
        history = [{"role": m.role, "content": m.content} for m in reversed(stored)]
    else:
        conversation = AssistantConversation(
            id=uuid.uuid4(),
            company_id=member.company_id,
            user_id=member.user_id,
            title=data.message.strip().splitlines()[0][:120] or "Conversa",
        )
        session.add(conversation)
        history = [{"role": h.role, "content": h.content} for h in data.history[-HISTORY:]]
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": GUIDE},
        *history,
        {"role": "user", "content": data.message},
    ]
    used: list[dict[str, Any]] = []
    answer = ""
    try:
        for _ in range(MAX_ROUNDS):
            result = await llm.chat(
                access,
                company_id=member.company_id,
                feature="assistant",
                messages=messages,
                tools=assistant_tools.TOOLS,
                temperature=0.2,
            )
            answer = result.content
            if not result.tool_calls:
                break
            messages.append(result.assistant_message())
            for call in result.tool_calls:
                output = await assistant_tools.run(session, member.company_id, call.name, call.arguments)
                used.append({"name": call.name, "arguments": call.arguments})
                messages.append(
                    {
                        "role": "tool",
                        "tool_call_id": call.id,
                        "content": json.dumps(output, default=str)[:12_000],
                    }
                )
    except ModelFailed as exc:
        raise ServiceUnavailable(
            f"O assistente não conseguiu responder agora ({exc}); tente de novo."
        ) from exc
    now = datetime.now(UTC)
    question = AssistantMessage(
        id=uuid.uuid4(),
        company_id=member.company_id,
        conversation_id=conversation.id,
        role="user",
        content=data.message,
        created_at=asked_at,
    )
    reply = AssistantMessage(
        id=uuid.uuid4(),
        company_id=member.company_id,
        conversation_id=conversation.id,
        role="assistant",
        content=answer or "Não consegui formular uma resposta; tente perguntar de outro jeito.",
        tools=used or None,
        created_at=now,
    )
    session.add_all([question, reply])
    conversation.last_message_at = now
    await session.flush()
    return {
        "response": reply.content,
        "conversationId": str(conversation.id),
        "messageId": str(reply.id),
        "toolsUsed": used,
    }
