"""Prompt text: the one generated from the onboarding's answers, and the system message of a turn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evoai.ai.schemas import OnboardingData

TONES = {
    "formal": "formal e corporativo",
    "professional_friendly": "profissional, mas amigável",
    "casual": "casual e descontraído",
    "enthusiastic": "entusiasmado e animado",
}
WEEKDAYS = ["domingo", "segunda", "terça", "quarta", "quinta", "sexta", "sábado"]
WHATSAPP_RULES = (
    "Responda em português do Brasil, em mensagens curtas como as de WhatsApp (no máximo três "
    "parágrafos curtos, sem markdown). Nunca invente preços, prazos ou políticas que não estejam "
    "neste texto; se não souber, diga que vai verificar com a equipe."
)


def generate_prompt(data: OnboardingData) -> str:
    """The spec's "generate" (ai.md): a deterministic text built from the answers, so it works
    without a model and the same answers always give the same prompt."""
    name = data.business_name or "nossa empresa"
    lines = [f"Você é o assistente virtual de {name} no WhatsApp."]
    if data.business_description or data.business_type:
        about = data.business_description or data.business_type
        lines.append(f"Sobre o negócio: {about}.")
    if data.main_products:
        lines.append("Produtos e serviços principais: " + ", ".join(data.main_products) + ".")
    if data.target_audience:
        lines.append(f"Você atende: {data.target_audience}.")
    if data.tone:
        lines.append(f"Seu tom deve ser {TONES[data.tone]}.")
    if data.working_hours:
        hours = data.working_hours
        days = ", ".join(WEEKDAYS[d] for d in hours.work_days)
        lines.append(f"Horário de atendimento: {hours.start} às {hours.end} ({days}; fuso {hours.timezone}).")
    if data.promotions:
        lines.append(f"Promoções em vigor: {data.promotions}")
    if data.faq:
        lines.append("")
        lines.append("Perguntas frequentes:")
        lines.extend(f"- {item.question} {item.answer}" for item in data.faq)
    if data.restrictions:
        lines.append("")
        lines.append("Nunca faça o seguinte:")
        lines.extend(f"- {item}" for item in data.restrictions)
    lines.append("")
    lines.append("Seja educado e objetivo, e ajude o cliente a dar o próximo passo da compra.")
    return "\n".join(lines)


def default_prompt(company_name: str) -> str:
    return generate_prompt(OnboardingData(business_name=company_name))


@dataclass(frozen=True)
class ContactFacts:
    name: str | None
    phone: str | None
    tags: list[str]
    stage: str | None
    funnel: str | None
    custom_fields: dict[str, Any]
    learnt: dict[str, Any] | None = None  # the contact's AI profile, from earlier analyses


AUTONOMY_RULES = {
    0: "Você apenas responde; não tem ferramentas para mudar nada no CRM.",
    1: (
        "Você pode marcar o contato com uma das tags disponíveis (add_tag) quando a conversa mostrar "
        "claramente o interesse ou a situação que a tag descreve, e passar a conversa para uma pessoa "
        "(handover) quando o cliente pedir um humano, reclamar ou quando você não puder ajudar."
    ),
    2: (
        "Você pode marcar o contato com uma das tags disponíveis (add_tag), passar a conversa para uma "
        "pessoa (handover), mover o negócio do contato para outra etapa do funil (move_stage) quando a "
        "conversa mostrar esse avanço, e avisar a equipe de um lead quente (notify_team)."
    ),
}


def system_message(prompt: str, facts: ContactFacts, level: int, memories: list[str] | None = None) -> str:
    parts = [prompt.strip(), "", WHATSAPP_RULES, "", "Sua autonomia: " + AUTONOMY_RULES[level]]
    about = [f"Nome: {facts.name or 'desconhecido'}"]
    if facts.tags:
        about.append("Tags: " + ", ".join(facts.tags))
    if facts.stage:
        about.append(f"Etapa do funil: {facts.stage}" + (f" ({facts.funnel})" if facts.funnel else ""))
    for key, value in list(facts.custom_fields.items())[:20]:
        about.append(f"{key}: {value}")
    learnt = facts.learnt or {}
    for key, label in (("interests", "Interesses"), ("preferences", "Preferências"), ("keyFacts", "Fatos")):
        if learnt.get(key):
            about.append(f"{label}: " + "; ".join(learnt[key][:10]))
    if learnt.get("communicationStyle"):
        about.append(f"Estilo de comunicação: {learnt['communicationStyle']}")
    parts += ["", "Sobre o cliente desta conversa:", *about]
    if memories:
        parts += ["", "Trechos de conversas e conhecimento relevantes:", *(f"- {m}" for m in memories)]
    return "\n".join(parts)
