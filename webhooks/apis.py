"""Webhook endpoints under /v1/api/webhooks: one ViewSet whose actions call webhooks' services and selectors. The
user's own webhooks only (another user's is 404); the sessions rate scope."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cloudinterview.api.pagination import PageQuery, paginate, query_params
from cloudinterview.api.responses import envelope, validated
from cloudinterview.api.schema import errors
from cloudinterview.api.throttling import SessionsThrottle

from . import schema as docs
from .selectors import delivery_list_for_endpoint, endpoint_for_user, endpoint_list_for_user
from .serializers import DeliveryListQuery, DeliveryOutput, WebhookCreateInput, WebhookOutput, WebhookUpdateInput
from .services.delivery import deliveries_catch_up
from .services.endpoints import endpoint_create, endpoint_delete, endpoint_rotate_secret, endpoint_update
from .services.outbox import endpoint_ping

TAGS = ["webhooks"]


class WebhookViewSet(viewsets.ViewSet):
    lookup_field = "public_id"
    lookup_url_kwarg = "webhook_id"
    lookup_value_converter = "webhook"
    throttle_classes = [SessionsThrottle]

    @extend_schema(parameters=[PageQuery], responses={200: docs.WebhookListResponse, **errors(400, 401, 429)},
                   tags=TAGS, summary="List my webhooks", description="The user's webhooks, paginated.")
    def list(self, request: Request) -> Response:
        params = query_params(PageQuery, request)
        page = paginate(endpoint_list_for_user(user=request.user), limit=params["limit"], offset=params["offset"])
        return envelope(webhooks=WebhookOutput(page.items, many=True).data, pagination=page.pagination)

    @extend_schema(request=WebhookCreateInput, responses={201: docs.WebhookSecretResponse,
                                                          **errors(400, 401, 409, 429)}, tags=TAGS,
                   summary="Create a webhook",
                   description="Registers an HTTPS endpoint to receive events (docs/webhooks.md). The response "
                               "carries the signing secret, shown this once.")
    def create(self, request: Request) -> Response:
        data = validated(WebhookCreateInput, request.data)
        endpoint, secret = endpoint_create(user=request.user, **data)
        return envelope(status=201, webhook=WebhookOutput(endpoint).data, secret=secret)

    @extend_schema(responses={200: docs.WebhookResponse, **errors(401, 404, 429)}, tags=TAGS,
                   summary="Get a webhook", description="One of the user's webhooks (never its secret).")
    def retrieve(self, request: Request, webhook_id: str) -> Response:
        return envelope(webhook=WebhookOutput(endpoint_for_user(user=request.user, webhook_id=webhook_id)).data)

    @extend_schema(request=WebhookUpdateInput, responses={200: docs.WebhookResponse, **errors(400, 401, 404, 429)},
                   tags=TAGS, summary="Update a webhook",
                   description="Changes the URL, events or description, or re-enables a disabled webhook.")
    def partial_update(self, request: Request, webhook_id: str) -> Response:
        data = validated(WebhookUpdateInput, request.data)
        endpoint = endpoint_for_user(user=request.user, webhook_id=webhook_id)
        return envelope(webhook=WebhookOutput(endpoint_update(endpoint=endpoint, **data)).data)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Deleted, with its delivery log"),
                                            **errors(401, 404, 429)}, tags=TAGS,
                   summary="Delete a webhook", description="Deletes the webhook and its delivery log.")
    def destroy(self, request: Request, webhook_id: str) -> Response:
        endpoint_delete(endpoint=endpoint_for_user(user=request.user, webhook_id=webhook_id))
        return Response(status=204)

    @extend_schema(request=None, responses={200: docs.WebhookSecretResponse, **errors(401, 404, 429)}, tags=TAGS,
                   summary="Rotate a webhook's secret",
                   description="A new secret signs from now on; the previous one signs beside it for 24 hours.")
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, webhook_id: str) -> Response:
        endpoint, secret = endpoint_rotate_secret(endpoint=endpoint_for_user(user=request.user,
                                                                             webhook_id=webhook_id))
        return envelope(webhook=WebhookOutput(endpoint).data, secret=secret)

    @extend_schema(request=None, responses={202: docs.DeliveryResponse, **errors(401, 404, 409, 429)}, tags=TAGS,
                   summary="Send a test event",
                   description="Queue a `ping` event to this webhook; follow it in its deliveries.")
    @action(detail=True, methods=["post"])
    def test(self, request: Request, webhook_id: str) -> Response:
        delivery = endpoint_ping(endpoint=endpoint_for_user(user=request.user, webhook_id=webhook_id))
        deliveries = delivery_list_for_endpoint(endpoint=delivery.endpoint)
        return envelope(status=202, delivery=DeliveryOutput(deliveries.get(pk=delivery.pk)).data)

    @extend_schema(operation_id="webhooks_deliveries_list", parameters=[DeliveryListQuery],
                   responses={200: docs.DeliveryListResponse, **errors(400, 401, 404, 429)}, tags=TAGS,
                   summary="List a webhook's deliveries",
                   description="The webhook's deliveries, newest first, with every attempt; filter by `status`.")
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, webhook_id: str) -> Response:
        params = query_params(DeliveryListQuery, request)
        endpoint = endpoint_for_user(user=request.user, webhook_id=webhook_id)
        deliveries_catch_up()
        page = paginate(delivery_list_for_endpoint(endpoint=endpoint, status=params.get("status")),
                        limit=params["limit"], offset=params["offset"])
        return envelope(deliveries=DeliveryOutput(page.items, many=True).data, pagination=page.pagination)
