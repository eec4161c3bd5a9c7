from cloudinterview.api.routers import ApiRouter

from . import apis

router = ApiRouter()
router.register("api/webhooks", apis.WebhookViewSet, basename="webhook")

urlpatterns = router.urls
