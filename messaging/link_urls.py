"""Short links' routes (`/l/`), on every host: the platform host's routes include them (config/urls_public.py)."""

from django.urls import re_path

from messaging.views import links

urlpatterns = [
    re_path(r"^(?P<code>[0-9A-Za-z]{1,40})$", links.link_on_domain, name="short_link"),
    re_path(
        r"^(?P<slug>[-a-z0-9]{1,31})/(?P<code>[0-9A-Za-z]{1,40})$", links.link_on_platform, name="short_link_platform"
    ),
]
