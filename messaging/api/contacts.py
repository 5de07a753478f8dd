"""Contacts on the API: list and filter them (cursor pages), create one, read, change or delete it by id, and export
them as CSV. Every contacts endpoint asks for the `contacts:write` scope, which also reads them."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import CursorPagination
from config.inputs import InputSerializer
from config.openapi import problem
from messaging import selectors
from messaging.domain.contact_csv import csv_lines
from messaging.models import Contact
from messaging.services.contacts.exports import contacts_export
from messaging.services.contacts.phones import number_time_zone
from messaging.services.contacts.records import contact_create, contact_delete, contact_update

ATTRIBUTES_SCHEMA = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]},
    "example": {"first_name": "Ann", "visits": 3, "member": True},
}


@extend_schema_field(ATTRIBUTES_SCHEMA)
class AttributesField(serializers.JSONField):
    """Keys (lowercase letters, digits, underscores) to text, numbers or true/false; the service checks them."""


class ContactSerializer(serializers.ModelSerializer):
    lists = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Ids of the lists it is on")
    attributes = AttributesField(read_only=True)
    local_time_zone = serializers.SerializerMethodField(
        help_text="`time_zone`, or when blank the zone of the number's area (null when the area has several)"
    )

    class Meta:
        model = Contact
        fields = [
            "id", "phone_number", "name", "country", "line_type", "time_zone", "local_time_zone", "status",
            "unsendable_reason", "unsendable_since", "attributes", "tags", "lists", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True, "example": "America/Los_Angeles"})
    def get_local_time_zone(self, contact: Contact) -> str | None:
        return contact.time_zone or number_time_zone(contact.phone_number) or None


class ContactWriteSerializer(InputSerializer):
    phone_number = serializers.CharField(max_length=32, help_text="E.164, or a number of the tenant's country")
    name = serializers.CharField(max_length=500, required=False, allow_blank=True)
    time_zone = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="IANA, e.g. Europe/Paris; blank: from the number"
    )
    attributes = AttributesField(required=False, help_text="Replaces the contact's attributes whole")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=200, help_text="Made lowercase slugs"
    )
    lists = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=500, help_text="Ids of lists"
    )
    status = serializers.ChoiceField(choices=Contact.Status.choices, required=False)
    unsendable_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        if "lists" in data:
            data["list_ids"] = data.pop("lists")
        return data


class ContactQuerySerializer(serializers.Serializer):
    list = serializers.IntegerField(required=False, min_value=1, help_text="On this list (its id)")
    tag = serializers.CharField(required=False, max_length=100, help_text="With this tag")
    status = serializers.ChoiceField(choices=Contact.Status.choices, required=False)
    q = serializers.CharField(
        required=False, max_length=100, help_text="Number (by its digits) or name holding this text"
    )

    def filters(self) -> dict:
        data = self.validated_data
        return {
            "list_id": data.get("list"),
            "tag": data.get("tag") or None,
            "status": data.get("status"),
            "search": data.get("q") or None,
        }


CONTACT_REFUSALS = {
    **problem(409, "Another contact has the number"),
    **problem(
        422,
        "A value only the server can judge: a number that is no phone number, a time zone that is not IANA, an "
        "attribute key, a tag without letters or digits, a list id that names no list, a reason without the status",
    ),
}


def _matching(request):
    # A plain dict, so that a blank value (`?tag=`) is refused like any other, not read as no filter.
    query = ContactQuerySerializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return selectors.contacts_matching(**query.filters()), query.validated_data


class ContactListView(generics.ListAPIView):
    """GET lists contacts, newest first, filtered; POST creates one."""

    required_scopes = ("contacts:write",)
    serializer_class = ContactSerializer
    pagination_class = CursorPagination

    def get_queryset(self):
        return _matching(self.request)[0]

    @extend_schema(parameters=[ContactQuerySerializer], operation_id="contacts_list", tags=["contacts"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ContactWriteSerializer,
        responses={201: ContactSerializer, **CONTACT_REFUSALS},
        operation_id="contacts_create",
        tags=["contacts"],
        description="The number is stored in E.164, read in the tenant's default country when it has no +. Refused "
        "naming the field: a number that is not one, a time zone that is not IANA, attribute keys or values that "
        "are not allowed, a list that does not exist; 409 when another contact has the number.",
    )
    def post(self, request):
        serializer = ContactWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = contact_create(**serializer.service_arguments())
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailView(APIView):
    """GET one contact; PATCH changes the fields given; DELETE deletes it (its messages stay in the log)."""

    required_scopes = ("contacts:write",)

    @extend_schema(responses=ContactSerializer, operation_id="contacts_read", tags=["contacts"])
    def get(self, request, contact_id: int):
        return Response(ContactSerializer(get_object_or_404(selectors.contacts_matching(), pk=contact_id)).data)

    @extend_schema(
        request=ContactWriteSerializer(partial=True),
        responses={200: ContactSerializer, **CONTACT_REFUSALS},
        operation_id="contacts_update",
        tags=["contacts"],
        description="Changes only the fields given; `attributes`, `tags` and `lists` are replaced whole. Setting "
        "`status` to unsendable needs an `unsendable_reason`; active clears it.",
    )
    def patch(self, request, contact_id: int):
        contact = get_object_or_404(selectors.contacts_matching(), pk=contact_id)
        serializer = ContactWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = contact_update(contact=contact, **serializer.service_arguments())
        return Response(ContactSerializer(selectors.contacts_matching().get(pk=contact.pk)).data)

    @extend_schema(responses={204: None}, operation_id="contacts_delete", tags=["contacts"])
    def delete(self, request, contact_id: int):
        contact = get_object_or_404(selectors.contacts_matching(), pk=contact_id)
        contact_delete(tenant=request.tenant, contact=contact, actor_label=str(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CsvRenderer(renderers.BaseRenderer):
    """Lets a client ask for text/csv; the CSV itself streams past the renderer, which only writes a refusal."""

    media_type = "text/csv"
    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return renderers.JSONRenderer().render(data)


# DRF's ?format= override exists for any view with several renderers; CSV answers are asked for with Accept.
NO_FORMAT_PARAMETER = OpenApiParameter("format", exclude=True)


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    """A CSV download streamed row by row, formula-safe (see `csv_lines`)."""
    response = StreamingHttpResponse(
        (line.encode() for line in csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ContactExportView(APIView):
    """GET streams the contacts (filtered as the list is) as a CSV file."""

    required_scopes = ("contacts:write",)
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @extend_schema(
        parameters=[ContactQuerySerializer, NO_FORMAT_PARAMETER],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per contact")},
        operation_id="contacts_export",
        tags=["contacts"],
        description="Columns: phone_number, name, time_zone, tags, lists, status, unsendable_reason, country, "
        "created_at, then one column per attribute key. Cells a spreadsheet would run as a formula (starting with "
        "= + - @, a tab or a carriage return) get a leading ' unless they are a plain number, so E.164 numbers "
        "stay as they are. The file imports back with the guessed mapping. The export is audited.",
    )
    def get(self, request):
        contacts, filters = _matching(request)
        rows = contacts_export(tenant=request.tenant, contacts=contacts, actor_label=str(request.user), filters=filters)
        return csv_response(rows, f"contacts-{timezone.localdate().isoformat()}.csv")
