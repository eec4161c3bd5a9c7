"""ASGI entry point: Django for HTTP, Channels for WebSockets."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloudinterview.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402  (Django must be set up first)

from sandbox import warn_if_degraded  # noqa: E402

from . import daphne_close_codes  # noqa: E402
from .gc_tuning import freeze_start_up  # noqa: E402
from .routing import websocket_urlpatterns  # noqa: E402
from .ws_auth import WebSocketAuthMiddleware  # noqa: E402

warn_if_degraded()  # a server that runs candidates' code says at start-up what isolation it lacks
daphne_close_codes.install()  # 1009 for an oversized message reaches the client as 1009, not 1011

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Origins are checked per credential inside (cookie sockets only): token sockets come from anywhere.
        "websocket": WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
freeze_start_up()
