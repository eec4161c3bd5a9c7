"""The live interview's WebSocket route (docs/api.md, "Live interview"); a trailing slash is served too."""

from django.urls import re_path

from .consumers import LiveInterviewConsumer

websocket_urlpatterns = [
    re_path(r"^v1/interviews/(?P<session_id>[^/]+)/?$", LiveInterviewConsumer.as_asgi(), name="interview-socket"),
]
urlpatterns = websocket_urlpatterns  # so django.urls.reverse() builds the socket's path from this module
