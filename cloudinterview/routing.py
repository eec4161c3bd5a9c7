"""WebSocket routes of every app."""

from interviews.routing import websocket_urlpatterns as interview_routes

websocket_urlpatterns = [*interview_routes]
