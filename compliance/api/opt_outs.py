"""The opt-out register on the API: the opt-outs in force (searched by number), recording one, a number's history,
lifting an opt-out with the evidence of an opt-in, and the register as CSV (import and export).

Reading needs the `compliance:read` scope, writing `compliance:write`. The register is append-only: a lift is an
opt-in event kept beside the opt-outs it lifts.
"""

from __future__ import annotations

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import selectors
from compliance.api.common import NO_FORMAT_PARAMETER, READ, WRITE, CsvRenderer, actor_label
from compliance.domain.register_csv import EXPORT_COLUMNS, csv_lines
from compliance.errors import ComplianceValidationError
from compliance.models import OptOutEvent, Suppression
from compliance.services.numbers import e164
from compliance.services.register import TENANT_SCOPE, opt_in_record, opt_out_record
from compliance.services.register_files import import_size_check, opt_outs_export, opt_outs_import
from config.api import PaginatedListMixin
from config.inputs import InputSerializer
from config.openapi import problem

MULTIPART_FRAMING = 64 * 1024


class SuppressionSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="event.source", help_text="How the opt-out came: keyword, api, import, ...")
    keyword = serializers.CharField(source="event.keyword")
    event = serializers.IntegerField(source="event_id", help_text="The opt-out event that put it in force")

    class Meta:
        model = Suppression
        fields = ["number", "scope", "opted_out_at", "source", "keyword", "event"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = OptOutEvent
        fields = [
            "id", "number", "kind", "scopes", "source", "keyword", "message_sid", "body", "evidence", "actor_label",
            "occurred_at", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class RecordedSerializer(serializers.Serializer):
    event = EventSerializer()
    changed_scopes = serializers.ListField(
        child=serializers.CharField(), help_text="The scopes this event newly suppressed (opt-out) or lifted (opt-in)"
    )


class HistorySerializer(serializers.Serializer):
    number = serializers.CharField()
    opted_out = serializers.BooleanField(help_text="An opt-out is in force in some scope")
    scopes = serializers.ListField(child=serializers.CharField(), help_text="The scopes opted out of now")
    events = EventSerializer(many=True, help_text="Every opt-out and opt-in of the number, newest first")


SCOPE_HELP = "`tenant` (everything the tenant sends), `sender:<address>` or `pool:<id>`"


class OptOutQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="Part of the number, e.g. its last digits"
    )
    scope = serializers.CharField(required=False, allow_blank=True, max_length=48, help_text=SCOPE_HELP)


class OptOutCreateSerializer(InputSerializer):
    number = serializers.CharField(max_length=32, help_text="E.164, or a number of the tenant's country")
    scopes = serializers.ListField(
        child=serializers.CharField(max_length=48),
        required=False,
        min_length=1,
        max_length=20,
        help_text=f"Each {SCOPE_HELP}; default `tenant`",
    )
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="A note, e.g. why")
    occurred_at = serializers.DateTimeField(required=False, help_text="When the person opted out; default now")


class LiftSerializer(InputSerializer):
    evidence = serializers.CharField(
        max_length=2000, help_text="What shows the person opted back in: a START reply, a signed form, a call"
    )
    scopes = serializers.ListField(
        child=serializers.CharField(max_length=48),
        required=False,
        min_length=1,
        max_length=20,
        help_text="Lift only these scopes; default every scope opted out of",
    )


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="A CSV file in UTF-8 with a header row naming a `number` column"
    )


class RejectSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row in the file; the header is row 1")
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    file_name = serializers.CharField()
    rows = serializers.IntegerField(help_text="Data rows read")
    recorded = serializers.IntegerField(help_text="Opt-outs recorded, one per valid row")
    suppressed = serializers.IntegerField(help_text="Numbers and scopes newly opted out (others were already)")
    rejected = serializers.SerializerMethodField()
    rejects = RejectSerializer(many=True, help_text="Every rejected row, with its reason")

    def get_rejected(self, report) -> int:
        return len(report.rejects)


def _number(raw: str, tenant) -> str:
    """The number of a path, in E.164; 404 for text that is no number (nothing can be stored under it)."""
    try:
        return e164(raw, default_country=tenant.default_country)
    except ComplianceValidationError as exc:
        raise Http404 from exc


class OptOutListView(PaginatedListMixin, APIView):
    """GET lists the opt-outs in force (one per number and scope), newest first; POST records an opt-out."""

    required_scopes = WRITE
    scopes_by_method = {"GET": READ}

    @extend_schema(
        parameters=[OptOutQuerySerializer],
        responses=SuppressionSerializer(many=True),
        operation_id="opt_outs_list",
        tags=["opt-outs"],
    )
    def get(self, request):
        query = OptOutQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.suppressions(
            search=query.validated_data.get("q", ""), scope=query.validated_data.get("scope", "")
        )
        return self.paginated(request, found, SuppressionSerializer)

    @extend_schema(
        request=OptOutCreateSerializer,
        responses={201: RecordedSerializer, **problem(422, "A number, scope or time the register cannot take")},
        operation_id="opt_outs_create",
        tags=["opt-outs"],
        description="Records an opt-out event (source `api`) and suppresses the number in each scope; a number "
        "already opted out keeps its first opt-out in force and the event is kept all the same (`changed_scopes` "
        "empty). An opt-out of `tenant` also revokes the number's consents. 422 naming the field: a number that "
        "is not one, a scope that is not one, a time in the future.",
    )
    def post(self, request):
        serializer = OptOutCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("occurred_at") and data["occurred_at"] > timezone.now():
            raise ComplianceValidationError("occurred_at is in the future", field="occurred_at")
        change = opt_out_record(
            tenant=request.tenant,
            number=data["number"],
            scopes=data.get("scopes", (TENANT_SCOPE,)),
            source=OptOutEvent.Source.API,
            actor_label=actor_label(request),
            evidence=data.get("evidence", ""),
            occurred_at=data.get("occurred_at"),
        )
        body = {"event": change.event, "changed_scopes": list(change.scopes)}
        return Response(RecordedSerializer(body).data, status=status.HTTP_201_CREATED)


class OptOutHistoryView(APIView):
    """GET a number's register: whether it is opted out now, and every opt-out and opt-in, newest first."""

    required_scopes = READ

    @extend_schema(
        responses=HistorySerializer,
        operation_id="opt_outs_history",
        tags=["opt-outs"],
        description="404 when the register holds nothing for the number.",
    )
    def get(self, request, number: str):
        number = _number(number, request.tenant)
        history = list(selectors.register_events(number=number))
        if not history:
            raise Http404
        scopes = sorted(Suppression.objects.filter(number=number).values_list("scope", flat=True))
        body = {"number": number, "opted_out": bool(scopes), "scopes": scopes, "events": history}
        return Response(HistorySerializer(body).data)


class OptOutLiftView(APIView):
    """POST lifts a number's opt-outs with the evidence that it opted back in (an opt-in event; both are kept)."""

    required_scopes = WRITE

    @extend_schema(
        request=LiftSerializer,
        responses={
            200: RecordedSerializer,
            **problem(409, "The number is not opted out of those scopes"),
            **problem(422, "Blank evidence, or a scope that is not one"),
        },
        operation_id="opt_outs_lift",
        tags=["opt-outs"],
        description="Writes an opt-in event (source `api`) and lifts the opt-outs in force in `scopes` (all of "
        "them when omitted); the opt-outs stay in the register. 404 when the register holds nothing for the number; "
        "409 `not_opted_out` when it is not opted out of those scopes; 422 for blank evidence or a scope that is "
        "not one.",
    )
    def post(self, request, number: str):
        number = _number(number, request.tenant)
        if not OptOutEvent.objects.filter(number=number).exists():
            raise Http404
        serializer = LiftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = opt_in_record(
            tenant=request.tenant,
            number=number,
            source=OptOutEvent.Source.API,
            actor_label=actor_label(request),
            evidence=serializer.validated_data["evidence"],
            scopes=serializer.validated_data.get("scopes"),
        )
        return Response(RecordedSerializer({"event": change.event, "changed_scopes": list(change.scopes)}).data)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class OptOutImportView(APIView):
    """POST a CSV file of opt-outs: each valid row is recorded, each other row reported with its number and reason."""

    required_scopes = WRITE
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={200: ImportReportSerializer, **problem(422, "The file is not CSV text with a number column")},
        operation_id="opt_outs_import",
        tags=["opt-outs"],
        description="The header row names the number column (`number`, `phone`, `phone_number`, `mobile` or `to`) "
        "and may name `scope`, `opted_out_at` (ISO 8601; default now) and `evidence`; other columns are ignored, "
        "so an export imports back. Each valid row is an opt-out event with source `import`. A row that is not "
        "one (blank or invalid number, unknown scope, a date that is not one or in the future) is rejected with "
        "its row number (the header is row 1) and reason, and the other rows are kept. The whole file is refused, "
        "with nothing stored: 413 when larger than the limit (10 MB by default), 422 naming `file` when it is not "
        "CSV text in UTF-8, has no header row, no number column or no data rows.",
    )
    def post(self, request):
        import_size_check(max(0, _content_length(request) - MULTIPART_FRAMING))
        if "file" not in request.data:
            raise serializers.ValidationError({"file": ["This field is required."]})
        upload = request.FILES.get("file")
        if upload is None:  # a form field of text where a file belongs
            raise ComplianceValidationError("send the CSV file as a file part of multipart/form-data", field="file")
        report = opt_outs_import(tenant=request.tenant, upload=upload, actor_label=actor_label(request))
        return Response(ImportReportSerializer(report).data)


class OptOutExportView(APIView):
    """GET streams the opt-outs in force (filtered as the list is) as a CSV file."""

    required_scopes = READ
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @extend_schema(
        parameters=[OptOutQuerySerializer, NO_FORMAT_PARAMETER],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per number and scope"),
            **problem(400, "A query parameter is too long: `errors` names it"),
        },
        operation_id="opt_outs_export",
        tags=["opt-outs"],
        description=f"Columns: {', '.join(EXPORT_COLUMNS)}. Cells a spreadsheet would run as a formula (starting "
        "with = + - @, a tab or a carriage return) get a leading ' unless they are a plain number, so E.164 numbers "
        "stay as they are. The file imports back. The export is audited.",
    )
    def get(self, request):
        query = OptOutQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = opt_outs_export(
            tenant=request.tenant,
            search=query.validated_data.get("q", ""),
            scope=query.validated_data.get("scope", ""),
            actor_label=actor_label(request),
        )
        response = StreamingHttpResponse(
            (line.encode() for line in csv_lines(rows)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="opt-outs-{timezone.localdate().isoformat()}.csv"'
        return response
