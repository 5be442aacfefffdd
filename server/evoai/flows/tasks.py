"""The flow-worker's job `flow.step` (evoai/flows/engine.py explains the cursor).

Exactly one outcome per step: the execution row is locked (FOR UPDATE) while the node runs and the
cursor moves; a job whose step is not the row's does nothing. A node failure raises so BullMQ retries
the job (nothing of the failed attempt was committed); on the last attempt the execution is FAILED
with the error (CALL_WEBHOOK follows its `error` handle when connected) and the job still raises, so
it lands in the dead letters. CALL_WEBHOOK makes its HTTP call with no transaction open, then checks
the cursor again before moving it: the call is at least once, with an Idempotency-Key."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.exceptions import AppError
from evoai.flows import engine, graph, webhook_call
from evoai.flows.conditions import fill as fill_text
from evoai.flows.engine import LIVE, advance, finish, node_of, wait
from evoai.flows.nodes import NodeError, render_context, run_action, send_media
from evoai.kit import clock
from evoai.models import AutomationFlow, Contact, FlowExecution
from evoai.whatsapp.media import keep_media
from evoai.worker.context import JobContext, is_last_attempt

log = structlog.get_logger(__name__)


async def _lock(session: AsyncSession, execution_id: uuid.UUID) -> FlowExecution | None:
    return await session.scalar(
        select(FlowExecution)
        .where(FlowExecution.id == execution_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def _flow(session: AsyncSession, row: FlowExecution) -> AutomationFlow | None:
    if row.flow_id is None:
        return None
    return await session.scalar(select(AutomationFlow).where(AutomationFlow.id == row.flow_id))


async def _wake(session: AsyncSession, row: FlowExecution, flow: AutomationFlow | None) -> dict[str, Any]:
    """A wait's moment came: WAIT_TIME goes on through `output`, WAIT_RESPONSE through `timeout`."""
    node = node_of(flow, row.current_node_id) if flow else None
    if node is None:
        finish(row, "FAILED", "O fluxo mudou: o nó de espera não existe mais")
        return {"outcome": "failed"}
    if row.wait_kind == "response":
        await advance(session, row, flow, node, "timeout", "timeout", dead_end="TIMEOUT")
    else:
        await advance(session, row, flow, node, "success", "output")
    return {"outcome": row.status.lower()}


def _error_handle(flow: AutomationFlow, node: dict[str, Any]) -> str | None:
    """`error` when the node has that handle connected, else None (the execution fails)."""
    if "error" in graph.outputs_of(node) and graph.targets(flow.connections, node["id"], "error"):
        return "error"
    return None


async def step(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    company_id, execution_id = uuid.UUID(data["companyId"]), uuid.UUID(data["executionId"])
    wanted = int(data["step"])
    failure: NodeError | Exception | None = None
    request: dict[str, Any] | None = None
    download: dict[str, Any] | None = None
    async with ctx.transaction(company_id=company_id) as session:
        row = await _lock(session, execution_id)
        if row is None or row.status not in LIVE or row.step != wanted:
            return {"outcome": "skipped", "status": row.status if row else None}
        now = clock.now()
        flow = await _flow(session, row)
        if row.status == "WAITING":
            if row.waiting_until is not None and row.waiting_until > now + engine.EARLY:
                return {"outcome": "early"}
            return await _wake(session, row, flow)
        node = node_of(flow, row.current_node_id) if flow else None
        if flow is None or node is None:
            finish(row, "FAILED" if flow else "CANCELLED", "O fluxo mudou: o nó atual não existe mais")
            return {"outcome": row.status.lower()}
        subtype, node_data = node["subtype"], node.get("data") or {}
        if subtype in graph.WAITS:
            amount, unit = (
                (node_data["delay"], node_data["unit"])
                if subtype == "WAIT_TIME"
                else (node_data["timeout"], node_data["timeoutUnit"])
            )
            until = now + timedelta(seconds=graph.wait_seconds(amount, unit))
            await wait(session, row, node, until, "time" if subtype == "WAIT_TIME" else "response")
            return {"outcome": "waiting", "until": until.isoformat()}
        if subtype == "CALL_WEBHOOK":
            request = await _webhook_request(session, row, node_data)
        elif subtype == "SEND_MEDIA":
            download = await _webhook_request(
                session, row, {"url": node_data["mediaUrl"], "body": node_data.get("caption") or ""}
            )
            download.update(kind=node_data.get("mediaType") or "document", fileName=node_data.get("fileName"))
        else:
            try:
                async with session.begin_nested():
                    done = await run_action(session, ctx.settings, row, node)
            except Exception as exc:
                failure = exc
                retry = exc.retry if isinstance(exc, NodeError) else True
                if retry and not is_last_attempt():
                    raise
                finish(row, "FAILED", _message(exc))
                log.warning(
                    "flow.node_failed", execution_id=str(row.id), node=node["id"], error=_message(exc)
                )
            else:
                await advance(session, row, flow, node, done.result, done.handle, done.detail)
                return {"outcome": row.status.lower(), "node": node["id"], "handle": done.handle}
    if failure is not None:
        if isinstance(failure, NodeError) and not failure.retry:
            return {"outcome": "failed", "error": failure.message}
        raise failure
    if download is not None:
        return await _send_media(ctx, company_id, execution_id, wanted, download)
    assert request is not None
    return await _call_webhook(ctx, company_id, execution_id, wanted, request)


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc or type(exc).__name__)[:2000]


async def _webhook_request(session: AsyncSession, row: FlowExecution, data: dict[str, Any]) -> dict[str, Any]:
    contact = (
        await session.scalar(select(Contact).where(Contact.id == row.contact_id)) if row.contact_id else None
    )
    context = await render_context(session, row.company_id, contact)
    variables = row.variables or {}

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return fill_text(value, context, variables)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    return {
        "url": fill(str(data["url"])),
        "method": data.get("method") or "POST",
        "headers": {k: fill(v) for k, v in (data.get("headers") or {}).items()},
        "body": fill(data.get("body")),
        "timeout": float(data.get("timeoutSeconds") or 10),
    }


async def _reopen(
    session: AsyncSession, execution_id: uuid.UUID, wanted: int, during: str
) -> tuple[FlowExecution, AutomationFlow, dict[str, Any]] | dict[str, Any]:
    """Phase two of a step whose I/O ran outside a transaction: the execution, locked and still at
    this step, with its flow and node; or the outcome when it moved on or the flow changed `during`."""
    row = await _lock(session, execution_id)
    if row is None or row.status != "RUNNING" or row.step != wanted:
        return {"outcome": "skipped", "status": row.status if row else None}
    flow = await _flow(session, row)
    node = node_of(flow, row.current_node_id) if flow else None
    if flow is None or node is None:
        finish(row, "CANCELLED" if flow is None else "FAILED", f"O fluxo mudou durante {during}")
        return {"outcome": row.status.lower()}
    return row, flow, node


async def _call_webhook(
    ctx: JobContext, company_id: uuid.UUID, execution_id: uuid.UUID, wanted: int, request: dict[str, Any]
) -> dict[str, Any]:
    retry, status, error, body = False, None, None, None
    try:
        answer = await webhook_call.call(
            request["url"],
            method=request["method"],
            headers=request["headers"],
            body=request["body"],
            timeout_seconds=request["timeout"],
            idempotency_key=f"{execution_id}-{wanted}",
            allow_private=ctx.settings.FLOW_WEBHOOK_ALLOW_PRIVATE,
        )
        status, body = answer.status, answer.body
        if not 200 <= status < 300:
            retry, error = True, f"O webhook respondeu HTTP {status}"
    except webhook_call.Refused as exc:
        error = str(exc)
    except (httpx.HTTPError, OSError) as exc:
        retry, error = True, f"Falha ao chamar o webhook: {type(exc).__name__}"
    if error and retry and not is_last_attempt():
        raise RuntimeError(error)
    raise_after = False
    async with ctx.transaction(company_id=company_id) as session:
        reopened = await _reopen(session, execution_id, wanted, "a chamada")
        if isinstance(reopened, dict):
            return reopened
        row, flow, node = reopened
        detail: dict[str, Any] = {"status": status} if status is not None else {}
        if error is None:
            row.variables = {**(row.variables or {}), "webhook": {"status": status, "body": body}}
            await advance(session, row, flow, node, "success", "output", detail)
            return {"outcome": row.status.lower(), "status": status}
        handle = _error_handle(flow, node)
        if handle:
            await advance(session, row, flow, node, "failed", handle, {**detail, "error": error})
        else:
            finish(row, "FAILED", error)
            raise_after = retry
    if raise_after:
        raise RuntimeError(error)
    return {"outcome": "failed" if not handle else "error", "error": error}


async def _send_media(
    ctx: JobContext, company_id: uuid.UUID, execution_id: uuid.UUID, wanted: int, download: dict[str, Any]
) -> dict[str, Any]:
    """SEND_MEDIA: download the file with no transaction open (CALL_WEBHOOK's address checks), store
    it like a file sent from the inbox, then send it in the step's transaction."""
    settings, kind, url = ctx.settings, str(download["kind"]), str(download["url"])
    stored, retry, error = None, False, None
    try:
        content, mime = await webhook_call.fetch(
            url,
            allow_private=settings.FLOW_WEBHOOK_ALLOW_PRIVATE,
            timeout_seconds=30,
            max_bytes=settings.MEDIA_MAX_BYTES,
        )
        stored = await keep_media(settings, company_id, kind, content, mime)
        if stored.key is None:
            error = f"Mídia recusada: {stored.rejected_reason}"
    except (webhook_call.Refused, webhook_call.TooLarge) as exc:
        error = str(exc)
    except (httpx.HTTPError, OSError) as exc:
        retry, error = True, f"Falha ao baixar a mídia: {type(exc).__name__}"
    if error and retry and not is_last_attempt():
        raise RuntimeError(error)
    async with ctx.transaction(company_id=company_id) as session:
        reopened = await _reopen(session, execution_id, wanted, "o download")
        if isinstance(reopened, dict):
            return reopened
        row, flow, node = reopened
        if error is None and stored is not None:
            name = download.get("fileName") or url.rsplit("/", 1)[-1].split("?", 1)[0] or "arquivo"
            try:
                async with session.begin_nested():
                    done = await send_media(
                        session,
                        settings,
                        row,
                        node,
                        caption=str(download["body"]),
                        kind=kind,  # type: ignore[arg-type]  # validated by the graph
                        stored=stored,
                        file_name=name,
                    )
            except NodeError as exc:
                error = exc.message
            except AppError as exc:  # the instance is disconnected, the quota used up…
                if not is_last_attempt():
                    raise
                error = exc.message
            else:
                await advance(session, row, flow, node, done.result, done.handle, done.detail)
                return {"outcome": row.status.lower(), "node": node["id"], "handle": done.handle}
        finish(row, "FAILED", error or "Falha ao enviar a mídia")
        log.warning("flow.node_failed", execution_id=str(row.id), node=node["id"], error=error)
    return {"outcome": "failed", "error": error}
