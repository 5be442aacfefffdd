"""Metrics (Prometheus), request-id correlation across jobs, and optional OpenTelemetry traces."""
