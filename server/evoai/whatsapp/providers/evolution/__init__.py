"""Evolution API v2 adapter."""

from evoai.whatsapp.providers.evolution.client import EvolutionProvider
from evoai.whatsapp.providers.evolution.webhook import parse

__all__ = ["EvolutionProvider", "parse"]
