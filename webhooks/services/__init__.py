"""Webhook services: endpoints (management), outbox (recording events), delivery (sending them)."""
