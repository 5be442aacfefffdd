"""A scripted language model speaking OpenAI's HTTP API (`/v1/chat/completions`, `/v1/embeddings`).

These machines cannot reach OpenAI, so tests, the browser test and a developer without a key talk to
this server through the real `openai` SDK. Without a script it follows a few visible rules (it calls
`add_tag` when the customer names an offered tag, `handover` when they ask for a person, and
otherwise answers with an echo); tests queue exact steps with `POST /v1/sandbox/script`, read what it
received at `GET /v1/sandbox/requests`, and clear both with `DELETE /v1/sandbox`."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import math
import re
import struct
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

PERSON_WORDS = re.compile(r"\b(atendente|humano|pessoa|gerente|falar com algu[eé]m)\b", re.IGNORECASE)
SANDBOX_DIMENSIONS = 256


@dataclass
class ModelState:
    script: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _error(status: int, message: str, kind: str = "server_error") -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": None}}, status_code=status)


def _text_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):  # content parts
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content or "")


def _tool(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    for tool in body.get("tools") or []:
        function = tool.get("function") or {}
        if function.get("name") == name:
            return dict(function)
    return None


def _rule_based(body: dict[str, Any]) -> dict[str, Any]:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    if last.get("role") == "tool":
        return {"content": "Perfeito, já anotei aqui. Posso ajudar em algo mais?"}
    customer = _text_of(last)
    handover = _tool(body, "handover")
    if handover and PERSON_WORDS.search(customer):
        return {"toolCalls": [{"name": "handover", "arguments": {"reason": "o cliente pediu uma pessoa"}}]}
    add_tag = _tool(body, "add_tag")
    if add_tag:
        names = add_tag.get("parameters", {}).get("properties", {}).get("tag", {}).get("enum") or []
        for name in names:
            if str(name).lower() in customer.lower():
                reason = f"o cliente falou de {name}"
                return {"toolCalls": [{"name": "add_tag", "arguments": {"tag": name, "reason": reason}}]}
    return {"content": f"Olá! Recebi sua mensagem: “{customer[:200]}”. Como posso ajudar?"}


def _completion(body: dict[str, Any], step: dict[str, Any]) -> dict[str, Any]:
    calls = [
        {
            "id": f"call_{uuid.uuid4().hex[:12]}",
            "type": "function",
            "function": {"name": c["name"], "arguments": json.dumps(c.get("arguments", {}))},
        }
        for c in step.get("toolCalls") or []
    ]
    content = step.get("content")
    message: dict[str, Any] = {"role": "assistant", "content": content if content is not None else None}
    if calls:
        message["tool_calls"] = calls
    prompt = sum(_tokens(_text_of(m)) for m in body.get("messages") or [])
    completion = _tokens(content or "") + 10 * len(calls)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:16]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "sandbox"),
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


def embed_text(text: str, dimensions: int = SANDBOX_DIMENSIONS) -> list[float]:
    """Words hashed into a unit vector: texts sharing words are close, as with a real embedding."""
    vector = [0.0] * dimensions
    for word in re.findall(r"\w+", text.lower()):
        digest = hashlib.sha256(word.encode()).digest()
        index = int.from_bytes(digest[:4], "little") % dimensions
        vector[index] += 1.0 if digest[4] % 2 else -1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


def _auth_error(request: Request) -> JSONResponse | None:
    header = request.headers.get("authorization", "")
    key = header.removeprefix("Bearer ").strip()
    if not key or key == "invalid":
        return _error(401, "Incorrect API key provided.", "invalid_request_error")
    return None


async def _next_step(state: ModelState, body: dict[str, Any]) -> dict[str, Any] | JSONResponse:
    step = state.script.pop(0) if state.script else _rule_based(body)
    if step.get("delayMs"):
        await asyncio.sleep(float(step["delayMs"]) / 1000)
    if step.get("status"):
        return _error(int(step["status"]), step.get("message", "scripted failure"))
    return step


def create_model_app() -> FastAPI:
    app = FastAPI(title="Evo AI sandbox model (OpenAI-compatible)", docs_url=None, redoc_url=None)
    state = ModelState()
    app.state.model = state

    @app.post("/chat/completions")
    async def chat(request: Request) -> Any:
        if (denied := _auth_error(request)) is not None:
            return denied
        body = await request.json()
        if body.get("stream"):
            return _error(400, "this sandbox model does not stream", "invalid_request_error")
        state.requests.append({"path": "chat", "body": body})
        step = await _next_step(state, body)
        return step if isinstance(step, JSONResponse) else _completion(body, step)

    @app.post("/embeddings")
    async def embeddings(request: Request) -> Any:
        if (denied := _auth_error(request)) is not None:
            return denied
        body = await request.json()
        state.requests.append({"path": "embeddings", "body": body})
        if state.script and state.script[0].get("status"):
            step = await _next_step(state, body)
            assert isinstance(step, JSONResponse)
            return step
        inputs = body.get("input")
        texts = [inputs] if isinstance(inputs, str) else list(inputs or [])
        dimensions = int(body.get("dimensions") or SANDBOX_DIMENSIONS)
        data = []
        for index, text in enumerate(texts):
            vector = embed_text(str(text), dimensions)
            encoded: Any = vector
            if body.get("encoding_format") == "base64":
                encoded = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(_tokens(str(t)) for t in texts)
        return {
            "object": "list",
            "data": data,
            "model": body.get("model", "sandbox-embedding"),
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }

    @app.post("/sandbox/script")
    async def script(request: Request) -> Any:
        steps = (await request.json()).get("steps") or []
        state.script.extend(steps)
        return {"queued": len(state.script)}

    @app.get("/sandbox/requests")
    async def requests() -> Any:
        return {"requests": state.requests}

    @app.delete("/sandbox")
    async def reset() -> Any:
        state.script.clear()
        state.requests.clear()
        return {"reset": True}

    return app
