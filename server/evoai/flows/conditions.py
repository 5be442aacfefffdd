"""IF_CONDITION and `{{variables}}` over an execution's facts: pure, shared by the engine and the
dry run (POST /api/flows/:id/test)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from evoai.quick_replies.variables import VARIABLE, RenderContext, render


@dataclass(frozen=True)
class Facts:
    """What a condition or a template may read about the execution's contact and trigger."""

    name: str | None = None
    email: str | None = None
    stage_id: str | None = None
    tags: tuple[str, ...] = ()  # ids and names, lower case
    variables: dict[str, Any] = field(default_factory=dict)  # {trigger: {…}, message: {text}}


def lookup(variables: dict[str, Any], dotted: str) -> Any:
    value: Any = variables
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def field_value(facts: Facts, name: str) -> Any:
    if name == "contact.tags":
        return list(facts.tags)
    if name == "contact.name":
        return facts.name
    if name == "contact.email":
        return facts.email
    if name == "contact.stageId":
        return facts.stage_id
    if name == "message.text":
        return lookup(facts.variables, "message.text")
    if name.startswith("trigger."):
        return lookup(facts.variables, name)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _same(actual: Any, expected: Any) -> bool:
    a, b = _number(actual), _number(expected)
    if a is not None and b is not None:
        return a == b
    return str(actual).strip().lower() == str(expected).strip().lower()


def compare(actual: Any, operator: str, expected: Any) -> bool:
    present = actual not in (None, "", [], {})
    if operator == "exists":
        return present
    if operator == "not_exists":
        return not present
    if operator in ("equals", "not_equals"):
        if isinstance(actual, list):
            hit = any(_same(item, expected) for item in actual)
        else:
            hit = present and _same(actual, expected)
        return hit if operator == "equals" else not hit
    if operator in ("contains", "not_contains"):
        wanted = str(expected).strip().lower()
        if isinstance(actual, list):
            hit = any(str(item).lower() == wanted for item in actual)
        else:
            hit = present and wanted in str(actual).lower()
        return hit if operator == "contains" else not hit
    if operator in ("greater_than", "less_than"):
        a, b = _number(actual), _number(expected)
        if a is None or b is None:
            return False
        return a > b if operator == "greater_than" else a < b
    return False


def holds(data: dict[str, Any], facts: Facts) -> bool:
    return compare(field_value(facts, str(data.get("field"))), str(data.get("operator")), data.get("value"))


_OURS = re.compile(r"^(trigger|message)\.", re.IGNORECASE)


def fill(template: str, context: RenderContext, variables: dict[str, Any]) -> str:
    """`{{trigger.<key>}}` and `{{message.text}}` from the execution, the rest as quick replies do."""

    def ours(match: re.Match[str]) -> str:
        name = match.group(1)
        if not _OURS.match(name):
            return match.group(0)
        root, rest = name.split(".", 1)
        value = lookup(variables, f"{root.lower()}.{rest}")
        return "" if value is None else str(value)

    return render(VARIABLE.sub(ours, template), context)
