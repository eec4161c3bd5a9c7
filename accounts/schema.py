"""Tells drf-spectacular how our token authentication appears in OpenAPI."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class LoginTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.LoginTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: object) -> dict:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
