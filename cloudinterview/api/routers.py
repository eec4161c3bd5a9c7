"""The API's routers: DRF's SimpleRouter with the contract's paths (no trailing slash, path converters), and one
for singleton resources such as `/users/me`, which have no list and no id (docs/api.md, "URLs")."""

from rest_framework.routers import DynamicRoute, Route, SimpleRouter


class ApiRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__(trailing_slash=False, use_regex_path=False)


class SingletonRouter(ApiRouter):
    """`prefix` is the resource itself: GET, PUT, PATCH and DELETE on it, and its @action(detail=False) routes
    below it (`/users/me/sessions`)."""

    routes = [
        Route(url="{prefix}{trailing_slash}",
              mapping={"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"},
              name="{basename}", detail=False, initkwargs={"suffix": "Instance"}),
        DynamicRoute(url="{prefix}/{url_path}{trailing_slash}", name="{basename}-{url_name}", detail=False,
                     initkwargs={}),
    ]
