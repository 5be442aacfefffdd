"""Contacts: one identity per person per company."""
