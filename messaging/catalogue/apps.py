from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "messaging.catalogue"
    label = "catalogue"
    verbose_name = "Sender catalogue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from messaging.catalogue.services import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self)
