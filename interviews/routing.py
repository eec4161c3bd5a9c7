"""The live interview's WebSocket route (CONTRACT section 1); a trailing slash is served too."""

from django.urls import re_path

from .consumers import InterviewConsumer

websocket_urlpatterns = [
    re_path(r"^v1/interviews/(?P<session_id>[^/]+)/?$", InterviewConsumer.as_asgi()),
]
