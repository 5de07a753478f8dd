from django.apps import AppConfig


class RulebookConfig(AppConfig):
    """Public-schema sub-app: the sending hours and caps of countries and states, kept by ISV staff."""

    name = "compliance.rulebook"
    label = "rulebook"
    verbose_name = "Sending hours by country"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from compliance.rulebook.services import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self)
