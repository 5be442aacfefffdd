"""WhatsApp integration: gateway adapters and the inbox built on them."""
