"""The registry's filters, shared by the list page, the API and the export."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.api.filters import FastFilterSet, StrictBooleanFilter

from .models import (
    Enterprise,
    InsurancePolicy,
    MajorHazardSource,
    RiskLevel,
    Sector,
    SupervisionBasis,
)


def _normalised(value: str) -> str:
    return "".join(value.strip().lower().split())


def validate_search_term(value: str) -> None:
    """A single character is refused: no index answers it (pg_trgm needs three, the
    bigram array two), so it would scan the whole registry, and one character of a
    Chinese name finds thousands of firms anyway (issue 15)."""
    if len(_normalised(value)) == 1:
        raise ValidationError(
            _("请至少输入两个字（或统一社会信用代码）再搜索。"), code="search_too_short")


class EnterpriseFilter(FastFilterSet):
    district = django_filters.CharFilter(method="filter_district", label="区县代码")
    street = django_filters.CharFilter(field_name="location__code", label="街道代码")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label="监管行业")
    high_risk = StrictBooleanFilter(field_name="is_high_risk", label="高危行业")
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label="风险等级")
    status = django_filters.ChoiceFilter(choices=Enterprise.Status.choices, label="经营状态")
    has_hazard_sources = StrictBooleanFilter(method="filter_hazard_sources",
                                                      label="有重大危险源")
    insurance_missing = StrictBooleanFilter(method="filter_insurance_missing",
                                                     label="高危行业未投保安责险")
    supervisor = django_filters.CharFilter(field_name="supervising_authority__code",
                                           label="监管主体编码")
    supervision_basis = django_filters.ChoiceFilter(choices=SupervisionBasis.choices,
                                                    label="监管依据")
    search = django_filters.CharFilter(method="filter_search", label="名称或统一社会信用代码",
                                       validators=[validate_search_term])

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_district(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(location_path__startswith=f"330100/{value}/")

    def filter_hazard_sources(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        sources = MajorHazardSource.objects.filter(
            enterprise=OuterRef("pk")).exclude(status=MajorHazardSource.Status.CANCELLED)
        return qs.filter(Exists(sources)) if value else qs.exclude(Exists(sources))

    def filter_insurance_missing(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return qs
        return qs.filter(is_high_risk=True).exclude(Exists(
            valid_safety_liability_policies().filter(enterprise=OuterRef("pk"))))

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return search_enterprises(qs, value)


def search_enterprises(qs: QuerySet, value: str) -> QuerySet:
    """Chinese substring search by name or credit code, on an index whatever the length:
    3+ characters use the trigram index on search_text; exactly 2 use the bigram array
    (pg_trgm makes no trigram from a 2-character query). The filter refuses 1 character
    (validate_search_term)."""
    term = _normalised(value)
    if not term:
        return qs
    if len(term) == 2:
        return qs.filter(search_bigrams__contains=[term])
    return qs.filter(search_text__contains=term)


def valid_safety_liability_policies(day: Any = None) -> QuerySet[InsurancePolicy]:
    day = day or timezone.localdate()
    return InsurancePolicy.objects.filter(kind=InsurancePolicy.Kind.SAFETY_LIABILITY,
                                          start_date__lte=day, end_date__gte=day)
