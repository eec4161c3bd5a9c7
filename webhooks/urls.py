from django.urls import path

from cloudinterview.api.ids import register_id_converters

from . import apis

register_id_converters()

urlpatterns = [
    path("api/webhooks", apis.WebhookListApi.as_view(), name="webhooks"),
    path("api/webhooks/<webhook:webhook_id>", apis.WebhookDetailApi.as_view(), name="webhook-detail"),
    path("api/webhooks/<webhook:webhook_id>/rotate-secret", apis.WebhookRotateSecretApi.as_view(),
         name="webhook-rotate-secret"),
    path("api/webhooks/<webhook:webhook_id>/test", apis.WebhookTestApi.as_view(), name="webhook-test"),
    path("api/webhooks/<webhook:webhook_id>/deliveries", apis.WebhookDeliveryListApi.as_view(),
         name="webhook-deliveries"),
]
