from django.urls import path

from . import apis

urlpatterns = [
    path("api/webhooks", apis.WebhookListApi.as_view(), name="webhooks"),
    path("api/webhooks/<str:webhook_id>", apis.WebhookDetailApi.as_view(), name="webhook-detail"),
    path("api/webhooks/<str:webhook_id>/rotate-secret", apis.WebhookRotateSecretApi.as_view(),
         name="webhook-rotate-secret"),
    path("api/webhooks/<str:webhook_id>/test", apis.WebhookTestApi.as_view(), name="webhook-test"),
    path("api/webhooks/<str:webhook_id>/deliveries", apis.WebhookDeliveryListApi.as_view(),
         name="webhook-deliveries"),
]
