"""Tests of the WhatsApp integration."""
