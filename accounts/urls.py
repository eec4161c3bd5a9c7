from cloudinterview.api.routers import ApiRouter

from . import apis

router = ApiRouter()
router.register("auth", apis.AuthViewSet, basename="auth")

urlpatterns = router.urls
