"""OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set.

FastAPI emits the request spans itself (its native telemetry, on the OpenTelemetry API it already
depends on); we give it a tracer provider that exports over OTLP/HTTP (protobuf) to
`<endpoint>/v1/traces`, the endpoint being the collector's base URL as the OpenTelemetry
specification defines it. Without the variable neither the SDK nor the exporter is imported and
FastAPI's telemetry is switched off outright.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Protocol

from fastapi.telemetry import TelemetryConfig

from evoai.config import Settings

# Probes and scrapes every few seconds would drown the useful traces.
UNTRACED_PREFIXES = ("/health", "/metrics")
OFF: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False, "auto_configure": False}


class Tracing(Protocol):
    def shutdown(self) -> None: ...


def traces_url(endpoint: str) -> str:
    return endpoint.rstrip("/") + "/v1/traces"


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    return str(scope.get("path", "")).startswith(UNTRACED_PREFIXES)


def telemetry_config(settings: Settings, service: str) -> tuple[TelemetryConfig, Tracing | None]:
    """FastAPI's telemetry settings, and the provider to shut down (flushing spans) at exit."""
    if not settings.OTEL_EXPORTER_OTLP_ENDPOINT:
        return OFF, None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.OTEL_SERVICE_NAME or service})
    )
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url(settings.OTEL_EXPORTER_OTLP_ENDPOINT)))
    )
    # Handed to FastAPI rather than installed as the global provider, so a second app in the same
    # process (tests) gets its own and nothing warns about replacing a global.
    config: TelemetryConfig = {**OFF, "tracing": True, "tracer_provider": provider, "exclude": _untraced}
    return config, provider
