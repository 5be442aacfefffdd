"""A local stand-in for an Evolution API v2 (2.3.7) server, with pages that play the customer's phone.

New users without a WhatsApp number point a provider credential at it and try the whole product; our own
Evolution adapter must work against it unchanged, so the HTTP protocol and the webhook bodies follow the
real server (see shared/docs/whatsapp-protocols.md), not our own conventions.
"""
