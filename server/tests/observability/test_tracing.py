"""OpenTelemetry: nothing loaded without OTEL_EXPORTER_OTLP_ENDPOINT; with it, spans reach an OTLP/HTTP
collector (here a small HTTP server accepting POST /v1/traces)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from evoai.app import create_app
from evoai.config import Settings
from tests.conftest import Services, make_settings
from tests.observability.obs_helpers import SERVER_DIR, process_env


def test_without_an_endpoint_nothing_is_loaded(settings: Settings, tmp_path: Path) -> None:
    # (redis-py imports the SDK's metrics package by itself when the SDK is installed; what we own
    # is the tracing SDK, the exporter, a configured provider and FastAPI's telemetry.)
    probe = (
        "import json, sys\n"
        "from opentelemetry import trace\n"
        "from evoai.app import create_app\n"
        "app = create_app().other_asgi_app\n"
        "print(json.dumps({'modules': sorted(m for m in sys.modules if m.startswith("
        "('opentelemetry.sdk.trace', 'opentelemetry.exporter', 'opentelemetry.proto'))),"
        " 'provider': type(trace.get_tracer_provider()).__name__,"
        " 'tracing': app.state.tracing, 'fastapi': app._native_telemetry.enabled()}))\n"
    )
    env = process_env(settings, tmp_path / "data")
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=SERVER_DIR, capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result == {"modules": [], "provider": "ProxyTracerProvider", "tracing": None, "fastapi": False}


class Collector:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                collector.requests.append((self.path, self.headers.get("Content-Type", ""), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def spans(self) -> list[tuple[str, dict[str, Any], str]]:
        """(span name, attributes, service name) of everything received."""
        found = []
        for path, _, body in self.requests:
            assert path == "/v1/traces"
            export = ExportTraceServiceRequest.FromString(body)
            for resource_spans in export.resource_spans:
                resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        attributes = {a.key: a.value.string_value for a in span.attributes}
                        found.append((span.name, attributes, resource.get("service.name", "")))
        return found

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def collector() -> Iterator[Collector]:
    running = Collector()
    yield running
    running.close()


async def test_spans_reach_the_collector(services: Services, collector: Collector) -> None:
    app: Any = create_app(make_settings(services, OTEL_EXPORTER_OTLP_ENDPOINT=collector.url + "/"))
    fastapi_app = app.other_asgi_app
    assert fastapi_app.state.tracing is not None
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get(f"/api/contacts/{uuid.uuid4()}")).status_code == 401
        assert (await client.get("/health")).status_code == 200
        assert (await client.get("/metrics")).status_code == 200
    fastapi_app.state.tracing.shutdown()  # flushes, as the lifespan does at exit
    spans = collector.spans()
    names = [name for name, _, _ in spans]
    assert "GET /api/contacts/{contact_id}" in names, names
    assert {service for _, _, service in spans} == {"evoai-api"}
    assert not [name for name in names if "/health" in name or "/metrics" in name]
    state = fastapi_app.state.evoai
    await state.relay.close()
    await state.redis.aclose()
    await state.engine.dispose()
