"""Sender plans on the API: saved recommendations and their provisioning runs, with the log of each step."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import PaginatedListMixin
from config.inputs import InputSerializer
from config.openapi import problem
from messaging import selectors
from messaging.api.recommendations import (
    RULES_REFUSED,
    RecommendationInputSerializer,
    RecommendationRequestSerializer,
    RecommendationSerializer,
)
from messaging.models import SenderPlan
from messaging.services import plans
from messaging.services.numbers import TOLL_FREE_AREA_CODES
from messaging.services.senders import ALPHANUMERIC_ID, ALPHANUMERIC_ID_RULE

# A US or CA area code: 3 digits, not starting with 0 or 1 (the regex), and not a toll-free prefix.
AREA_CODE = RegexValidator(r"^[2-9][0-9]{2}\Z", "an area code is 3 digits, e.g. 415")
NOT_TOLL_FREE = rf"(?!(?:{'|'.join(sorted(TOLL_FREE_AREA_CODES))})$)"
AREA_CODE_SCHEMA = {
    "type": "string",
    "pattern": rf"^({NOT_TOLL_FREE}[2-9][0-9]{{2}})?$",
    "description": "Blank: the default",
}


def not_toll_free(code: str) -> None:
    if code in TOLL_FREE_AREA_CODES:
        raise serializers.ValidationError(f"{code} is a toll-free prefix, not a local area code")


@extend_schema_field(
    {
        "type": "object",
        "properties": dict.fromkeys(sorted(plans.NANP_COUNTRIES), AREA_CODE_SCHEMA),
        "additionalProperties": False,
    }
)
class AreaCodesField(serializers.DictField):
    """Area codes by country, for US and CA only; a blank one keeps the default."""

    child = serializers.CharField(allow_blank=True, trim_whitespace=False, validators=[AREA_CODE, not_toll_free])

    def to_internal_value(self, data) -> dict:
        codes = super().to_internal_value(data)
        others = {country: ["area codes are given for US and CA only"] for country in codes}
        for country in plans.NANP_COUNTRIES:
            others.pop(country, None)
        if others:
            raise serializers.ValidationError(others)
        return codes


class SenderPlanCreateSerializer(RecommendationRequestSerializer):
    name = serializers.CharField(
        max_length=plans.MAX_NAME_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Blank names the plan after its use case and countries",
    )


class SenderPlanProvisionSerializer(InputSerializer):
    area_codes = AreaCodesField(
        required=False,
        default=dict,
        help_text='Area codes of the numbers to buy, by country: {"US": "212", "CA": "604"}; default 415 and 416',
    )
    alphanumeric_id = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        validators=[RegexValidator(ALPHANUMERIC_ID, ALPHANUMERIC_ID_RULE)],
        help_text="The alphanumeric sender ID to add; blank derives one from the tenant's name",
    )


class ProvisioningStepSerializer(serializers.Serializer):
    country = serializers.CharField()
    country_name = serializers.CharField()
    sender_type = serializers.CharField(allow_null=True, help_text="The top-ranked type; null when none fits")
    label = serializers.CharField(allow_null=True)
    outcome = serializers.CharField(help_text="done, failed or manual")
    detail = serializers.CharField(help_text="What was obtained, Twilio's explanation, or what to do by hand")
    steps = serializers.ListField(child=serializers.CharField(), help_text="The sender type's registration steps")
    sender_id = serializers.IntegerField(allow_null=True)
    address = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()


class SenderPlanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="draft, provisioning, provisioned or partly_provisioned")
    request = RecommendationInputSerializer()
    recommendation = RecommendationSerializer()
    provisioning_log = ProvisioningStepSerializer(many=True)

    class Meta:
        model = SenderPlan
        fields = [
            "id",
            "name",
            "status",
            "request",
            "recommendation",
            "created_by",
            "created_at",
            "provisioning_log",
            "provisioned_at",
        ]
        read_only_fields = fields


class SenderPlanSummarySerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="draft, provisioning, provisioned or partly_provisioned")
    recommended = serializers.SerializerMethodField(help_text="Each country's top-ranked sender type (or null)")

    class Meta:
        model = SenderPlan
        fields = ["id", "name", "status", "recommended", "created_by", "created_at", "provisioned_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "nullable": True}})
    def get_recommended(self, plan: SenderPlan) -> dict:
        return {item["country"]: item["recommended"] for item in plan.recommendation.get("countries", [])}


class SenderPlanListView(PaginatedListMixin, APIView):
    """GET lists the saved sender plans (messages:read); POST saves one from a recommendation request (admin)."""

    required_scopes = ("messages:read",)
    scopes_by_method = {"POST": ("admin",)}

    @extend_schema(responses=SenderPlanSummarySerializer(many=True), operation_id="sender_plans_list", tags=["senders"])
    def get(self, request):
        return self.paginated(request, selectors.plans(), SenderPlanSummarySerializer)

    @extend_schema(
        request=SenderPlanCreateSerializer,
        responses={201: SenderPlanSerializer, **problem(422, RULES_REFUSED)},
        operation_id="sender_plans_create",
        tags=["senders"],
    )
    def post(self, request):
        serializer = SenderPlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = plans.plan_save(name=data.pop("name"), data=data, created_by=str(request.user))
        return Response(SenderPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class SenderPlanDetailView(APIView):
    """GET one sender plan with its recommendation and provisioning log."""

    required_scopes = ("messages:read",)

    @extend_schema(responses=SenderPlanSerializer, operation_id="sender_plans_read", tags=["senders"])
    def get(self, request, plan_id: int):
        return Response(SenderPlanSerializer(get_object_or_404(selectors.plans(), pk=plan_id)).data)


class SenderPlanProvisionView(APIView):
    """POST starts a provisioning run: each country's top-ranked sender where that can be done at once."""

    required_scopes = ("admin",)

    @extend_schema(
        request=SenderPlanProvisionSerializer,
        responses={
            202: SenderPlanSerializer,
            **problem(403, "The key lacks the scope, or the tenant is closed or suspended"),
            **problem(
                409,
                "The plan is provisioned already or being provisioned, or the tenant has no Twilio subaccount yet",
            ),
            **problem(422, "No alphanumeric ID was given and the tenant's name gives none"),
        },
        operation_id="sender_plans_provision",
        tags=["senders"],
        description="Answers 202 at once with the plan `provisioning`; the run goes on in the background and each "
        "country's step lands in `provisioning_log` as it ends (read the plan to follow it). What cannot be obtained "
        "at once is logged as a step to follow by hand. A step Twilio refuses is logged as failed and the plan ends "
        "partly provisioned; provisioning it again retries the failed steps only. 409 when the plan is provisioned "
        "already or being provisioned.",
    )
    def post(self, request, plan_id: int):
        plan = get_object_or_404(selectors.plans(), pk=plan_id)
        serializer = SenderPlanProvisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plans.plan_provision_start(
            tenant=request.tenant, plan=plan, **serializer.validated_data, actor_label=str(request.user)
        )
        return Response(SenderPlanSerializer(plan).data, status=status.HTTP_202_ACCEPTED)
