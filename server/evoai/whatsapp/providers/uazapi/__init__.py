"""UAZAPI (uazapiGO v2) adapter."""

from evoai.whatsapp.providers.uazapi.client import UazapiProvider
from evoai.whatsapp.providers.uazapi.webhook import parse

__all__ = ["UazapiProvider", "parse"]
