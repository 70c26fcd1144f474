"""Forms of the registry's pages: the list filters and the create/edit form.

The forms only shape and pre-check input; the writes (and the final validation) are
done by enterprises.services, whose InvalidInput.fields are mapped back onto fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.models import PLACES_GENERATION, Authority, Jurisdiction
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.cache import memo_by_generation
from hangzhou_safety.web.forms import FilterChoiceField

from .codes import normalise_uscc
from .models import (
    Enterprise,
    IndustryClass,
    OccupationalHazard,
    RiskLevel,
    Sector,
    SpecialOperation,
)
from .services import EDITABLE_FIELDS

STREET_KINDS = [Jurisdiction.Kind.STREET, Jurisdiction.Kind.TOWN, Jurisdiction.Kind.TOWNSHIP]
YES_NO = [("", _("不限")), ("true", _("是")), ("false", _("否"))]


def _district_q() -> Q:
    # Top-level areas under the city: districts, and functional zones that straddle them.
    return Q(kind=Jurisdiction.Kind.DISTRICT) | Q(kind=Jurisdiction.Kind.ZONE,
                                                   parent__kind=Jurisdiction.Kind.CITY)


def _place_label(node: Jurisdiction) -> str:
    parent = node.parent
    if parent is None or parent.kind == Jurisdiction.Kind.CITY:
        return node.name
    return f"{parent.name} · {node.name}"


def _place_choices(user: Any) -> dict[str, list[Any]]:
    """The district, street (grouped by district) and supervising-authority choices
    within ``user``'s jurisdiction, labels as plain strings (memoised per language)."""
    places = list(Jurisdiction.objects.visible_to(user)
                  .filter(_district_q() | Q(kind__in=STREET_KINDS))
                  .select_related("parent").order_by("path"))
    districts = [p for p in places if p.kind not in STREET_KINDS]
    by_district: dict[str, list[tuple[str, str]]] = {}
    for p in places:
        if p.kind in STREET_KINDS and p.parent is not None:
            by_district.setdefault(p.parent.name, []).append((p.code, p.name))
    authorities = (Authority.objects.visible_to(user)
                   .filter(enforces_safety=True,
                           kind__in=[Authority.Kind.MUNICIPAL_BUREAU,
                                     Authority.Kind.DISTRICT_BUREAU,
                                     Authority.Kind.ZONE_COMMITTEE])
                   .order_by("code").values_list("code", "name"))
    return {"district": [(d.code, d.name) for d in districts],
            "street": list(by_district.items()), "supervisor": list(authorities)}


class EnterpriseFilterForm(forms.Form):
    """Renders the list filters; EnterpriseFilter does the filtering on the same GET.
    The selects render in Python (FilterChoiceField): the form is drawn on every page
    view, and its places and authorities are memoised (PLACES_GENERATION)."""

    search = forms.CharField(label=_("名称或统一社会信用代码"), required=False,
                             widget=forms.TextInput(attrs={
                                 "class": "form-control", "type": "search",
                                 "placeholder": _("输入单位名称或信用代码"),
                                 "autocomplete": "off"}))
    district = FilterChoiceField(label=_("区县"), required=False)
    street = FilterChoiceField(label=_("街道/乡镇"), required=False)
    sector = FilterChoiceField(label=_("监管行业"), required=False,
                               choices=[("", _("全部"))] + list(Sector.choices))
    high_risk = FilterChoiceField(label=_("高危行业"), required=False,
                                  choices=YES_NO)
    risk_level = FilterChoiceField(label=_("风险等级"), required=False,
                                   choices=[("", _("全部"))] + list(RiskLevel.choices))
    has_hazard_sources = FilterChoiceField(label=_("有重大危险源"),
                                           required=False, choices=YES_NO)
    insurance_missing = FilterChoiceField(
        label=_("高危未投保安责险"), required=False,
        choices=[("", _("不限")), ("true", _("是"))])
    supervisor = FilterChoiceField(label=_("监管主体"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = user_scope_path(user)
        # The same for every user of a scope: memoised until a place or an authority
        # changes (two queries on every page view otherwise).
        choices = memo_by_generation(
            PLACES_GENERATION, f"enterprise-filter:{scope}:{get_language()}",
            lambda: _place_choices(user))
        for name, values in choices.items():
            self._choices(name, values)
        for name, field in self.fields.items():
            if name != "search":
                field.widget.attrs["class"] = "form-select"

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("全部")), *choices]


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _place_label(obj)


class EnterpriseForm(forms.ModelForm):
    """Create/edit form. `industry` is typed as a GB/T 4754 小类 code (4 digits)."""

    industry = forms.CharField(label=_("国民经济行业（小类代码）"), required=False,
                               max_length=4,
                               help_text=_("GB/T 4754-2017 四位小类代码，例如 2614"))
    special_operations = forms.MultipleChoiceField(
        label=_("重点作业"), required=False, choices=SpecialOperation.choices,
        widget=forms.CheckboxSelectMultiple)
    occupational_hazards = forms.MultipleChoiceField(
        label=_("职业病危害因素"), required=False, choices=OccupationalHazard.choices,
        widget=forms.CheckboxSelectMultiple)
    change_reason = forms.CharField(label=_("修改原因"), required=False, max_length=255)

    class Meta:
        model = Enterprise
        fields = [f for f in EDITABLE_FIELDS if f not in ("industry",)]
        field_classes = {"location": LocationChoiceField,
                         "registration_jurisdiction": LocationChoiceField}
        error_messages = {
            "name": {"required": _("请填写单位名称。")},
            "location": {"required": _("请选择所在街道/乡镇。"),
                         "invalid_choice": _("所选辖区不在您的管辖范围内。")},
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        streets = (Jurisdiction.objects.visible_to(user).filter(kind__in=STREET_KINDS)
                   .select_related("parent").order_by("path"))
        self.fields["location"].queryset = streets  # type: ignore[attr-defined]
        self.fields["location"].empty_label = _("请选择")  # type: ignore[attr-defined]
        self.fields["registration_jurisdiction"].queryset = (  # type: ignore[attr-defined]
            Jurisdiction.objects.exclude(kind=Jurisdiction.Kind.CITY)
            .select_related("parent").order_by("path"))
        self.fields["registration_jurisdiction"].empty_label = _("与所在辖区相同")  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.industry_id:
            self.initial["industry"] = self.instance.industry_id
        if self.instance.pk is None:
            del self.fields["change_reason"]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.CheckboxInput)):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
        for name in ("principal_phone", "safety_manager_phone", "contact_phone"):
            self.fields[name].widget.attrs["inputmode"] = "tel"
        self.fields["employees"].widget.attrs["inputmode"] = "numeric"
        self.fields["uscc"].widget.attrs.update({"autocapitalize": "characters",
                                                 "autocomplete": "off"})

    def clean_uscc(self) -> str | None:
        value = self.cleaned_data.get("uscc")
        return normalise_uscc(value) or None if value else None

    def clean_industry(self) -> IndustryClass | None:
        code = (self.cleaned_data.get("industry") or "").strip()
        if not code:
            return None
        found = IndustryClass.objects.filter(code=code).first()
        if found is None:
            raise forms.ValidationError(_("国民经济行业代码“%(code)s”不存在。"),
                                        params={"code": code}, code="unknown_industry")
        if found.level != 4:
            raise forms.ValidationError(_("请填写四位小类代码（“%(code)s”是%(name)s，不是小类）。"),
                                        params={"code": code, "name": found.name},
                                        code="industry_not_leaf")
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("uscc") and not cleaned.get("operator_id_number") \
                and "uscc" not in self.errors and "operator_id_number" not in self.errors:
            self.add_error("uscc", _("请填写统一社会信用代码；"
                                     "个体工商户无代码的，填写经营者身份证号码。"))
        return cleaned

    def _post_clean(self) -> None:
        # Model-level validation (uniqueness, check characters, constraints) is the
        # service's job; running it here too would double the messages.
        pass

    def mark_invalid_fields(self) -> None:
        """Give fields with errors Bootstrap's red outline (call after all errors are in)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def service_data(self) -> dict[str, Any]:
        """cleaned_data shaped for services.create_enterprise / update_enterprise."""
        return {f: self.cleaned_data.get(f) for f in EDITABLE_FIELDS}
