from cloudinterview.api.routers import ApiRouter

from . import apis

router = ApiRouter()
router.register("api/questions", apis.QuestionViewSet, basename="question")

urlpatterns = router.urls
