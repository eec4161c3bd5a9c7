"""WebSocket routes of every app."""

from feedback.routing import websocket_urlpatterns as interview_routes

websocket_urlpatterns = [*interview_routes]
