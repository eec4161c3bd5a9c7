from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from feedback.asyncapi import asyncapi_view

from . import health

api_v1 = [
    path("", include("accounts.urls")),
    path("", include("questionbank.urls")),
    path("", include("interviews.urls")),
    path("", include("feedback.urls")),
    path("", include("webhooks.urls")),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("asyncapi", asyncapi_view, name="asyncapi"),  # the live interview socket (AsyncAPI 3.0)
    # The split view serves Swagger UI's start script as a file (?script=): no inline script (CSP).
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
         name="docs"),
]

urlpatterns = [
    path("v1/", include(api_v1)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("share/", include("feedback.page_urls")),
    path("", include("pages.urls")),
]

handler400 = "cloudinterview.api.handlers.bad_request"
handler403 = "cloudinterview.api.handlers.permission_denied"
handler404 = "cloudinterview.api.handlers.not_found"
handler500 = "cloudinterview.api.handlers.server_error"
