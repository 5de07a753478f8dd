from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "messaging.insights"
    label = "insights"
    verbose_name = "Insights and incidents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from messaging.insights.services import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self)
