"""Fixtures of the adapter tests: a fresh fake gateway per test and a clean breaker registry."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from evoai.whatsapp.providers.http import reset_breakers
from tests.whatsapp.providers.support import FakeGateway


@pytest.fixture(autouse=True)
def _fresh_breakers() -> Iterator[None]:
    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture
async def gateway() -> AsyncIterator[FakeGateway]:
    server = FakeGateway()
    await server.start()
    yield server
    await server.stop()
