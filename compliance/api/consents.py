"""Consent records on the API: list them (by number, purpose, in force or revoked) and record one with its evidence.
Reading needs `compliance:read`, recording `compliance:write`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_ipv46_address
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import selectors
from compliance.api.common import READ, WRITE, actor_label
from compliance.errors import ComplianceValidationError
from compliance.models import Consent
from compliance.services.consent import consent_record
from config.api import PaginatedListMixin
from config.inputs import InputSerializer
from config.openapi import problem


class ConsentSerializer(serializers.ModelSerializer):
    revoked_by = serializers.IntegerField(
        source="revoked_by_id", allow_null=True, help_text="The opt-out event that revoked it"
    )

    class Meta:
        model = Consent
        fields = [
            "id", "number", "purpose", "source", "evidence", "evidence_ref", "disclosure", "ip_address", "user_agent",
            "collected_at", "recorded_at", "actor_label", "revoked_at", "revoked_by",
        ]  # fmt: skip
        read_only_fields = fields


class ConsentQuerySerializer(serializers.Serializer):
    number = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="Part of the number, e.g. its last digits"
    )
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="true: not revoked")


class ConsentCreateSerializer(InputSerializer):
    number = serializers.CharField(max_length=32, help_text="E.164, or a number of the tenant's country")
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    source = serializers.ChoiceField(choices=Consent.Source.choices)
    evidence = serializers.CharField(
        max_length=5000, help_text="What shows it; an `import` needs an attestation ('We attest ...')"
    )
    evidence_ref = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    disclosure = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    ip_address = serializers.CharField(
        required=False, allow_null=True, default=None, max_length=45, help_text="IPv4 or IPv6, where known"
    )
    user_agent = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    collected_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    lift_opt_out = serializers.BooleanField(
        default=False, help_text="Also lift the number's opt-outs, this consent being the evidence of the opt-in"
    )


class ConsentListView(PaginatedListMixin, APIView):
    """GET lists consent records, newest first; POST records one."""

    required_scopes = WRITE
    scopes_by_method = {"GET": READ}

    @extend_schema(
        parameters=[ConsentQuerySerializer],
        responses=ConsentSerializer(many=True),
        operation_id="consents_list",
        tags=["consents"],
    )
    def get(self, request):
        query = ConsentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        found = selectors.consents(
            search=data.get("number", ""), purpose=data.get("purpose", ""), active=data.get("active")
        )
        return self.paginated(request, found, ConsentSerializer)

    @extend_schema(
        request=ConsentCreateSerializer,
        responses={
            201: ConsentSerializer,
            **problem(409, "`lift_opt_out` for a number that is not opted out"),
            **problem(422, "A number, evidence or time the register cannot take"),
        },
        operation_id="consents_create",
        tags=["consents"],
        description="Keeps the consent with its evidence. 422 naming the field: a number that is not one, blank "
        "evidence, an import without an attestation, a collection time in the future; 409 `not_opted_out` when "
        "`lift_opt_out` is asked for a number that is not opted out (nothing is stored).",
    )
    def post(self, request):
        serializer = ConsentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _check_ip(data["ip_address"])
        consent = consent_record(
            tenant=request.tenant,
            number=data["number"],
            purpose=data["purpose"],
            source=data["source"],
            evidence=data["evidence"],
            evidence_ref=data["evidence_ref"],
            disclosure=data["disclosure"],
            ip_address=data["ip_address"],
            user_agent=data["user_agent"],
            collected_at=data["collected_at"],
            lift_opt_out=data["lift_opt_out"],
            actor_label=actor_label(request),
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


def _check_ip(address: str | None) -> None:
    if address is None:
        return
    try:
        validate_ipv46_address(address)
    except DjangoValidationError as exc:
        raise ComplianceValidationError(f"'{address}' is not an IPv4 or IPv6 address", field="ip_address") from exc
