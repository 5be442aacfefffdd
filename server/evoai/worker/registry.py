"""Job name -> handler, per queue. Domains register their tasks here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from evoai.ai import analysis as ai_analysis
from evoai.ai import memory_tasks
from evoai.ai import reply as ai_reply
from evoai.ai.memory import EMBED_JOB, KNOWLEDGE_JOB
from evoai.ai.schedule import REPLY_JOB
from evoai.flows import tasks as flow_tasks
from evoai.flows.engine import STEP_JOB as FLOW_STEP_JOB
from evoai.followups import fire as followup_fire
from evoai.followups.engine import FIRE_JOB as FOLLOWUP_FIRE_JOB
from evoai.notifications import tasks as notification_tasks
from evoai.whatsapp import tasks as whatsapp_tasks
from evoai.whatsapp.inbox import DELETE_MEDIA_JOB, MARK_READ_JOB
from evoai.whatsapp.ingest import FETCH_AVATAR_JOB, PROCESS_INBOUND_JOB
from evoai.whatsapp.outbound import REACTION_JOB, SEND_JOB
from evoai.worker import queues
from evoai.worker.context import JobContext

Handler = Callable[[JobContext, dict[str, Any]], Awaitable[Any]]

HANDLERS: dict[str, dict[str, Handler]] = {
    queues.MESSAGE: {
        "notifications.welcome": notification_tasks.welcome,
        SEND_JOB: whatsapp_tasks.send_message,
        REACTION_JOB: whatsapp_tasks.send_reaction,
        MARK_READ_JOB: whatsapp_tasks.mark_read,
        PROCESS_INBOUND_JOB: whatsapp_tasks.process_inbound,
        DELETE_MEDIA_JOB: whatsapp_tasks.delete_media,
        whatsapp_tasks.RECONCILE_JOB: whatsapp_tasks.reconcile,
        FETCH_AVATAR_JOB: whatsapp_tasks.fetch_avatar,
        REPLY_JOB: ai_reply.reply,
        ai_analysis.ANALYSIS_JOB: ai_analysis.run_analysis,
    },
    queues.FOLLOWUP: {FOLLOWUP_FIRE_JOB: followup_fire.fire},
    queues.EMBEDDING: {
        EMBED_JOB: memory_tasks.embed_pending,
        KNOWLEDGE_JOB: memory_tasks.embed_knowledge,
    },
    queues.FLOW: {FLOW_STEP_JOB: flow_tasks.step},
}
