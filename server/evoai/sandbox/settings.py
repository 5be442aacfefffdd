"""What the sandbox needs from the project settings, plus timings the tests shorten."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evoai.config import Settings


@dataclass(frozen=True)
class SandboxSettings:
    api_key: str
    data_dir: Path
    port: int = 8085
    host: str = "127.0.0.1"
    # Delivery retries as Evolution 2.3.7 (10 attempts, doubling) but starting at 1 s instead of 5 s,
    # so a receiver that was down for a moment catches up quickly during a demo.
    retry_initial_delay: float = 1.0
    retry_max_delay: float = 30.0
    retry_max_attempts: int = 10
    request_timeout: float = 30.0
    # The simulated network: how long until the server and then the customer's phone acknowledge.
    server_ack_delay: float = 0.4
    delivery_ack_delay: float = 1.2
    max_messages_per_chat: int = 500
    max_media_bytes: int = 16 * 1024 * 1024

    @property
    def server_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "sandbox"

    @classmethod
    def from_settings(cls, settings: Settings) -> SandboxSettings:
        return cls(
            api_key=settings.SANDBOX_API_KEY,
            data_dir=settings.EVOAI_DATA_DIR,
            port=settings.SANDBOX_PORT,
            max_media_bytes=settings.MEDIA_MAX_BYTES,
        )
