"""WebSocket routes; the live-interview consumer registers here."""

websocket_urlpatterns: list = []
