"""Every Prometheus metric of the product, on one registry per process.

Each API pod and each worker serves its own numbers and Prometheus scrapes every pod (no
multiprocess mode: one uvicorn process per pod). Counters are process-lifetime totals, so queries
use rate()/increase(), which absorb restarts. Labels are bounded sets only: a route template, never
a raw path; a queue or job name, never an id.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

# No `_created` series beside every counter: they double the series and Prometheus needs none.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)
# Our own registry (not the library's global one) so importing this module twice in tests, or a
# library registering its own metrics, never collides; the standard process metrics join it.
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

# Spec 10.3's buckets, with the slow end stretched: a webhook may wait on PostgreSQL for seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

# --- HTTP -------------------------------------------------------------------------------------
http_requests = Counter(
    "evoai_http_requests",
    "HTTP requests answered, by route template, method and status",
    ["route", "method", "status"],
    registry=REGISTRY,
)
http_duration = Histogram(
    "evoai_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by route template and method",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)

# --- Queues (read from Redis and PostgreSQL when /metrics is scraped) ---------------------------
queue_waiting = Gauge("evoai_queue_waiting", "Jobs waiting to be picked up", ["queue"], registry=REGISTRY)
queue_active = Gauge("evoai_queue_active", "Jobs being processed now", ["queue"], registry=REGISTRY)
queue_delayed = Gauge(
    "evoai_queue_delayed",
    "Jobs waiting for a retry backoff or a scheduled time",
    ["queue"],
    registry=REGISTRY,
)
queue_failed = Gauge(
    "evoai_queue_failed",
    "Jobs that failed their last attempt and are kept in Redis for inspection",
    ["queue"],
    registry=REGISTRY,
)


class DeadLettered(Collector):
    """`evoai_queue_dead_lettered_total{queue}`: jobs set aside as dead, i.e. outbox rows that could
    never be handed to Redis (the relay gives up after MAX_ATTEMPTS). A counter whose value is read
    from PostgreSQL at scrape time: the rows are kept, so it only grows unless an operator deletes
    them, and increase() over it counts new dead letters."""

    def __init__(self) -> None:
        self.values: dict[str, float] = {}

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "evoai_queue_dead_lettered", "Jobs dead-lettered (outbox rows set aside)", labels=["queue"]
        )
        for queue, value in sorted(self.values.items()):
            family.add_metric([queue], value)
        yield family


queue_dead_lettered = DeadLettered()
REGISTRY.register(queue_dead_lettered)
collect_errors = Counter(
    "evoai_metrics_collect_errors",
    "Scrape-time reads that failed (the gauges keep their last value)",
    ["source"],
    registry=REGISTRY,
)

# --- Jobs (in the worker processes) -----------------------------------------------------------
jobs = Counter(
    "evoai_jobs",
    "Jobs run by this worker, by queue, job name and outcome",
    ["queue", "job", "outcome"],
    registry=REGISTRY,
)
job_duration = Histogram(
    "evoai_job_duration_seconds",
    "Time one job attempt took",
    ["queue", "job"],
    buckets=JOB_BUCKETS,
    registry=REGISTRY,
)
dead_letters = Counter(
    "evoai_dead_letters",
    "Jobs that failed their last attempt and were set aside in dead_letters (spec 7.6), by queue",
    ["queue"],
    registry=REGISTRY,
)

# --- WhatsApp ---------------------------------------------------------------------------------
webhook_events = Counter(
    "evoai_webhook_events",
    "Webhook deliveries stored, by provider, first event kind and outcome (the reason we answered)",
    ["provider", "event", "outcome"],
    registry=REGISTRY,
)
messages = Counter(
    "evoai_messages",
    "WhatsApp messages stored as received, or handed to the gateway",
    ["direction"],
    registry=REGISTRY,
)
whatsapp_instances = Gauge(
    "evoai_whatsapp_instances", "WhatsApp instances by connection state", ["state"], registry=REGISTRY
)

# --- AI (incremented by evoai.ai) -------------------------------------------------------------
ai_tokens = Counter(
    "evoai_ai_tokens", "LLM tokens used, by kind (prompt, completion, embedding)", ["kind"], registry=REGISTRY
)
ai_errors = Counter("evoai_ai_errors", "LLM calls that failed", registry=REGISTRY)

# --- Follow-ups (incremented by their module) -------------------------------------------------
followups = Counter(
    "evoai_followups",
    "Follow-ups whose alarm rang, by outcome (sent, cancelled, responded, failed, retry, rescheduled, …)",
    ["outcome"],
    registry=REGISTRY,
)

# Backups: evoai.ops.backup.monitoring keeps evoai_backup_failures_total{kind} and
# evoai_backup_last_success_timestamp_seconds on a registry of its own, written to
# BACKUP_METRICS_FILE for the node exporter's textfile collector; an API process knows nothing of
# backups, so /metrics does not carry them.


# Outcome of a webhook that means a new inbound message was stored (see whatsapp.ingest).
_MESSAGE_STORED = "message_created"
# Normalised webhook event classes (whatsapp.providers.base) -> the `event` label.
_EVENT_LABELS = {
    "InboundMessage": "message",
    "StatusUpdate": "status",
    "MessageDeleted": "deleted",
    "ConnectionUpdate": "connection",
    "QrUpdated": "qrcode",
    "ContactSeen": "contact",
    "Ignored": "ignored",
}


class StoredDelivery(Protocol):
    @property
    def provider(self) -> str: ...

    @property
    def events(self) -> Sequence[object]: ...


def record_webhook(parsed: StoredDelivery, outcome: str) -> None:
    """One stored delivery, labelled by its first event (deliveries carry one event but for batches)."""
    first = type(parsed.events[0]).__name__ if parsed.events else "Ignored"
    event = _EVENT_LABELS.get(first, "other")
    webhook_events.labels(provider=parsed.provider, event=event, outcome=outcome).inc()
    if outcome == _MESSAGE_STORED:
        messages.labels(direction="received").inc()


def record_sent_message() -> None:
    messages.labels(direction="sent").inc()
