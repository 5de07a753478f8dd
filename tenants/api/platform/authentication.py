"""Platform keys: the ISV's own automation authenticates with `Authorization: Bearer <platform key>`."""

from django.utils import timezone
from rest_framework import authentication, permissions
from rest_framework.exceptions import AuthenticationFailed

from tenants import selectors
from tenants.middleware import bearer_token
from tenants.models import PlatformApiKey
from tenants.services.api_keys import platform_key_touch


class PlatformKeyPrincipal:
    is_authenticated = True
    is_anonymous = False
    is_staff = False
    pk = None

    def __init__(self, platform_key: PlatformApiKey):
        self.platform_key = platform_key


class PlatformKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        presented = bearer_token(request._request)
        if presented is None:
            return None
        platform_key = selectors.platform_key_resolve(presented)
        if platform_key is None:
            raise AuthenticationFailed("The platform key is unknown or revoked.")
        platform_key_touch(platform_key=platform_key, now=timezone.now())
        return PlatformKeyPrincipal(platform_key), platform_key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="platform"'


class IsPlatformKey(permissions.BasePermission):
    """Allow the ISV's own automation only: a request authenticated with a platform key (never refused with 403:
    without one, authentication already answered 401)."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, PlatformApiKey)

    def describe_access(self, view, method: str) -> str:
        return "a platform key (`manage.py create_platform_key`)."

    def refusal(self, view, method: str) -> str:
        return ""
