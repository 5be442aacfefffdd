"""The AI's actions: function tools offered by autonomy level and run through the same services,
rules and WIP limits as a person's action (actor "ai"), each logged with the model's reason.

Level 0 replies only; level 1 may also tag (AI-managed tags only) and hand over; level 2 may also move
the contact's deal (or the contact) between stages and alert the team to a hot lead. A call of a
tool the level does not allow is refused and logged as such: models do call tools they were not
given."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.llm import ToolCall
from evoai.config import Settings
from evoai.contacts.fields import display_name
from evoai.contacts.history import record_event
from evoai.contacts.tags import apply_tags
from evoai.deals.moves import move_deal
from evoai.exceptions import AppError
from evoai.funnels.contacts import move_contact
from evoai.models import Contact, Conversation, Deal, Stage, Tag, Usage
from evoai.notifications import alerts
from evoai.whatsapp.inbox import set_flags

log = structlog.get_logger(__name__)
TOOL_LEVELS = {"add_tag": 1, "handover": 1, "move_stage": 2, "notify_team": 2}
HANDOVER_REPLY = "Vou chamar uma pessoa da nossa equipe para continuar o seu atendimento. Só um instante!"


@dataclass
class Options:
    """What the model may pick from, read before the call (enums keep it to real names)."""

    tags: dict[str, uuid.UUID] = field(default_factory=dict)  # lower-cased name -> id
    tag_names: list[str] = field(default_factory=list)
    stages: dict[str, uuid.UUID] = field(default_factory=dict)
    stage_names: list[str] = field(default_factory=list)
    deal_id: uuid.UUID | None = None


async def load_options(session: AsyncSession, company_id: uuid.UUID, contact: Contact | None) -> Options:
    options = Options()
    tags = (
        await session.execute(
            select(Tag.id, Tag.name).where(Tag.company_id == company_id, Tag.is_ai_managed).order_by(Tag.name)
        )
    ).all()
    options.tags = {name.lower(): tag_id for tag_id, name in tags}
    options.tag_names = [name for _, name in tags]
    if contact is None:
        return options
    deal = (
        await session.execute(
            select(Deal.id, Deal.funnel_id)
            .where(Deal.company_id == company_id, Deal.contact_id == contact.id, Deal.status == "OPEN")
            .order_by(Deal.updated_at.desc())
            .limit(1)
        )
    ).first()
    funnel_id = deal.funnel_id if deal else contact.funnel_id
    options.deal_id = deal.id if deal else None
    if funnel_id is not None:
        stages = (
            await session.execute(
                select(Stage.id, Stage.name)
                .where(Stage.company_id == company_id, Stage.funnel_id == funnel_id)
                .order_by(Stage.position)
            )
        ).all()
        options.stages = {name.lower(): stage_id for stage_id, name in stages}
        options.stage_names = [name for _, name in stages]
    return options


def _function(name: str, description: str, properties: dict[str, Any]) -> dict[str, Any]:
    reason = {"type": "string", "description": "Por que fazer isto agora, em uma frase."}
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": {**properties, "reason": reason},
                "required": [*properties, "reason"],
                "additionalProperties": False,
            },
        },
    }


def tools_for(level: int, options: Options) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = []
    if level >= 1:
        if options.tag_names:
            tools.append(
                _function(
                    "add_tag",
                    "Marca o contato com uma tag da empresa.",
                    {"tag": {"type": "string", "enum": options.tag_names}},
                )
            )
        tools.append(
            _function(
                "handover",
                "Passa a conversa para uma pessoa da equipe e pausa a IA nesta conversa.",
                {},
            )
        )
    if level >= 2:
        if options.stage_names:
            tools.append(
                _function(
                    "move_stage",
                    "Move o negócio do contato (ou o contato) para uma etapa do funil.",
                    {"stage": {"type": "string", "enum": options.stage_names}},
                )
            )
        tools.append(
            _function("notify_team", "Avisa a equipe de que este é um lead quente, pronto para comprar.", {})
        )
    return tools


@dataclass
class Turn:
    """One AI turn's identity, for the actions it takes and the messages it sends."""

    id: uuid.UUID
    company_id: uuid.UUID
    conversation: Conversation
    contact: Contact | None
    level: int
    options: Options
    dry_run: bool = False
    instructions: str | None = None  # a flow's AI_REPLY node may add some for this turn
    actions: list[dict[str, Any]] = field(default_factory=list)
    handed_over: bool = False
    usage: list[Usage] = field(default_factory=list)  # written with the answer


async def run_tool(session: AsyncSession, settings: Settings, turn: Turn, call: ToolCall) -> dict[str, Any]:
    """Run (or, in a preview, only describe) one tool call; returns the record logged and shown."""
    reason = str(call.arguments.get("reason") or "")[:500]
    action: dict[str, Any] = {
        "tool": call.name,
        "arguments": {k: v for k, v in call.arguments.items() if k != "reason"},
        "reason": reason,
        "level": turn.level,
        "at": datetime.now(UTC).isoformat(),
    }
    required = TOOL_LEVELS.get(call.name)
    if required is None or turn.level < required:
        action |= {"status": "refused", "detail": f"não permitido no nível de autonomia {turn.level}"}
    elif turn.dry_run:
        action |= {"status": "simulated", "detail": "pré-visualização: nada foi alterado"}
    else:
        try:
            action |= {"status": "done", "detail": await _execute(session, settings, turn, call, reason)}
        except AppError as exc:
            action |= {"status": "failed", "detail": exc.message}
    turn.actions.append(action)
    if not turn.dry_run and turn.contact is not None:
        await record_event(
            session,
            company_id=turn.company_id,
            contact_id=turn.contact.id,
            type="AI_ACTION",
            actor="ai",
            payload={**action, "turnId": str(turn.id), "conversationId": str(turn.conversation.id)},
        )
    log.info("ai.action", tool=call.name, status=action["status"], level=turn.level)
    return action


class ToolRefused(AppError):
    status_code = 422
    code = "tool_refused"


async def _execute(session: AsyncSession, settings: Settings, turn: Turn, call: ToolCall, reason: str) -> str:
    arguments, contact = call.arguments, turn.contact
    if call.name == "add_tag":
        name = str(arguments.get("tag") or "")
        tag_id = turn.options.tags.get(name.lower())
        if tag_id is None or contact is None:
            raise ToolRefused(f"a tag '{name}' não existe ou não é gerenciada pela IA")
        changed = await apply_tags(
            session,
            company_id=turn.company_id,
            user_id=None,
            contact_ids=[contact.id],
            tag_ids=[tag_id],
            action="add",
            actor="ai",
            reason=reason,
        )
        return f"tag '{name}' adicionada" if changed else f"o contato já tinha a tag '{name}'"
    if call.name == "handover":
        await _hand_over(session, settings, turn, reason)
        return "conversa passada para a equipe; a IA está pausada nesta conversa"
    if call.name == "move_stage":
        name = str(arguments.get("stage") or "")
        stage_id = turn.options.stages.get(name.lower())
        if stage_id is None or contact is None:
            raise ToolRefused(f"a etapa '{name}' não existe no funil deste contato")
        if turn.options.deal_id is not None:
            result = await move_deal(
                session,
                settings,
                company_id=turn.company_id,
                deal_id=turn.options.deal_id,
                stage_id=stage_id,
                actor="ai",
                reason=reason,
            )
            return f"negócio movido para '{result.to_stage.name}'"
        await move_contact(
            session,
            company_id=turn.company_id,
            contact_id=contact.id,
            stage_id=stage_id,
            user_id=None,
            actor="ai",
            reason=reason,
        )
        return f"contato movido para '{name}'"
    if call.name == "notify_team":
        await alerts.conversation_alert(
            session,
            turn.company_id,
            type="hot_lead",
            title="Lead quente",
            body=f"{_who(contact)}: {reason}",
            conversation_id=turn.conversation.id,
            contact_id=contact.id if contact else None,
            reason=reason,
            dedupe_key=f"{turn.conversation.id}:{datetime.now(UTC).date()}",
        )
        return "equipe avisada"
    raise ToolRefused(f"ferramenta desconhecida: {call.name}")


def _who(contact: Contact | None) -> str:
    return display_name(contact) if contact else "Cliente"


async def _hand_over(session: AsyncSession, settings: Settings, turn: Turn, reason: str) -> None:
    conversation = await session.scalar(
        select(Conversation)
        .where(Conversation.id == turn.conversation.id, Conversation.company_id == turn.company_id)
        .with_for_update()
    )
    if conversation is None:
        raise ToolRefused("a conversa não existe mais")
    await set_flags(session, settings, conversation, is_paused=True, paused_reason="ai_handover")
    await alerts.conversation_alert(
        session,
        turn.company_id,
        type="ai_handover",
        title="A IA passou uma conversa para a equipe",
        body=f"{_who(turn.contact)}: {reason}",
        conversation_id=conversation.id,
        contact_id=turn.contact.id if turn.contact else None,
        reason=reason,
        dedupe_key=f"{conversation.id}:{turn.id}",
    )
    turn.handed_over = True
