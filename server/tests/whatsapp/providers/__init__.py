"""Tests of the gateway adapters."""
