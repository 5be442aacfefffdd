"""Request bodies and query parsing of the funnels API."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from pydantic import Field, field_validator, model_validator

from evoai.exceptions import ValidationFailed
from evoai.kit.schemas import RequestSchema

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class _Named(RequestSchema):
    """Names are trimmed (inner runs of spaces collapsed), colours #RRGGBB, blank descriptions null."""

    @field_validator("name", check_fields=False)
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        trimmed = " ".join(value.split())
        if not trimmed:
            raise ValueError("o nome não pode ficar em branco")
        return trimmed

    @field_validator("description", check_fields=False)
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("color", check_fields=False)
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _COLOR.match(value.strip()):
            raise ValueError("use uma cor #RRGGBB")
        return value.strip().upper()


class FunnelCreate(_Named):
    name: str = Field(min_length=2, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    color: str | None = None

    @model_validator(mode="after")
    def _length(self) -> FunnelCreate:
        if len(self.name) < 2:
            raise ValueError("name: informe um nome de 2 a 100 caracteres")
        return self


class FunnelUpdate(_Named):
    name: str | None = Field(default=None, min_length=2, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    color: str | None = None
    # Only `true`: a funnel stops being the default when another one becomes it.
    is_default: bool | None = None

    @model_validator(mode="after")
    def _rules(self) -> FunnelUpdate:
        if "name" in self.model_fields_set and (self.name is None or len(self.name) < 2):
            raise ValueError("name: informe um nome de 2 a 100 caracteres")
        if "color" in self.model_fields_set and self.color is None:
            raise ValueError("color: use uma cor #RRGGBB")
        if "is_default" in self.model_fields_set and self.is_default is not True:
            raise ValueError("isDefault: só aceita true; torne outro funil o padrão para trocar")
        return self


class StageCreate(_Named):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    color: str | None = None
    # 1-based place in the funnel; absent (or past the end) = last.
    order: int | None = Field(default=None, ge=1, le=1000)
    probability: int = Field(default=0, ge=0, le=100)
    wip_limit: int | None = Field(default=None, ge=1, le=100_000)
    is_won_stage: bool = False
    is_lost_stage: bool = False

    @model_validator(mode="after")
    def _won_or_lost(self) -> StageCreate:
        if self.is_won_stage and self.is_lost_stage:
            raise ValueError("uma etapa não pode ser de ganho e de perda ao mesmo tempo")
        return self


_STAGE_NOT_NULL = ("name", "color", "order", "probability", "is_won_stage", "is_lost_stage")


class StageUpdate(_Named):
    """Every field optional; `wipLimit: null` clears the limit, `description: null` the description."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    color: str | None = None
    order: int | None = Field(default=None, ge=1, le=1000)
    probability: int | None = Field(default=None, ge=0, le=100)
    wip_limit: int | None = Field(default=None, ge=1, le=100_000)
    is_won_stage: bool | None = None
    is_lost_stage: bool | None = None

    @model_validator(mode="after")
    def _no_null_required(self) -> StageUpdate:
        for name in _STAGE_NOT_NULL:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} não pode ser nulo")
        return self


class ReorderIn(RequestSchema):
    stage_ids: list[uuid.UUID] = Field(min_length=1, max_length=1000)


class ContactToStageIn(RequestSchema):
    contact_id: uuid.UUID
    stage_id: uuid.UUID


class ContactToFunnelIn(RequestSchema):
    contact_id: uuid.UUID
    funnel_id: uuid.UUID
    stage_id: uuid.UUID | None = None


DEFAULT_STATS_DAYS = 90


def _moment(value: str, field: str, zone: tzinfo, *, end: bool) -> datetime:
    """An ISO date (that whole day in the company's time zone: `to` includes it) or an ISO datetime
    (read in that zone when it has no offset)."""
    raw = value.strip()
    try:
        if len(raw) == 10:
            moment = datetime.combine(date.fromisoformat(raw), time.min, tzinfo=zone)
            return moment + timedelta(days=1) if end else moment
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise ValidationFailed(
            f"Dados inválidos — {field}: use uma data (AAAA-MM-DD) ou data e hora ISO 8601",
            details=[{"field": field, "message": "invalid date"}],
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def stats_period(start: str | None, end: str | None, zone: tzinfo = UTC) -> tuple[datetime, datetime]:
    """[from, to) of the deals' creation, in UTC; default the last 90 days."""
    upper = _moment(end, "to", zone, end=True) if end else datetime.now(UTC)
    lower = _moment(start, "from", zone, end=False) if start else None
    try:
        if lower is None:
            lower = upper - timedelta(days=DEFAULT_STATS_DAYS)
        lower, upper = lower.astimezone(UTC), upper.astimezone(UTC)
    except OverflowError:
        raise ValidationFailed(
            "Dados inválidos — período fora do intervalo de datas aceito",
            details=[{"field": "from", "message": "out of range"}],
        ) from None
    if lower >= upper:
        raise ValidationFailed(
            "Dados inválidos — from deve ser anterior a to",
            details=[{"field": "from", "message": "must be before to"}],
        )
    return lower, upper
