"""Contacts: the tenant's end users, each reached at one phone number; their lists, and the CSV imports that fill them.

Tags are an array of lowercase slugs on the contact, with a GIN index, rather than a Tag model. A tag holds nothing
but its name, so a join table would add a row per contact and tag (millions after a few imports) and two more
inserts per imported row, while `tags @> ARRAY['vip']` on the array is answered by the index, an import merges tags
in the same INSERT … ON CONFLICT that writes the contact, and a contact reads back whole in one row. Lists are
different: they have a name and a description of their own and are managed as things, so they are a model.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class ContactList(models.Model):
    """A named list of contacts (a campaign audience, a segment kept by hand or by imports)."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="contact_list_name_unique")]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """An end user of the tenant, reached at one phone number (E.164)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        UNSENDABLE = "unsendable", "Unsendable"

    phone_number = models.CharField(max_length=16, unique=True, help_text="E.164, e.g. +14155550100")
    name = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, from the number")
    line_type = models.CharField(max_length=20, blank=True, help_text="From Lookup: mobile, landline, …")
    attributes = models.JSONField(default=dict, blank=True, help_text="Keys to text, numbers or true/false")
    time_zone = models.CharField(max_length=64, blank=True, help_text="IANA, e.g. Europe/Paris; blank: from the number")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    unsendable_reason = models.CharField(max_length=200, blank=True)
    unsendable_since = models.DateTimeField(null=True, blank=True)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True, help_text="Lowercase slugs")
    lists = models.ManyToManyField(ContactList, through="ContactListMembership", related_name="contacts", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [GinIndex(fields=["tags"], name="contact_tags_gin")]
        constraints = [
            models.CheckConstraint(condition=Q(phone_number__regex=r"^\+[1-9][0-9]{6,14}$"), name="contact_e164"),
            models.CheckConstraint(
                condition=Q(status="active", unsendable_reason="", unsendable_since__isnull=True)
                | (Q(status="unsendable", unsendable_since__isnull=False) & ~Q(unsendable_reason="")),
                name="contact_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'Contact'} {self.phone_number}"


class ContactListMembership(models.Model):
    """A contact on a list, since when."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="memberships")
    contact_list = models.ForeignKey(ContactList, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact_list", "contact"], name="contact_list_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} on {self.contact_list_id}"


class ImportJob(models.Model):
    """A CSV upload of contacts and its import, run in batches by a task that records how far it committed.

    `committed_offset` is the byte just after the last row whose batch committed and `committed_row` that row's
    number, so a task that dies resumes there: no row imported twice, none skipped.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Waiting for the column mapping"
        PENDING = "pending", "Queued"
        RUNNING = "running", "Importing"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    file = models.FileField(max_length=255, help_text="The upload, in the default storage")
    file_name = models.CharField(max_length=255, help_text="The name the file had on the uploader's machine")
    size_bytes = models.BigIntegerField()
    delimiter = models.CharField(max_length=1, default=",")
    header = models.JSONField(default=list, help_text="The header row's column names")
    preview = models.JSONField(default=list, help_text="The first rows, cut short, for the mapping page")
    mapping = models.JSONField(default=dict, help_text="Column name → phone, name, time_zone, tags, attribute:<key>, …")
    contact_list = models.ForeignKey(
        ContactList, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True, help_text="Added to every contact")
    default_country = models.CharField(max_length=2, help_text="Region of numbers written without +country code")
    data_offset = models.BigIntegerField(help_text="Byte where the first data row starts")
    committed_offset = models.BigIntegerField(help_text="Byte just after the last committed row")
    committed_row = models.PositiveIntegerField(default=1, help_text="Number of the last committed row (header: 1)")
    total_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0, help_text="Rows that made a new contact")
    updated = models.PositiveIntegerField(default=0, help_text="Rows merged into a contact that existed")
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "pending", "running", "completed", "failed", "canceled"]),
                name="import_job_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(committed_offset__gte=models.F("data_offset"))
                & Q(committed_offset__lte=models.F("size_bytes")),
                name="import_job_offset_in_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.file_name}"


class ImportRejection(models.Model):
    """A row an import left out: its number in the file, its cells as read, and why (naming the column)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=255, blank=True, help_text="The column at fault; blank for the whole row")
    reason = models.CharField(max_length=300)
    values = models.JSONField(default=list, help_text="The row's cells as read")

    class Meta:
        ordering = ["job", "row_number"]
        constraints = [models.UniqueConstraint(fields=["job", "row_number"], name="import_rejection_row_unique")]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"
