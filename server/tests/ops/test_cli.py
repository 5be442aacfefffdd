"""`evoai backup ...` end to end through the command line, as an operator types it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from evoai.cli import app
from tests.conftest import Services


@pytest.fixture
def env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    values = {
        "NODE_ENV": "development",
        "DATABASE_URL": services.app_url,
        "REDIS_URL": services.redis_url,
        "BACKUP_DATABASE_URL": services.admin_url,
        "EVOAI_DATA_DIR": str(tmp_path / "data"),
        "BACKUP_LOCAL_DIR": str(tmp_path / "backups"),
        "BACKUP_METRICS_FILE": str(tmp_path / "backup.prom"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return tmp_path


def test_run_list_verify_prune_from_the_command_line(env: Path) -> None:
    runner = CliRunner()
    ran = runner.invoke(app, ["backup", "run"])
    assert ran.exit_code == 0, ran.output
    assert "postgres backup" in ran.output
    assert "sha256" in ran.output

    listed = runner.invoke(app, ["backup", "list"])
    assert listed.exit_code == 0, listed.output
    assert "postgres (1)" in listed.output
    assert "redis (0)" in listed.output
    assert "wal (0 segments" in listed.output

    verified = runner.invoke(app, ["backup", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "match the source" in verified.output

    pruned = runner.invoke(app, ["backup", "prune", "--now", "2099-01-01T00:00:00Z"])
    assert pruned.exit_code == 0, pruned.output
    assert "nothing to prune" in pruned.output  # the newest dump is always kept

    bucket = runner.invoke(app, ["backup", "setup-bucket"])
    assert bucket.exit_code == 0
    assert "not applicable" in bucket.output


def test_a_restore_over_the_source_is_refused(env: Path, services: Services) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["backup", "run"]).exit_code == 0
    source = services.admin_url.rsplit("/", 1)[-1]
    refused = runner.invoke(app, ["backup", "restore", "--target-db", source])
    assert refused.exit_code == 1
    assert "refusing to restore over the source" in refused.output
