"""Staff pages of the people app under /admin/ on the platform host (included by `config/urls_public.py` before the
admin's own routes); the admin site's guard (an active staff user, or its sign-in page) wraps each of them."""

from django.contrib import admin
from django.urls import path

from tenants.people import admin_views

urlpatterns = [
    path("two-factor/", admin.site.admin_view(admin_views.staff_two_factor), name="staff_two_factor"),
]
