"""ISV staff edit the sender catalogue; a change that would make it inconsistent is refused with the reason."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from messaging.catalogue import convert
from messaging.catalogue.models import CountryRule, SenderType, TrustTier
from messaging.domain.catalogue import Catalogue, CatalogueError


def _catalogue_with(instance) -> Catalogue:
    """The catalogue as it would be with `instance` saved (rows of other types as they are)."""

    def rows(model):
        if not isinstance(instance, model):
            return list(model.objects.all())
        found = [instance if row.pk == instance.pk else row for row in model.objects.all()]
        if instance.pk is None:
            found.append(instance)
        return found

    tiers = rows(TrustTier)
    default = next((tier.code for tier in tiers if tier.is_default), tiers[-1].code if tiers else "")
    return Catalogue(
        sender_types=tuple(convert.sender_type_facts(row) for row in rows(SenderType)),
        countries=tuple(convert.country_rule(row) for row in rows(CountryRule)),
        tendlc_tiers=tuple(convert.trust_tier(row) for row in tiers),
        default_tendlc_tier=default,
    )


class ConsistentCatalogueForm(forms.ModelForm):
    """Checks the whole catalogue with the edited row in it, as the wizard will read it."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            _catalogue_with(self.instance)
        except (CatalogueError, ValueError, KeyError, TypeError) as exc:
            self.add_error(None, f"The catalogue would not be consistent: {exc}")


@admin.register(SenderType)
class SenderTypeAdmin(admin.ModelAdmin):
    form = ConsistentCatalogueForm
    list_display = ["label", "code", "kind", "default_mps", "two_way", "voice", "lead_time_text", "updated_at"]
    list_filter = ["kind", "two_way", "voice", "vetted"]
    search_fields = ["code", "label"]
    ordering = ["position"]


@admin.register(CountryRule)
class CountryRuleAdmin(admin.ModelAdmin):
    form = ConsistentCatalogueForm
    list_display = ["country", "name", "alphanumeric", "long_code_local", "two_way_supported", "updated_at"]
    list_filter = ["alphanumeric", "long_code_local", "two_way_supported"]
    search_fields = ["country", "name"]


@admin.register(TrustTier)
class TrustTierAdmin(admin.ModelAdmin):
    form = ConsistentCatalogueForm
    list_display = [
        "label",
        "code",
        "trust_score_min",
        "trust_score_max",
        "total_mps",
        "tmobile_daily_cap",
        "is_default",
    ]
    ordering = ["position"]
