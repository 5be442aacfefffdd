"""A flow's graph: the node catalogue (GET /api/flows/node-types) and its validation, pure functions
(docs/api-flows.md, "Graph validation"). Ids a node names are checked against the company elsewhere
(evoai/flows/service.py) from `references`."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from evoai.exceptions import Unprocessable

MAX_NODES = 200
MAX_CONNECTIONS = 400
NODE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
MAX_WAIT_SECONDS = 90 * 86400
WAITS = frozenset({"WAIT_TIME", "WAIT_RESPONSE"})
FIELDS = ("contact.tags", "contact.name", "contact.email", "contact.stageId", "message.text")
OPERATORS = (
    "equals",
    "not_equals",
    "contains",
    "not_contains",
    "exists",
    "not_exists",
    "greater_than",
    "less_than",
)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
MEDIA_TYPES = ("image", "video", "audio", "document")
BRANCHES = string.ascii_lowercase[:5]


@dataclass(frozen=True)
class NodeType:
    type: str
    subtype: str
    label: str
    outputs: tuple[str, ...]
    data: dict[str, str]  # field -> what it takes (the editor's palette shows it)


def _t(
    type_: str, subtype: str, label: str, data: dict[str, str], outputs: tuple[str, ...] = ("output",)
) -> NodeType:
    return NodeType(type_, subtype, label, outputs, data)


CATALOGUE: tuple[NodeType, ...] = (
    _t("trigger", "NEW_CONTACT", "Novo contato", {"instanceId": "uuid?"}),
    _t("trigger", "MESSAGE_RECEIVED", "Mensagem recebida", {"instanceId": "uuid?"}),
    _t(
        "trigger",
        "KEYWORD",
        "Palavra-chave",
        {"keywords": "string[] (1-20)", "match": "contains|exact", "instanceId": "uuid?"},
    ),
    _t("trigger", "TAG_ADDED", "Tag adicionada", {"tagId": "uuid?"}),
    _t("trigger", "STAGE_CHANGED", "Etapa alterada", {"funnelId": "uuid?", "stageId": "uuid?"}),
    _t(
        "trigger",
        "SCHEDULE",
        "Agendamento",
        {"schedule": "cron (5 campos)", "timezone": "IANA?", "filter": "{tagIds?, stageIds?}"},
    ),
    _t("trigger", "WEBHOOK", "Webhook", {}),
    _t("action", "SEND_MESSAGE", "Enviar mensagem", {"message": "string"}),
    _t(
        "action",
        "SEND_MEDIA",
        "Enviar mídia",
        {
            "mediaUrl": "https url",
            "mediaType": "image|video|audio|document",
            "caption": "string?",
            "fileName": "string?",
        },
    ),
    _t("action", "ADD_TAG", "Adicionar tag", {"tagId": "uuid"}),
    _t("action", "REMOVE_TAG", "Remover tag", {"tagId": "uuid"}),
    _t("action", "MOVE_TO_STAGE", "Mover para etapa", {"stageId": "uuid"}),
    _t("action", "CREATE_DEAL", "Criar negócio", {"title": "string", "stageId": "uuid", "value": "number?"}),
    _t("action", "UPDATE_CONTACT", "Atualizar contato", {"fields": "{name?, email?, notes?, customFields?}"}),
    _t(
        "action",
        "CALL_WEBHOOK",
        "Chamar webhook",
        {
            "url": "http(s) url",
            "method": "GET|POST|PUT|PATCH|DELETE",
            "headers": "object?",
            "body": "json?",
            "timeoutSeconds": "1-30 (10)",
        },
        ("output", "error"),
    ),
    _t("action", "NOTIFY_TEAM", "Notificar equipe", {"message": "string", "userIds": "uuid[]?"}),
    _t("action", "AI_REPLY", "Resposta da IA", {"instructions": "string?"}),
    _t(
        "condition",
        "IF_CONDITION",
        "Condição",
        {"field": "|".join(FIELDS) + "|trigger.<key>", "operator": "|".join(OPERATORS), "value": "any"},
        ("true", "false"),
    ),
    _t(
        "condition",
        "WAIT_RESPONSE",
        "Aguardar resposta",
        {"timeout": "number", "timeoutUnit": "seconds|minutes|hours|days"},
        ("output", "timeout"),
    ),
    _t("condition", "WAIT_TIME", "Aguardar tempo", {"delay": "number", "unit": "seconds|minutes|hours|days"}),
    _t("condition", "SPLIT", "Divisão A/B", {"percentages": "number[] (2-5, soma 100)"}, tuple(BRANCHES)),
)
BY_SUBTYPE = {t.subtype: t for t in CATALOGUE}
TRIGGERS = frozenset(t.subtype for t in CATALOGUE if t.type == "trigger")


def catalogue() -> list[dict[str, Any]]:
    return [
        {"type": t.type, "subtype": t.subtype, "label": t.label, "outputs": list(t.outputs), "data": t.data}
        for t in CATALOGUE
    ]


def outputs_of(node: dict[str, Any]) -> tuple[str, ...]:
    if node.get("subtype") == "SPLIT":
        return tuple(BRANCHES[: len((node.get("data") or {}).get("percentages") or [])])
    kind = BY_SUBTYPE.get(str(node.get("subtype")))
    return kind.outputs if kind else ()


def wait_seconds(amount: Any, unit: Any) -> int:
    return int(float(amount) * UNIT_SECONDS[str(unit)])


@dataclass(frozen=True)
class Reference:
    """An id a node names, to be found among the company's (`kind`: tag, stage, funnel, instance, user)."""

    node_id: str
    field: str
    kind: str
    value: str


class InvalidFlow(Unprocessable):
    code = "invalid_flow"


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, message: str, *, node: str | None = None, connection: str | None = None) -> None:
        item: dict[str, Any] = {"message": message}
        if node is not None:
            item["nodeId"] = node
        if connection is not None:
            item["connectionId"] = connection
        self.items.append(item)


def _text(data: dict[str, Any], key: str, *, required: bool = True, limit: int = 4096) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"{key}: obrigatório")
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"{key}: texto de até {limit} caracteres")
    return value


def _uuid(data: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            raise ValueError(f"{key}: obrigatório")
        return None
    if not isinstance(value, str) or not UUID.fullmatch(value):
        raise ValueError(f"{key}: id inválido")
    return value


def _number(
    data: dict[str, Any], key: str, *, low: float, high: float, required: bool = True
) -> float | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ValueError(f"{key}: obrigatório")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"{key}: um número entre {low:g} e {high:g}")
    return float(value)


def _wait(data: dict[str, Any], amount_key: str, unit_key: str) -> None:
    unit = data.get(unit_key)
    if unit not in UNIT_SECONDS:
        raise ValueError(f"{unit_key}: seconds, minutes, hours ou days")
    _number(data, amount_key, low=1, high=MAX_WAIT_SECONDS)
    if wait_seconds(data[amount_key], unit) > MAX_WAIT_SECONDS:
        raise ValueError(f"{amount_key}: no máximo 90 dias")


def _http_url(value: Any, key: str, schemes: tuple[str, ...]) -> None:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in schemes or not parts.hostname or len(value) > 2048:
        raise ValueError(f"{key}: uma URL {' ou '.join(schemes)} válida")


def check_data(node: dict[str, Any], refs: list[Reference]) -> None:
    """Raise ValueError with what is wrong in the node's `data`; collect the ids it names in `refs`."""
    subtype, data, node_id = node["subtype"], node.get("data") or {}, node["id"]
    if not isinstance(data, dict):
        raise ValueError("data: deve ser um objeto")

    def ref(key: str, kind: str, *, required: bool = False) -> None:
        value = _uuid(data, key, required=required)
        if value:
            refs.append(Reference(node_id, key, kind, value))

    if subtype in ("NEW_CONTACT", "MESSAGE_RECEIVED", "KEYWORD"):
        ref("instanceId", "instance")
    if subtype == "KEYWORD":
        keywords = data.get("keywords")
        if (
            not isinstance(keywords, list)
            or not 1 <= len(keywords) <= 20
            or not all(isinstance(k, str) and k.strip() and len(k) <= 100 for k in keywords)
        ):
            raise ValueError("keywords: de 1 a 20 palavras")
        if data.get("match", "contains") not in ("contains", "exact"):
            raise ValueError("match: contains ou exact")
    elif subtype == "TAG_ADDED":
        ref("tagId", "tag")
    elif subtype == "STAGE_CHANGED":
        ref("funnelId", "funnel")
        ref("stageId", "stage")
    elif subtype == "SCHEDULE":
        schedule = data.get("schedule")
        if not isinstance(schedule, str) or len(schedule.split()) != 5 or not croniter.is_valid(schedule):
            raise ValueError("schedule: uma expressão cron de 5 campos")
        zone = data.get("timezone")
        if zone is not None:
            try:
                ZoneInfo(str(zone))
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError("timezone: fuso horário IANA desconhecido") from None
        found = data.get("filter") or {}
        if not isinstance(found, dict):
            raise ValueError("filter: deve ser um objeto")
        for key, kind in (("tagIds", "tag"), ("stageIds", "stage")):
            ids = found.get(key) or []
            if not isinstance(ids, list) or len(ids) > 50:
                raise ValueError(f"filter.{key}: lista de até 50 ids")
            for value in ids:
                if not isinstance(value, str) or not UUID.fullmatch(value):
                    raise ValueError(f"filter.{key}: id inválido")
                refs.append(Reference(node_id, f"filter.{key}", kind, value))
    elif subtype == "SEND_MESSAGE":
        _text(data, "message")
    elif subtype == "SEND_MEDIA":
        _http_url(data.get("mediaUrl"), "mediaUrl", ("http", "https"))
        if data.get("mediaType") not in MEDIA_TYPES:
            raise ValueError("mediaType: image, video, audio ou document")
        _text(data, "caption", required=False, limit=1024)
        _text(data, "fileName", required=False, limit=255)
    elif subtype in ("ADD_TAG", "REMOVE_TAG"):
        ref("tagId", "tag", required=True)
    elif subtype == "MOVE_TO_STAGE":
        ref("stageId", "stage", required=True)
    elif subtype == "CREATE_DEAL":
        _text(data, "title", limit=255)
        ref("stageId", "stage", required=True)
        _number(data, "value", low=0, high=1e12, required=False)
    elif subtype == "UPDATE_CONTACT":
        fields = data.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise ValueError("fields: informe ao menos um campo")
        unknown = set(fields) - {"name", "email", "notes", "customFields"}
        if unknown:
            raise ValueError(f"fields: campos desconhecidos {sorted(unknown)}")
        for key in ("name", "email", "notes"):
            if key in fields and fields[key] is not None:
                _text(fields, key, required=False, limit=10_000 if key == "notes" else 255)
        if "customFields" in fields and not isinstance(fields["customFields"], dict):
            raise ValueError("fields.customFields: deve ser um objeto")
    elif subtype == "CALL_WEBHOOK":
        _http_url(data.get("url"), "url", ("http", "https"))
        if data.get("method", "POST") not in METHODS:
            raise ValueError("method: GET, POST, PUT, PATCH ou DELETE")
        headers = data.get("headers") or {}
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise ValueError("headers: um objeto de textos")
        _number(data, "timeoutSeconds", low=1, high=30, required=False)
    elif subtype == "NOTIFY_TEAM":
        _text(data, "message")
        users = data.get("userIds")
        if users is not None:
            if not isinstance(users, list) or not users or len(users) > 100:
                raise ValueError("userIds: lista de 1 a 100 ids")
            for value in users:
                if not isinstance(value, str) or not UUID.fullmatch(value):
                    raise ValueError("userIds: id inválido")
                refs.append(Reference(node_id, "userIds", "user", value))
    elif subtype == "AI_REPLY":
        _text(data, "instructions", required=False, limit=2000)
    elif subtype == "IF_CONDITION":
        field = data.get("field")
        if not isinstance(field, str) or not (
            field in FIELDS or (field.startswith("trigger.") and len(field) > len("trigger."))
        ):
            raise ValueError("field: " + ", ".join(FIELDS) + " ou trigger.<chave>")
        operator = data.get("operator")
        if operator not in OPERATORS:
            raise ValueError("operator: " + ", ".join(OPERATORS))
        if operator not in ("exists", "not_exists") and data.get("value") is None:
            raise ValueError("value: obrigatório para este operador")
    elif subtype == "WAIT_RESPONSE":
        _wait(data, "timeout", "timeoutUnit")
    elif subtype == "WAIT_TIME":
        _wait(data, "delay", "unit")
    elif subtype == "SPLIT":
        shares = data.get("percentages")
        if (
            not isinstance(shares, list)
            or not 2 <= len(shares) <= 5
            or not all(isinstance(p, int | float) and not isinstance(p, bool) and p > 0 for p in shares)
        ):
            raise ValueError("percentages: de 2 a 5 números positivos")
        if abs(sum(shares) - 100) > 1e-9:
            raise ValueError("percentages: a soma deve ser 100")


def validate(nodes: Any, connections: Any) -> tuple[str, list[Reference]]:
    """The flow's trigger type and the ids its nodes name; InvalidFlow (422) listing every problem."""
    problems = _Problems()
    refs: list[Reference] = []
    if not isinstance(nodes, list) or not isinstance(connections, list):
        raise InvalidFlow("nodes e connections devem ser listas", details=[{"message": "formato inválido"}])
    if len(nodes) > MAX_NODES:
        problems.add(f"no máximo {MAX_NODES} nós")
    if len(connections) > MAX_CONNECTIONS:
        problems.add(f"no máximo {MAX_CONNECTIONS} conexões")
    by_id: dict[str, dict[str, Any]] = {}
    for node in nodes:
        node_id = node.get("id") if isinstance(node, dict) else None
        if not isinstance(node_id, str) or not NODE_ID.fullmatch(node_id):
            problems.add("id do nó: 1 a 64 caracteres [A-Za-z0-9_-]")
            continue
        if node_id in by_id:
            problems.add("id de nó repetido", node=node_id)
            continue
        kind = BY_SUBTYPE.get(str(node.get("subtype")))
        if kind is None or kind.type != node.get("type"):
            problems.add(f"tipo de nó desconhecido: {node.get('type')}/{node.get('subtype')}", node=node_id)
            continue
        by_id[node_id] = node
        try:
            check_data(node, refs)
        except ValueError as exc:
            problems.add(str(exc), node=node_id)
    triggers = [n for n in by_id.values() if n["type"] == "trigger"]
    if len(triggers) != 1:
        problems.add(f"o fluxo precisa de exatamente um gatilho (tem {len(triggers)})")
    edges: dict[str, list[str]] = {node_id: [] for node_id in by_id}
    used: set[tuple[str, str]] = set()
    connection_ids: set[str] = set()
    for connection in connections:
        if not isinstance(connection, dict):
            problems.add("conexão inválida")
            continue
        cid = connection.get("id")
        if not isinstance(cid, str) or not NODE_ID.fullmatch(cid) or cid in connection_ids:
            problems.add("id de conexão ausente, inválido ou repetido", connection=str(cid))
            continue
        connection_ids.add(cid)
        source, target = (
            by_id.get(str(connection.get("sourceId"))),
            by_id.get(str(connection.get("targetId"))),
        )
        if source is None or target is None:
            problems.add("a conexão liga um nó que não existe", connection=cid)
            continue
        handle = connection.get("sourceHandle") or "output"
        if handle not in outputs_of(source):
            problems.add(f"saída '{handle}' não existe em {source['subtype']}", connection=cid)
            continue
        if target["type"] == "trigger":
            problems.add("nenhuma conexão pode entrar no gatilho", connection=cid)
            continue
        if (source["id"], handle) in used:
            problems.add(f"a saída '{handle}' já está conectada", connection=cid, node=source["id"])
            continue
        used.add((source["id"], handle))
        edges[source["id"]].append(target["id"])
    if len(triggers) == 1:
        seen = {triggers[0]["id"]}
        stack = [triggers[0]["id"]]
        while stack:
            for nxt in edges[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        for node_id in by_id:
            if node_id not in seen:
                problems.add("nó inalcançável a partir do gatilho", node=node_id)
    for node_id in _cycle_without_wait(by_id, edges):
        problems.add("ciclo sem um nó de espera (WAIT_TIME ou WAIT_RESPONSE)", node=node_id)
    if problems.items:
        raise InvalidFlow("O fluxo é inválido", details=problems.items)
    return (triggers[0]["subtype"], refs)


def _cycle_without_wait(by_id: dict[str, dict[str, Any]], edges: dict[str, list[str]]) -> list[str]:
    """Nodes on a cycle made only of non-wait nodes (a wait node breaks every cycle through it)."""
    graph = {
        n: [m for m in edges[n] if by_id[m]["subtype"] not in WAITS]
        for n in edges
        if by_id[n]["subtype"] not in WAITS
    }
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    found: list[str] = []
    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            if index < len(graph[node]):
                stack[-1] = (node, index + 1)
                nxt = graph[node][index]
                if state.get(nxt) == 1:
                    if nxt not in found:
                        found.append(nxt)
                elif not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    return found


def targets(connections: list[dict[str, Any]], node_id: str, handle: str) -> str | None:
    for connection in connections:
        if connection.get("sourceId") == node_id and (connection.get("sourceHandle") or "output") == handle:
            return str(connection["targetId"])
    return None
