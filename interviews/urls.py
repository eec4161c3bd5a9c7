from cloudinterview.api.routers import ApiRouter

from . import apis

router = ApiRouter()
router.register("api/languages", apis.LanguageViewSet, basename="language")
router.register("api/sessions", apis.SessionViewSet, basename="session")
router.register("api/sessions/<session:session_id>/answers", apis.AnswerViewSet, basename="session-answer")

urlpatterns = router.urls
