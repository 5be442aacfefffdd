"""Evolution's error envelope and the request checks its JSON-schema layer performs."""

from __future__ import annotations

from typing import Any

from evoai.sandbox.payloads import JSON


class EvolutionError(Exception):
    """Answered as `{status, error, response: {message}}`; `message` is a list except for 401."""

    def __init__(self, status: int, *messages: Any) -> None:
        super().__init__(status, messages)
        self.status = status
        self.message: Any = list(messages) if messages else None
        if status == 401 and not messages:
            self.message = "Unauthorized"  # Evolution's 401 is the only one with a bare string


def bad_request(*messages: Any) -> EvolutionError:
    return EvolutionError(400, *messages)


def require(body: JSON, *names: str, number_field: bool = True) -> None:
    """Required properties and string types, worded as the `jsonschema` package words them."""
    problems = [f'instance requires property "{name}"' for name in names if name not in body]
    for name in names:
        value = body.get(name)
        if name in body and not isinstance(value, str):
            problems.append(
                "Invalid format"
                if name == "number" and number_field
                else f"instance.{name} is not of a type(s) string"
            )
    if problems:
        raise bad_request(*problems)


def object_body(body: Any) -> JSON:
    if not isinstance(body, dict):
        raise bad_request("instance is not of a type(s) object")
    return body


def as_dict(value: Any) -> JSON:
    """`value` when it is an object, else an empty one (optional nested fields)."""
    return value if isinstance(value, dict) else {}
