"""FastFilterSet: the project's filter sets copy their filters shallowly and reuse one
form class, and still behave as django-filter's (a request's state never reaches
another request)."""

from __future__ import annotations

from typing import Any

import django_filters
import pytest
from django.http import QueryDict

from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Jurisdiction
from hangzhou_safety.api.filters import FastFilterSet


def test_each_instance_has_its_own_filters_and_extra() -> None:
    one = EnterpriseFilter(QueryDict("sector=hazardous_chemicals"),
                           queryset=Enterprise.objects.none())
    two = EnterpriseFilter(QueryDict(""), queryset=Enterprise.objects.none())
    assert list(one.filters) == list(EnterpriseFilter.base_filters)
    assert one.filters["sector"] is not two.filters["sector"]
    assert one.filters["sector"].parent is one and two.filters["sector"].parent is two
    one.filters["sector"].extra["help_text"] = "changed"
    assert "help_text" not in two.filters["sector"].extra
    assert "help_text" not in EnterpriseFilter.base_filters["sector"].extra
    # One form class for the filter set, a bound form per instance.
    assert one.get_form_class() is two.get_form_class()
    assert one.form is not two.form
    assert one.is_valid() and one.form.cleaned_data["sector"] == "hazardous_chemicals"
    # A method= filter calls its own filter set's method (bound to the copy).
    searched = EnterpriseFilter(QueryDict("search=化工"), queryset=Enterprise.objects.none())
    assert searched.filters["search"].filter.f is searched.filters["search"]
    assert searched.qs is not None and searched.is_valid()
    bad = EnterpriseFilter(QueryDict("sector=nope"), queryset=Enterprise.objects.none())
    assert not bad.is_valid() and "sector" in bad.errors


@pytest.mark.django_db
def test_a_filter_with_a_request_queryset_gets_a_form_class_per_instance(
        reference_data: None) -> None:
    seen: list[Any] = []

    def places(request: Any) -> Any:
        seen.append(request)
        return Jurisdiction.objects.filter(code=request)

    class PlaceFilter(FastFilterSet):
        place = django_filters.ModelChoiceFilter(queryset=places, field_name="location")

        class Meta:
            model = Enterprise
            fields: list[str] = []

    first = PlaceFilter(QueryDict(""), queryset=Enterprise.objects.none(), request="330106")
    second = PlaceFilter(QueryDict(""), queryset=Enterprise.objects.none(), request="330102")
    assert first.get_form_class() is not second.get_form_class()
    assert list(first.form.fields["place"].queryset.values_list("code", flat=True)) == [
        "330106"]
    assert list(second.form.fields["place"].queryset.values_list("code", flat=True)) == [
        "330102"]
    # The resolved querysets stayed on the instances' copies of ``extra``.
    assert PlaceFilter.base_filters["place"].extra["queryset"] is places
    assert set(seen) == {"330106", "330102"}
