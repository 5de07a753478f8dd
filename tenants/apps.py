from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants and people"

    def ready(self) -> None:
        from tenants import request_cache
        from tenants.api import schema  # noqa: F401  (registers the OpenAPI security scheme)

        request_cache.connect_signals()
