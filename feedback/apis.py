"""The feedback report endpoint."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloudinterview.api.errors import NotFound
from cloudinterview.api.responses import envelope
from cloudinterview.api.schema import errors
from cloudinterview.api.throttling import FeedbackThrottle

from .models import Feedback
from .presenters import feedback_detail


class FeedbackDetailApi(APIView):
    throttle_classes = [FeedbackThrottle]

    @extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The seed's feedback shape"),
                              **errors(401, 404, 429)}, tags=["feedback"])
    def get(self, request: Request, feedback_id: str) -> Response:
        feedback = (Feedback.objects.select_related("session")
                    .filter(public_id=feedback_id, session__user=request.user).first())
        if feedback is None:
            raise NotFound("No such feedback.")
        return envelope(feedback=feedback_detail(feedback))
