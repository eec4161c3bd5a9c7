"""The API's routers: DRF's SimpleRouter with the contract's paths (no trailing slash, path converters), and one
for singleton resources such as `/users/me`, which have no list and no id (docs/api.md, "URLs")."""

from rest_framework.routers import DynamicRoute, Route, SimpleRouter

from .ids import register_id_converters


class ApiRouter(SimpleRouter):
    """Lookups use the id path converters (`lookup_value_converter = "session"`), so a malformed id is a 404 from
    the URL resolver and never reaches the database (docs/security.md)."""

    def __init__(self) -> None:
        register_id_converters()
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
