"""DRF authentication by API key; the key was already resolved by the routing middleware."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication

from tenants.services.api_keys import api_key_touch


class ApiKeyPrincipal:
    """The caller of an API request: a tenant's key, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False

    def __init__(self, api_key):
        self.api_key = api_key
        self.pk = None

    def __str__(self) -> str:
        return f"api-key:{self.api_key.prefix}"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; an unknown key never reaches a view (the middleware answers 401)."""

    keyword = "Bearer"

    def authenticate(self, request):
        api_key = getattr(request._request, "api_key", None)
        if api_key is None:
            return None
        api_key_touch(api_key=api_key, now=timezone.now())
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
