"""OpenAPI description of the API key authentication for drf-spectacular."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "sb_<prefix>_<secret>"}


class PlatformKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.api.platform.authentication.PlatformKeyAuthentication"
    name = "PlatformKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "sb_<prefix>_<secret> (a platform key)"}
