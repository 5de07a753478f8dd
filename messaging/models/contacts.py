"""Contacts: the tenant's end users, each reached at one phone number."""

from django.db import models
from django.db.models import Q


class Contact(models.Model):
    """An end user of the tenant, reached at one phone number (E.164)."""

    phone_number = models.CharField(max_length=16, unique=True, help_text="E.164, e.g. +14155550100")
    name = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, from the number")
    line_type = models.CharField(max_length=20, blank=True, help_text="From Lookup: mobile, landline, …")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(phone_number__regex=r"^\+[1-9][0-9]{6,14}$"), name="contact_e164"),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'Contact'} {self.phone_number}"
