"""The tenant's compliance set-up on the API: settings (sending window, countries, revocation handling, exemptions),
keywords, keyword replies, the revocation review queue and the rule book. Reading needs `compliance:read`, changing
`compliance:write`."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import selectors
from compliance.api.common import READ, WRITE, ClockField, actor_label
from compliance.domain import keywords as kw
from compliance.domain.rules import rule_book
from compliance.models import ComplianceSettings, Keyword, ReplyText, RevocationReview
from compliance.models.keywords import KeywordKind
from compliance.services import keywords as keyword_services
from compliance.services.reviews import review_decide
from compliance.services.settings import SENDER_KINDS, settings_get, settings_update
from config.api import PaginatedListMixin
from config.inputs import InputSerializer
from config.openapi import problem

KINDS = [k.value for k in kw.KeywordKind]
KIND_CHOICES = KeywordKind.choices


def results_of(serializer_class, name: str):
    """The schema of a short list that is not paged: `{"results": [...]}`, as a paged list has."""
    return type(name, (serializers.Serializer,), {"results": serializer_class(many=True)})


# --- settings ---------------------------------------------------------------------------------------------------


class SettingsSerializer(serializers.ModelSerializer):
    window_start = ClockField()
    window_end = ClockField()

    class Meta:
        model = ComplianceSettings
        fields = [
            "quiet_hours_enabled", "window_start", "window_end", "exempt_categories", "enabled_countries",
            "opt_out_scope", "revocation_action", "max_segments", "provider_reply_kinds", "removed_keywords",
            "lookup_on_import", "lookup_nightly", "updated_at", "updated_by",
        ]  # fmt: skip
        read_only_fields = fields


class SettingsUpdateSerializer(InputSerializer):
    quiet_hours_enabled = serializers.BooleanField(required=False)
    window_start = ClockField(required=False, help_text="Recipient's local time, HH:MM, e.g. 08:00")
    window_end = ClockField(required=False, help_text="Recipient's local time, HH:MM, e.g. 21:00")
    exempt_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=["transactional", "passcode"]),
        required=False,
        max_length=2,
        help_text="Categories that may leave outside the window",
    )
    enabled_countries = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z]{2}$", max_length=2, trim_whitespace=False),
        required=False,
        max_length=250,
        help_text="ISO 3166 codes of the countries the tenant sends to",
    )
    opt_out_scope = serializers.ChoiceField(choices=ComplianceSettings.Scope.choices, required=False)
    revocation_action = serializers.ChoiceField(choices=ComplianceSettings.RevocationAction.choices, required=False)
    max_segments = serializers.IntegerField(required=False, min_value=1, max_value=100)
    provider_reply_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=SENDER_KINDS), required=False, max_length=len(SENDER_KINDS)
    )
    removed_keywords = serializers.ListField(child=serializers.CharField(max_length=20), required=False, max_length=50)
    lookup_on_import = serializers.BooleanField(required=False)
    lookup_nightly = serializers.BooleanField(required=False)


class SettingsView(APIView):
    """GET the tenant's compliance settings; PATCH changes the fields given (audited with old and new values)."""

    required_scopes = WRITE
    scopes_by_method = {"GET": READ}

    @extend_schema(responses=SettingsSerializer, operation_id="compliance_settings_read", tags=["compliance"])
    def get(self, request):
        return Response(SettingsSerializer(settings_get(tenant=request.tenant)).data)

    @extend_schema(
        request=SettingsUpdateSerializer,
        responses={200: SettingsSerializer, **problem(422, "A value the settings cannot take")},
        operation_id="compliance_settings_update",
        tags=["compliance"],
        description="Changes only the fields given. 422 naming the field: a window that starts when it ends, no "
        "country enabled, a removed keyword that is not an optional default (STOP, START and HELP stay).",
    )
    def patch(self, request):
        serializer = SettingsUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = settings_update(tenant=request.tenant, actor_label=actor_label(request), **serializer.validated_data)
        return Response(SettingsSerializer(changed).data)


# --- keywords ---------------------------------------------------------------------------------------------------


class KeywordSerializer(serializers.Serializer):
    word = serializers.CharField()
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    language = serializers.CharField()
    default = serializers.BooleanField(help_text="One of Twilio's default keywords")
    removed = serializers.BooleanField(help_text="A default the tenant removed: it is not answered")


class KeywordCreateSerializer(InputSerializer):
    word = serializers.CharField(max_length=40, help_text="One word, e.g. ALTO; stored in upper case")
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    language = serializers.CharField(max_length=8, default="en", help_text="BCP 47, e.g. es, fr-CA")


def keyword_rows() -> list[dict]:
    """Twilio's defaults (marked when removed), then the tenant's own keywords."""
    removed = set(settings_get().removed_keywords)
    rows = [
        {"word": k.word, "kind": k.kind.value, "language": k.language, "default": True, "removed": k.word in removed}
        for k in kw.default_keywords()
    ]
    rows += [
        {"word": k.word, "kind": k.kind, "language": k.language, "default": False, "removed": False}
        for k in Keyword.objects.all()
    ]
    return rows


class KeywordListView(APIView):
    """GET lists the keywords: Twilio's defaults and the tenant's own; POST adds one."""

    required_scopes = WRITE
    scopes_by_method = {"GET": READ}

    @extend_schema(
        responses=results_of(KeywordSerializer, "KeywordList"),
        operation_id="compliance_keywords_list",
        tags=["compliance"],
    )
    def get(self, request):
        return Response({"results": KeywordSerializer(keyword_rows(), many=True).data})

    @extend_schema(
        request=KeywordCreateSerializer,
        responses={201: KeywordSerializer, **problem(422, "A word that cannot be added")},
        operation_id="compliance_keywords_create",
        tags=["compliance"],
        description="422 naming the field: a word that is not one word of letters and digits, one that is a "
        "keyword already (default or added), a language that is not a tag such as es or fr-CA.",
    )
    def post(self, request):
        serializer = KeywordCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        keyword = keyword_services.keyword_add(
            tenant=request.tenant, actor_label=actor_label(request), **serializer.validated_data
        )
        row = {"word": keyword.word, "kind": keyword.kind, "language": keyword.language, "default": False}
        return Response(KeywordSerializer({**row, "removed": False}).data, status=status.HTTP_201_CREATED)


def _known_keyword(word: str) -> str:
    cleaned = word.strip().upper()
    if not any(row["word"] == cleaned for row in keyword_rows()):
        raise Http404
    return cleaned


class KeywordDetailView(APIView):
    """DELETE removes a keyword: the tenant's own, or an optional default (never STOP, START or HELP)."""

    required_scopes = WRITE

    @extend_schema(
        responses={204: None, **problem(422, "A keyword that cannot be removed")},
        operation_id="compliance_keywords_delete",
        tags=["compliance"],
        description="404 for a word that is no keyword; 422 for STOP, START and HELP (Twilio requires them) and "
        "for a default removed already.",
    )
    def delete(self, request, word: str):
        keyword_services.keyword_remove(
            tenant=request.tenant, word=_known_keyword(word), actor_label=actor_label(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class KeywordRestoreView(APIView):
    """POST brings back a default keyword the tenant removed."""

    required_scopes = WRITE

    @extend_schema(
        request=None,
        responses={204: None, **problem(422, "Not a removed default keyword")},
        operation_id="compliance_keywords_restore",
        tags=["compliance"],
        description="404 for a word that is no keyword; 422 for one that is not a removed default.",
    )
    def post(self, request, word: str):
        keyword_services.keyword_restore(
            tenant=request.tenant, word=_known_keyword(word), actor_label=actor_label(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- replies ----------------------------------------------------------------------------------------------------


class ReplySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    language = serializers.CharField()
    text = serializers.CharField()
    custom = serializers.BooleanField(help_text="The tenant's own text; false: the platform's default")


class ReplyWriteSerializer(InputSerializer):
    text = serializers.CharField(max_length=1000, allow_blank=True, help_text="Blank: back to the default")


def reply_rows(tenant) -> list[dict]:
    """The tenant's reply texts, and the default English one for each kind it has not set in English."""
    rows = [{"kind": r.kind, "language": r.language, "text": r.text, "custom": True} for r in ReplyText.objects.all()]
    english = {r["kind"] for r in rows if r["language"] == kw.DEFAULT_LANGUAGE}
    for kind in kw.KeywordKind:
        if kind.value not in english:
            text = keyword_services.DEFAULT_REPLIES[kind].format(name=tenant.name)
            rows.append({"kind": kind.value, "language": kw.DEFAULT_LANGUAGE, "text": text, "custom": False})
    return sorted(rows, key=lambda r: (KINDS.index(r["kind"]), r["language"]))


class ReplyListView(APIView):
    """GET lists the replies to each kind of keyword, per language."""

    required_scopes = READ

    @extend_schema(
        responses=results_of(ReplySerializer, "ReplyList"), operation_id="compliance_replies_list", tags=["compliance"]
    )
    def get(self, request):
        return Response({"results": ReplySerializer(reply_rows(request.tenant), many=True).data})


class ReplyDetailView(APIView):
    """PUT sets the reply to a kind of keyword in a language; DELETE goes back to the default."""

    required_scopes = WRITE

    def _kind(self, kind: str) -> str:
        if kind not in KINDS:
            raise Http404
        return kind

    @extend_schema(
        request=ReplyWriteSerializer,
        responses={200: ReplySerializer, **problem(422, "A language or text the reply cannot take")},
        operation_id="compliance_replies_set",
        tags=["compliance"],
        description="`kind` is opt_out, opt_in or help (404 otherwise). 422 naming the field: a language that is "
        "not a tag such as es or fr-CA, a text over 320 characters.",
    )
    def put(self, request, kind: str, language: str):
        kind = self._kind(kind)
        serializer = ReplyWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data["text"]
        keyword_services.reply_text_set(
            tenant=request.tenant, kind=kind, language=language, text=text, actor_label=actor_label(request)
        )
        row = next(r for r in reply_rows(request.tenant) if r["kind"] == kind and r["language"] in (language, "en"))
        saved = ReplyText.objects.filter(kind=kind, language__iexact=language).first()
        if saved is not None:
            row = {"kind": kind, "language": saved.language, "text": saved.text, "custom": True}
        return Response(ReplySerializer(row).data)

    @extend_schema(
        responses={204: None, **problem(422, "A language that is not a tag")},
        operation_id="compliance_replies_reset",
        tags=["compliance"],
    )
    def delete(self, request, kind: str, language: str):
        kind = self._kind(kind)
        keyword_services.reply_text_set(
            tenant=request.tenant, kind=kind, language=language, text="", actor_label=actor_label(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- revocation reviews -----------------------------------------------------------------------------------------


class ReviewSerializer(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.CharField())
    opt_out_event = serializers.IntegerField(source="opt_out_event_id", allow_null=True)

    class Meta:
        model = RevocationReview
        fields = [
            "id", "number", "body", "message_sid", "scopes", "received_at", "due_at", "suppressed_at_once",
            "opt_out_event", "status", "decided_at", "decided_by", "note",
        ]  # fmt: skip
        read_only_fields = fields


class ReviewQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RevocationReview.Status.choices, required=False, allow_blank=True)


class ReviewDecisionSerializer(InputSerializer):
    revoked = serializers.BooleanField(help_text="true: the reply asked to stop (the number is opted out)")
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Why; needed when not revoked"
    )


class ReviewListView(PaginatedListMixin, APIView):
    """GET lists the replies read as a request to stop, waiting for a person first, by due date."""

    required_scopes = READ

    @extend_schema(
        parameters=[ReviewQuerySerializer],
        responses=ReviewSerializer(many=True),
        operation_id="compliance_reviews_list",
        tags=["compliance"],
    )
    def get(self, request):
        query = ReviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.paginated(
            request, selectors.reviews(status=query.validated_data.get("status", "")), ReviewSerializer
        )


class ReviewDecideView(APIView):
    """POST decides a review: a revocation opts the number out; not one lifts a suppression made at once."""

    required_scopes = WRITE

    @extend_schema(
        request=ReviewDecisionSerializer,
        responses={
            200: ReviewSerializer,
            **problem(409, "The review was decided already"),
            **problem(422, "A dismissal without a note"),
        },
        operation_id="compliance_reviews_decide",
        tags=["compliance"],
        description="404 for an unknown review; 409 `review_decided` when it was decided already; 422 naming "
        "`note` when a reply is dismissed without saying why.",
    )
    def post(self, request, review_id: int):
        review = get_object_or_404(RevocationReview, pk=review_id)
        serializer = ReviewDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = review_decide(
            tenant=request.tenant,
            review=review,
            revoked=serializer.validated_data["revoked"],
            note=serializer.validated_data["note"],
            source="api",
            actor_label=actor_label(request),
        )
        return Response(ReviewSerializer(decided).data)


# --- the rule book ----------------------------------------------------------------------------------------------


class RuleSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The rule's id, named by every finding")
    severity = serializers.ChoiceField(choices=["block", "defer", "warn"])
    title = serializers.CharField()
    source = serializers.CharField(help_text="What the rule rests on: the law, Twilio's documentation")


class RuleListView(APIView):
    """GET lists the pre-send rules every message passes: id, severity, title and source."""

    required_scopes = READ

    @extend_schema(
        responses=results_of(RuleSerializer, "RuleList"), operation_id="compliance_rules_list", tags=["compliance"]
    )
    def get(self, request):
        return Response({"results": RuleSerializer(rule_book(), many=True).data})
