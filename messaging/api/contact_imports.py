"""Contact CSV imports on the API: upload a file with its column mapping (202, the import runs in the background),
follow the import's progress, cancel it, and download its rejected rows as CSV. Scope `contacts:write`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, parsers, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import CursorPagination
from config.openapi import problem
from messaging import selectors
from messaging.api.contacts import NO_FORMAT_PARAMETER, CsvRenderer, csv_response
from messaging.domain.contact_csv import HEAD_BYTES
from messaging.errors import UnprocessableInput
from messaging.models import ImportJob
from messaging.services.contacts.exports import import_rejects_rows
from messaging.services.contacts.imports import import_cancel, import_create, import_size_check

MAPPING_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "example": {"Mobile": "phone", "Full name": "name", "Plan": "attribute:plan", "Notes": "ignore"},
}


@extend_schema_field(MAPPING_SCHEMA)
class MappingField(serializers.JSONField):
    """Column name → phone, name, time_zone, tags, attribute:<key> or ignore (in a multipart form: JSON text)."""


class ImportJobSerializer(serializers.ModelSerializer):
    mapping = MappingField(read_only=True)
    header = serializers.ListField(child=serializers.CharField(), read_only=True)
    list = serializers.IntegerField(source="contact_list_id", read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField(help_text="Percent of the file read (by bytes)")
    rejects_url = serializers.SerializerMethodField(help_text="The rejected rows as CSV")

    class Meta:
        model = ImportJob
        fields = [
            "id", "status", "file_name", "size_bytes", "header", "mapping", "list", "tags", "default_country",
            "progress", "total_rows", "imported", "updated", "rejected", "error", "rejects_url", "created_by",
            "created_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_progress(self, job: ImportJob) -> int:
        return selectors.import_progress(job)

    def get_rejects_url(self, job: ImportJob) -> str:
        return reverse("api:contact_import_rejects", kwargs={"import_id": job.pk})


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV file in UTF-8 (a byte-order mark is fine) with a header row")
    mapping = MappingField(required=False, help_text="Omitted: guessed from the header")
    list = serializers.IntegerField(required=False, min_value=1, help_text="Add every imported contact to this list")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=50,
        help_text="Added to every contact (repeat the field for several)",
    )


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads such a body as empty too


class ImportListView(generics.ListAPIView):
    """GET lists the imports, newest first (cursor pages); POST uploads a CSV file and starts its import."""

    required_scopes = ("contacts:write",)
    serializer_class = ImportJobSerializer
    pagination_class = CursorPagination
    parser_classes = [parsers.MultiPartParser]

    def get_queryset(self):
        return selectors.import_jobs()

    @extend_schema(operation_id="contacts_imports_list", tags=["contacts"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": ImportCreateSerializer},
        responses={
            202: ImportJobSerializer,
            **problem(422, "The file is not CSV, a column mapping names what the file lacks, or the list id none"),
        },
        operation_id="contacts_imports_create",
        tags=["contacts"],
        description="Answers 202 with the import `pending`; read it to follow `progress` and the counts. Refused "
        "before anything is stored, naming the field: a file larger than the limit (413), one that is not CSV "
        "(binary, not UTF-8, no header row), a mapping with no phone column or naming a column not in the header, "
        "an unknown list. Each row is merged into the contact of its number (a blank cell keeps what the contact "
        "has); a row that cannot be imported is rejected with its row number (the header is row 1) and a reason "
        "naming the column, and the other rows are imported.",
    )
    def post(self, request):
        # Refuse an oversized upload from its length, before the body is read; the file's own size is checked again.
        import_size_check(max(0, _content_length(request) - HEAD_BYTES))
        serializer = ImportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contact_list = None
        if "list" in data:
            contact_list = selectors.contact_lists().filter(pk=data["list"]).first()
            if contact_list is None:
                raise UnprocessableInput(f"no list with id {data['list']}", field="list")
        job = import_create(
            tenant=request.tenant,
            upload=data["file"],
            mapping=data.get("mapping"),
            contact_list=contact_list,
            tags=data.get("tags", ()),
            actor_label=str(request.user),
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailView(APIView):
    """GET one import with its progress and counts."""

    required_scopes = ("contacts:write",)

    @extend_schema(responses=ImportJobSerializer, operation_id="contacts_imports_read", tags=["contacts"])
    def get(self, request, import_id: int):
        return Response(ImportJobSerializer(get_object_or_404(selectors.import_jobs(), pk=import_id)).data)


class ImportCancelView(APIView):
    """POST stops an import that has not ended; rows it committed stay. 409 once it has ended."""

    required_scopes = ("contacts:write",)

    @extend_schema(
        request=None, responses=ImportJobSerializer, operation_id="contacts_imports_cancel", tags=["contacts"]
    )
    def post(self, request, import_id: int):
        job = get_object_or_404(selectors.import_jobs(), pk=import_id)
        job = import_cancel(tenant=request.tenant, job=job, actor_label=str(request.user))
        return Response(ImportJobSerializer(job).data)


class ImportRejectsView(APIView):
    """GET streams an import's rejected rows as CSV: the file's columns, then rejected_row, rejected_column and
    rejected_reason (fix the rows and upload the file again; those columns are ignored)."""

    required_scopes = ("contacts:write",)
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @extend_schema(
        parameters=[NO_FORMAT_PARAMETER],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per rejected row")},
        operation_id="contacts_imports_rejects",
        tags=["contacts"],
    )
    def get(self, request, import_id: int):
        job = get_object_or_404(selectors.import_jobs(), pk=import_id)
        return csv_response(import_rejects_rows(job), f"import-{job.pk}-rejected-rows.csv")
