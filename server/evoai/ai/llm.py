"""The only module that talks to a language model (the official `openai` SDK, any compatible server).

Which key: the company's own (Configurações > IA) before the platform's OPENAI_API_KEY. Each call has
a timeout and the SDK's retries with backoff on 429, 5xx and timeouts; a circuit breaker per key
(AI_CIRCUIT_FAILURES failed calls in a row open it for AI_CIRCUIT_OPEN_SECONDS) spares a dead model
the traffic and the customer the wait: callers then send their fallback. Every call's tokens and
cost are written to `ai_usage` in a transaction of its own, so failed turns are accounted too."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import openai
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.ai.pricing import cost_usd
from evoai.config import Settings
from evoai.db import system_session
from evoai.exceptions import Unprocessable
from evoai.kit.crypto import DecryptionError, decrypt
from evoai.models import Company, CompanyAIKey, Usage
from evoai.plans import plan_for

log = structlog.get_logger(__name__)
Feature = Literal["reply", "preview", "analysis", "embedding", "assistant", "profile", "followup"]
ENABLE_HINT = (
    "Para ativar: um administrador salva a chave da OpenAI da empresa em Configurações > IA, "
    "ou a plataforma define OPENAI_API_KEY (ou OPENAI_BASE_URL de um servidor compatível, como o Ollama)."
)


class AIUnavailable(Unprocessable):
    code = "ai_disabled"


class ModelFailed(Exception):
    """The model did not answer (after the SDK's retries), or the circuit is open."""

    def __init__(self, message: str, *, circuit_open: bool = False) -> None:
        super().__init__(message)
        self.circuit_open = circuit_open


@dataclass(frozen=True)
class ModelAccess:
    api_key: str = field(repr=False)
    base_url: str | None
    model: str
    source: Literal["company", "platform"]

    @property
    def breaker_key(self) -> str:
        digest = hashlib.sha256(self.api_key.encode()).hexdigest()[:16]
        return f"{self.base_url or 'openai'}|{digest}"


async def model_access(session: AsyncSession, settings: Settings, company_id: uuid.UUID) -> ModelAccess:
    """The key and model a company's calls use, or AIUnavailable saying why and how to enable it."""
    row = (
        await session.execute(
            select(Company.plan_type, CompanyAIKey)
            .outerjoin(CompanyAIKey, CompanyAIKey.company_id == Company.id)
            .where(Company.id == company_id)
        )
    ).first()
    plan_type, own = row if row else (None, None)
    plan = plan_for(plan_type or "free")
    if not plan.ai_enabled:
        raise AIUnavailable(f"O plano {plan.name} não inclui IA; faça upgrade para usar as respostas da IA")
    base_url = settings.OPENAI_BASE_URL or None
    if own is not None:
        try:
            key = decrypt(own.api_key_encrypted, settings.encryption_key_bytes)
        except DecryptionError:
            raise AIUnavailable(
                "A chave de IA da empresa não pôde ser lida (ENCRYPTION_KEY mudou?); salve-a de novo."
            ) from None
        return ModelAccess(key, base_url, own.model or settings.OPENAI_MODEL, "company")
    if settings.OPENAI_API_KEY or base_url:
        # A local compatible server (Ollama) needs no key, but the SDK insists on one.
        return ModelAccess(settings.OPENAI_API_KEY or "no-key", base_url, settings.OPENAI_MODEL, "platform")
    raise AIUnavailable("A IA está desativada: nenhuma chave de modelo está configurada. " + ENABLE_HINT)


class CircuitBreaker:
    def __init__(self, failures: int, open_seconds: float, clock: Callable[[], float]) -> None:
        self.threshold, self.open_seconds, self.clock = failures, open_seconds, clock
        self.failures = 0
        self.opened_at: float | None = None

    def allows(self) -> bool:
        if self.opened_at is None:
            return True
        return self.clock() - self.opened_at >= self.open_seconds  # after that, half-open: one call decides

    def succeeded(self) -> None:
        self.failures, self.opened_at = 0, None

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.threshold:
            self.opened_at = self.clock()


_breakers: dict[str, CircuitBreaker] = {}
_clients: dict[tuple[str, float, int], openai.AsyncOpenAI] = {}
clock: Callable[[], float] = time.monotonic  # tests move time forward here


def breaker_for(settings: Settings, access: ModelAccess) -> CircuitBreaker:
    found = _breakers.get(access.breaker_key)
    if found is None:
        found = CircuitBreaker(
            settings.AI_CIRCUIT_FAILURES, settings.AI_CIRCUIT_OPEN_SECONDS, lambda: clock()
        )
        _breakers[access.breaker_key] = found
    return found


def reset_breakers() -> None:
    _breakers.clear()


def _client(settings: Settings, access: ModelAccess) -> openai.AsyncOpenAI:
    cache_key = (access.breaker_key, settings.AI_TIMEOUT_SECONDS, settings.AI_MAX_RETRIES)
    client = _clients.get(cache_key)
    if client is None:
        if len(_clients) > 256:
            _clients.clear()
        client = openai.AsyncOpenAI(
            api_key=access.api_key,
            base_url=access.base_url,
            timeout=settings.AI_TIMEOUT_SECONDS,
            max_retries=settings.AI_MAX_RETRIES,
        )
        _clients[cache_key] = client
    return client


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ChatResult:
    content: str
    tool_calls: list[ToolCall]
    prompt_tokens: int
    completion_tokens: int

    def assistant_message(self) -> dict[str, Any]:
        """This answer as a message of the next request (the tool-calling protocol needs it back)."""
        message: dict[str, Any] = {"role": "assistant", "content": self.content or None}
        if self.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
                }
                for call in self.tool_calls
            ]
        return message


def _arguments(raw: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _describe(exc: Exception) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "tempo esgotado"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APIConnectionError):
        return "sem conexão com o servidor do modelo"
    return type(exc).__name__


class LLM:
    def __init__(self, settings: Settings, factory: async_sessionmaker[AsyncSession]) -> None:
        self.settings, self.factory = settings, factory

    async def chat(
        self,
        access: ModelAccess,
        *,
        company_id: uuid.UUID,
        feature: Feature,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]] | None = None,
        max_tokens: int | None = None,
        temperature: float = 0.4,
        json_mode: bool = False,
        usage_sink: list[Usage] | None = None,
    ) -> ChatResult:
        """`usage_sink`: a successful call's usage row goes there, for the caller to write in its own
        transaction (the AI turn's answer, off its critical path); failed calls are written at once."""
        breaker = breaker_for(self.settings, access)
        if not breaker.allows():
            raise ModelFailed("circuito aberto: o modelo falhou seguidamente", circuit_open=True)
        extra: dict[str, Any] = {}
        if tools:
            extra["tools"] = tools
        if max_tokens:
            extra["max_tokens"] = max_tokens
        if json_mode:
            extra["response_format"] = {"type": "json_object"}
        try:
            completion = await _client(self.settings, access).chat.completions.create(
                model=access.model,
                messages=messages,  # type: ignore[arg-type]  # plain dicts of the documented shape
                temperature=temperature,
                **extra,
            )
        except openai.OpenAIError as exc:
            breaker.failed()
            await self._record(company_id, feature, access, 0, 0, error=_describe(exc))
            log.warning("ai.call_failed", feature=feature, error=_describe(exc))
            raise ModelFailed(_describe(exc)) from exc
        breaker.succeeded()
        usage = completion.usage
        prompt_tokens = usage.prompt_tokens if usage else 0
        completion_tokens = usage.completion_tokens if usage else 0
        row = self.usage_row(company_id, feature, access, prompt_tokens, completion_tokens)
        if usage_sink is not None:
            usage_sink.append(row)
        else:
            await self._write(row)
        choice = completion.choices[0].message if completion.choices else None
        calls = [
            ToolCall(call.id, call.function.name, _arguments(call.function.arguments))
            for call in (choice.tool_calls or [] if choice else [])
            if call.type == "function"
        ]
        return ChatResult((choice.content or "") if choice else "", calls, prompt_tokens, completion_tokens)

    async def embed(
        self,
        access: ModelAccess,
        *,
        company_id: uuid.UUID,
        texts: list[str],
        model: str,
        dimensions: int | None = None,
    ) -> list[list[float]]:
        """One vector per text, in order. `dimensions` asks models that can shorten their vectors
        (text-embedding-3-*) for that size; None leaves the model's own."""
        breaker = breaker_for(self.settings, access)
        if not breaker.allows():
            raise ModelFailed("circuito aberto: o modelo falhou seguidamente", circuit_open=True)
        extra: dict[str, Any] = {"dimensions": dimensions} if dimensions else {}
        try:
            # base64 halves the transfer; the SDK would decode it too, but only with numpy installed.
            response = await _client(self.settings, access).embeddings.create(
                model=model, input=texts, encoding_format="base64", **extra
            )
        except openai.OpenAIError as exc:
            breaker.failed()
            await self._record(company_id, "embedding", access, 0, 0, error=_describe(exc), model=model)
            raise ModelFailed(_describe(exc)) from exc
        breaker.succeeded()
        tokens = response.usage.prompt_tokens if response.usage else 0
        await self._record(company_id, "embedding", access, tokens, 0, model=model)
        return [decode_embedding(item.embedding) for item in sorted(response.data, key=lambda d: d.index)]

    async def _record(
        self,
        company_id: uuid.UUID,
        feature: Feature,
        access: ModelAccess,
        prompt_tokens: int,
        completion_tokens: int,
        *,
        error: str | None = None,
        model: str | None = None,
    ) -> None:
        await self._write(
            self.usage_row(
                company_id, feature, access, prompt_tokens, completion_tokens, error=error, model=model
            )
        )

    @staticmethod
    def usage_row(
        company_id: uuid.UUID,
        feature: Feature,
        access: ModelAccess,
        prompt_tokens: int,
        completion_tokens: int,
        *,
        error: str | None = None,
        model: str | None = None,
    ) -> Usage:
        model = model or access.model
        return Usage(
            id=uuid.uuid4(),
            company_id=company_id,
            feature=feature,
            model=model[:80],
            key_source=access.source,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=cost_usd(model, prompt_tokens, completion_tokens),
            ok=error is None,
            error=error[:200] if error else None,
        )

    async def _write(self, row: Usage) -> None:
        async with system_session(self.factory, company_id=row.company_id) as session:
            session.add(row)


def decode_embedding(value: Any) -> list[float]:
    """A vector as the server sent it: a list of floats, or base64 of little-endian float32."""
    if isinstance(value, str):
        raw = base64.b64decode(value)
        return list(struct.unpack(f"<{len(raw) // 4}f", raw))
    return [float(x) for x in value]
