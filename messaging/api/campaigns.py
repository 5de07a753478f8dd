"""Campaigns on the API: drafts created, read, changed and deleted; their audience previewed; the preflight run; the
launch, pause, resume and cancel actions; live progress. Every endpoint asks for the `campaigns:write` scope."""

from __future__ import annotations

from datetime import time

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.domain.rules import SENDABLE_CATEGORIES
from config.api import CursorPagination
from config.inputs import InputSerializer, bounded_int, object_id, one_of
from config.openapi import problem
from messaging import selectors
from messaging.gateways.base import MAX_MEDIA_URLS, MAX_VALIDITY_PERIOD_SECONDS
from messaging.models import Campaign
from messaging.services.campaigns.audience import MAX_FILTERS, MAX_LISTS, OPERATORS
from messaging.services.campaigns.content import audience_preview
from messaging.services.campaigns.drafts import MAX_VARIANTS, campaign_create, campaign_delete, campaign_update
from messaging.services.campaigns.lifecycle import campaign_cancel, campaign_launch, campaign_pause, campaign_resume
from messaging.services.campaigns.preflight import campaign_preflight

TAGS = ["campaigns"]
SENDABLE = [c.value for c in SENDABLE_CATEGORIES]
LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
NOT_DRAFT = problem(409, "The campaign has been launched: only a draft can be changed (`campaign_not_editable`)")
RULE = problem(
    422,
    "A value a rule refuses: an unknown sender, pool or list, a body template that does not parse, a media URL that "
    "is not https, variants that do not sum to 100, a schedule without its time, …",
)
MOVE = problem(409, "The campaign's state does not allow this move (`campaign_transition_refused`)")


# --- input --------------------------------------------------------------------------------------------------------


class VariantInputSerializer(InputSerializer):
    body = serializers.CharField(max_length=1600, trim_whitespace=False, help_text="A body template")
    percent = bounded_int(1, 99, help_text="Share of the audience; the variants sum to 100")


class AttributeFilterSerializer(InputSerializer):
    key = serializers.CharField(max_length=64, help_text="An attribute name")  # blank: refused by the rule (422)
    op = one_of(OPERATORS, required=False, default="eq", help_text="eq, ne (text compare), exists, missing")
    value = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CampaignWriteSerializer(InputSerializer):
    name = serializers.CharField(max_length=120, help_text="Required when creating")
    category = one_of(SENDABLE, required=False, help_text="The use case")
    body = serializers.CharField(
        max_length=1600, required=False, allow_blank=True, trim_whitespace=False,
        help_text='The body template: {{ first_name }}, {{ name }}, {{ attributes.plan | default:"friend" }}, '
        "filters upper, lower, capitalize, trim. Used when there are no variants",
    )  # fmt: skip
    variants = serializers.ListField(
        child=VariantInputSerializer(), required=False, max_length=MAX_VARIANTS,
        help_text="2-5 bodies for an A/B test, replacing any there were; [] for none",
    )  # fmt: skip
    media_urls = serializers.ListField(
        child=serializers.CharField(max_length=2048), required=False, max_length=MAX_MEDIA_URLS,
        help_text="https URLs of media (MMS)",
    )  # fmt: skip
    sender = object_id(required=False, allow_null=True, help_text="A sender's id")
    pool = object_id(required=False, allow_null=True, help_text="Or a pool's id")
    list_ids = serializers.ListField(child=object_id(), required=False, max_length=MAX_LISTS)
    tags = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    attribute_filters = serializers.ListField(
        child=AttributeFilterSerializer(), required=False, max_length=MAX_FILTERS,
        help_text="Every filter must match",
    )  # fmt: skip
    exclude_list_ids = serializers.ListField(child=object_id(), required=False, max_length=MAX_LISTS)
    exclude_tags = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    schedule = one_of(Campaign.Schedule.values, required=False, help_text="now, at (send_at), local (date and time)")
    send_at = serializers.DateTimeField(required=False, allow_null=True, help_text="For `at`; within 35 days")
    local_date = serializers.DateField(required=False, allow_null=True, help_text="For `local`")
    local_time = serializers.RegexField(
        LOCAL_TIME, required=False, allow_null=True, trim_whitespace=False, help_text="For `local`: HH:MM, e.g. 10:00"
    )
    validity_period = bounded_int(1, MAX_VALIDITY_PERIOD_SECONDS, required=False, allow_null=True)
    track_links = serializers.BooleanField(
        required=False, help_text="Rewrite the body's links to short links per recipient that count clicks"
    )


# --- output -------------------------------------------------------------------------------------------------------


class VariantSerializer(serializers.Serializer):
    label = serializers.CharField()
    body = serializers.CharField()
    percent = serializers.IntegerField()


class PreflightFindingSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="no_sender, empty_audience, all_blocked, ucs2, missing_attribute, …")
    severity = serializers.CharField(help_text="block (prevents the launch) or warn")
    message = serializers.CharField()


class PreflightRuleSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The compliance rule, e.g. OPT-01")
    severity = serializers.ChoiceField(choices=["block", "defer", "warn"])
    recipients = serializers.IntegerField()
    message = serializers.CharField()
    samples = serializers.ListField(child=serializers.CharField(), help_text="Up to 5 numbers")


class PreflightComplianceSerializer(serializers.Serializer):
    blocked = serializers.IntegerField()
    deferred = serializers.IntegerField()
    warned = serializers.IntegerField()
    clean = serializers.IntegerField()
    rules = PreflightRuleSerializer(many=True)


class MissingAttributeSerializer(serializers.Serializer):
    path = serializers.CharField()
    recipients = serializers.IntegerField()
    samples = serializers.ListField(child=serializers.CharField())


class PreflightVariantSerializer(serializers.Serializer):
    label = serializers.CharField(help_text='"-" without variants')
    recipients = serializers.IntegerField()
    segments = serializers.IntegerField()
    segments_min = serializers.IntegerField()
    segments_max = serializers.IntegerField()
    ucs2_recipients = serializers.IntegerField()
    ucs2_samples = serializers.ListField(child=serializers.CharField())
    missing_attributes = MissingAttributeSerializer(many=True)


class PreflightEstimateSerializer(serializers.Serializer):
    messages = serializers.IntegerField(help_text="Recipients no rule blocks")
    segments = serializers.IntegerField()
    cost = serializers.CharField(help_text="Estimated, in `currency`")
    currency = serializers.CharField()
    mps = serializers.CharField(help_text="The senders' segments per second")
    drain_seconds = serializers.IntegerField()
    drain_time = serializers.CharField()
    queue_overflow = serializers.BooleanField(help_text="Whether the senders' 10-hour queues would overflow")
    overflow_segments = serializers.IntegerField(required=False)
    queue_advice = serializers.CharField(required=False)


class PreflightSerializer(serializers.Serializer):
    digest = serializers.CharField(help_text="What was checked: content, audience and schedule")
    checked_at = serializers.DateTimeField()
    checked_by = serializers.CharField()
    recipients = serializers.IntegerField()
    compliance = PreflightComplianceSerializer()
    variants = PreflightVariantSerializer(many=True)
    estimate = PreflightEstimateSerializer()
    findings = PreflightFindingSerializer(many=True)
    blocking = serializers.BooleanField(help_text="True: the campaign cannot be launched")


class AttributeFilterOutSerializer(serializers.Serializer):
    key = serializers.CharField()
    op = serializers.CharField()
    value = serializers.CharField()


class CampaignSerializer(serializers.ModelSerializer):
    variants = VariantSerializer(many=True, read_only=True)
    sender = serializers.IntegerField(source="sender_id", allow_null=True, read_only=True)
    pool = serializers.IntegerField(source="pool_id", allow_null=True, read_only=True)
    attribute_filters = AttributeFilterOutSerializer(many=True, read_only=True)
    local_time = serializers.SerializerMethodField()
    preflight = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id", "name", "category", "state", "body", "variants", "media_urls", "sender", "pool", "list_ids", "tags",
            "attribute_filters", "exclude_list_ids", "exclude_tags", "schedule", "send_at", "local_date",
            "local_time", "validity_period", "track_links", "recipients", "expanded", "preflight", "preflight_at",
            "preflight_by",
            "created_by", "launched_by", "created_at", "updated_at", "launched_at", "paused_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="HH:MM, a wall time in each zone"))
    def get_local_time(self, campaign: Campaign) -> str | None:
        return campaign.local_time.strftime("%H:%M") if campaign.local_time else None

    @extend_schema_field(PreflightSerializer(allow_null=True))
    def get_preflight(self, campaign: Campaign):
        return campaign.preflight or None


class SampleSerializer(serializers.Serializer):
    contact_id = serializers.IntegerField()
    phone_number = serializers.CharField()
    name = serializers.CharField()
    variant = serializers.CharField(help_text='"" without variants')
    body = serializers.CharField()
    encoding = serializers.CharField()
    segments = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField(), help_text="Attributes it lacks")


class PreviewSerializer(serializers.Serializer):
    recipients = serializers.IntegerField(help_text="Contacts in the audience now")
    samples = SampleSerializer(many=True)


class CountsSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="Waiting in the outbox, held by a pause, or being sent")
    deferred = serializers.IntegerField(help_text="Scheduled: a local time or a sending-hours rule")
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    undelivered = serializers.IntegerField()
    failed = serializers.IntegerField()
    suppressed = serializers.IntegerField(help_text="Opted out or blocked by a rule when expanded")
    canceled = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    state = serializers.CharField()
    recipients = serializers.IntegerField()
    expanded = serializers.IntegerField(help_text="Recipients made into messages so far")
    percent = serializers.IntegerField(help_text="Recipients whose message is done with, of all")
    counts = CountsSerializer()
    by_variant = serializers.DictField(child=CountsSerializer(), help_text="The same counts per variant label")
    remaining_segments = serializers.IntegerField()
    estimated_finish = serializers.DateTimeField(allow_null=True, help_text="While scheduled or running")


# --- views --------------------------------------------------------------------------------------------------------


def _campaign(campaign_id: int) -> Campaign:
    return get_object_or_404(selectors.campaigns(), pk=campaign_id)


def _fields(data: dict) -> dict:
    fields = dict(data)
    if "variants" in fields:
        fields["variants"] = [dict(v) for v in fields["variants"]]
    if "attribute_filters" in fields:
        fields["attribute_filters"] = [dict(f) for f in fields["attribute_filters"]]
    if fields.get("local_time"):
        fields["local_time"] = time.fromisoformat(fields["local_time"])
    return fields


class CampaignListView(generics.ListAPIView):
    """GET lists campaigns, newest first (cursor pages); POST creates a draft."""

    required_scopes = ("campaigns:write",)
    serializer_class = CampaignSerializer
    pagination_class = CursorPagination

    def get_queryset(self):
        return selectors.campaigns()

    @extend_schema(operation_id="campaigns_list", tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CampaignWriteSerializer,
        responses={201: CampaignSerializer, **RULE},
        operation_id="campaigns_create",
        tags=TAGS,
        description="Creates a draft. Nothing is sent until it is launched, after a preflight.",
    )
    def post(self, request):
        serializer = CampaignWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = campaign_create(
            tenant=request.tenant, fields=_fields(serializer.validated_data), actor_label=str(request.user)
        )
        return Response(CampaignSerializer(_campaign(campaign.pk)).data, status=status.HTTP_201_CREATED)


class CampaignDetailView(APIView):
    """GET one campaign; PATCH changes a draft (only the fields given); DELETE deletes a draft."""

    required_scopes = ("campaigns:write",)

    @extend_schema(responses=CampaignSerializer, operation_id="campaigns_read", tags=TAGS)
    def get(self, request, campaign_id: int):
        return Response(CampaignSerializer(_campaign(campaign_id)).data)

    @extend_schema(
        request=CampaignWriteSerializer(partial=True),
        responses={200: CampaignSerializer, **NOT_DRAFT, **RULE},
        operation_id="campaigns_update",
        tags=TAGS,
        description="A change clears the preflight report: run it again before launching.",
    )
    def patch(self, request, campaign_id: int):
        campaign = _campaign(campaign_id)
        serializer = CampaignWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        campaign_update(campaign=campaign, fields=_fields(serializer.validated_data))
        return Response(CampaignSerializer(_campaign(campaign_id)).data)

    @extend_schema(responses={204: None, **NOT_DRAFT}, operation_id="campaigns_delete", tags=TAGS)
    def delete(self, request, campaign_id: int):
        campaign_delete(tenant=request.tenant, campaign=_campaign(campaign_id), actor_label=str(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CampaignPreviewView(APIView):
    """GET the audience's size now and what its first five contacts would get."""

    required_scopes = ("campaigns:write",)

    @extend_schema(responses=PreviewSerializer, operation_id="campaigns_preview", tags=TAGS)
    def get(self, request, campaign_id: int):
        preview = audience_preview(_campaign(campaign_id))
        return Response(PreviewSerializer(preview).data)


class CampaignPreflightView(APIView):
    """POST checks a draft against its whole audience and stores the report with it."""

    required_scopes = ("campaigns:write",)

    @extend_schema(
        request=None,
        responses={200: CampaignSerializer, **NOT_DRAFT},
        operation_id="campaigns_preflight",
        tags=TAGS,
        description="Per compliance rule, the recipients blocked, deferred or warned (with samples); per variant, "
        "segments, UCS-2 bodies and missing attributes; the estimated segments, cost and time to drain; whether the "
        "senders' queues would overflow. Findings of severity `block` prevent the launch.",
    )
    def post(self, request, campaign_id: int):
        campaign = campaign_preflight(
            tenant=request.tenant, campaign=_campaign(campaign_id), actor_label=str(request.user)
        )
        return Response(CampaignSerializer(_campaign(campaign.pk)).data)


class CampaignLaunchView(APIView):
    """POST launches a draft whose preflight is current and has no blocking finding."""

    required_scopes = ("campaigns:write",)

    @extend_schema(
        request=None,
        responses={
            200: CampaignSerializer,
            **problem(409, "Not a draft, no preflight of the campaign as it is now (`campaign_preflight_required`), "
                      "or the sender's registration does not allow sending"),
            **problem(422, "The preflight found blocking problems (`campaign_preflight_blocked`, with `findings`)"),
        },
        operation_id="campaigns_launch",
        tags=TAGS,
        description="`scheduled` when it starts at a later time, else `running`: its audience is expanded into "
        "messages that leave at the senders' pace.",
    )  # fmt: skip
    def post(self, request, campaign_id: int):
        campaign_launch(tenant=request.tenant, campaign=_campaign(campaign_id), actor_label=str(request.user))
        return Response(CampaignSerializer(_campaign(campaign_id)).data)


def _action_view(service, verb: str, description: str):
    class ActionView(APIView):
        required_scopes = ("campaigns:write",)

        @extend_schema(
            request=None,
            responses={200: CampaignSerializer, **MOVE},
            operation_id=f"campaigns_{verb}",
            tags=TAGS,
            description=description,
        )
        def post(self, request, campaign_id: int):
            service(tenant=request.tenant, campaign=_campaign(campaign_id), actor_label=str(request.user))
            return Response(CampaignSerializer(_campaign(campaign_id)).data)

    ActionView.__name__ = ActionView.__qualname__ = f"Campaign{verb.capitalize()}View"
    ActionView.__doc__ = description
    return ActionView


CampaignPauseView = _action_view(
    campaign_pause, "pause", "POST pauses a scheduled or running campaign: its messages not yet claimed are held."
)
CampaignResumeView = _action_view(
    campaign_resume, "resume", "POST resumes a paused campaign: held messages go back to the outbox."
)
CampaignCancelView = _action_view(
    campaign_cancel, "cancel", "POST cancels a launched campaign for good: what has not been claimed never leaves."
)


class CampaignProgressView(APIView):
    """GET live progress: messages by status group, in total and per variant, and the estimated finish."""

    required_scopes = ("campaigns:write",)

    @extend_schema(responses=ProgressSerializer, operation_id="campaigns_progress", tags=TAGS)
    def get(self, request, campaign_id: int):
        campaign = _campaign(campaign_id)
        return Response(ProgressSerializer(progress_data(campaign)).data)


def progress_data(campaign: Campaign) -> dict:
    progress = selectors.campaign_progress(campaign)
    return {
        "state": campaign.state,
        "recipients": progress.recipients,
        "expanded": progress.expanded,
        "percent": progress.percent,
        "counts": progress.counts,
        "by_variant": progress.by_variant,
        "remaining_segments": progress.remaining_segments,
        "estimated_finish": progress.estimated_finish,
    }
