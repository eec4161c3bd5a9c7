from cloudinterview.api.routers import ApiRouter, SingletonRouter

from . import apis

router = ApiRouter()
router.register("api/feedback", apis.FeedbackViewSet, basename="feedback")
router.register("api/sessions", apis.SessionReportViewSet, basename="session")

me = SingletonRouter()
me.register("api/users/me", apis.MeViewSet, basename="users-me")

urlpatterns = [*router.urls, *me.urls]
