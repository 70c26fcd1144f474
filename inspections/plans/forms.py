"""Page forms of the annual enforcement plan. Every number is bounded by the table
in plans/models.py (the API serializers and the services use the same one), so a
huge or out-of-range value is a field error on the form, never a server error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _lazy

from inspections.plans.models import (
    CAMPAIGN_NAME_MAX_LENGTH,
    CAMPAIGN_PLANNED_BOUND,
    MONTH_MAX,
    MONTH_MIN,
    PLAN_INPUT_BOUNDS,
    PLAN_TITLE_MAX_LENGTH,
    PLAN_YEAR_MAX,
    PLAN_YEAR_MIN,
    Bound,
)


def _messages(bound: Bound, label: Any) -> dict[str, Any]:
    """Chinese messages naming the (lazily translated) label."""
    out_of_range = format_lazy("{}应在 {}–{} 之间。", label, bound.low, bound.high)
    kind = "整数" if bound.places is None else "数字"
    return {"invalid": format_lazy("{}应为{}。", label, kind),
            "required": format_lazy("请填写{}。", label),
            "min_value": bound.below or out_of_range,
            "max_value": out_of_range, "max_digits": out_of_range,
            "max_whole_digits": out_of_range,
            "max_decimal_places": format_lazy("{}最多保留 {} 位小数。", label, bound.places)}


def bounded_int(label: Any, bound: Bound, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=int(bound.low), max_value=int(bound.high),
                              error_messages=_messages(bound, label), **kwargs)


def bounded_decimal(label: Any, bound: Bound, **kwargs: Any) -> forms.DecimalField:
    whole = len(str(int(bound.high)))
    return forms.DecimalField(label=label, min_value=bound.low, max_value=bound.high,
                              max_digits=whole + (bound.places or 0),
                              decimal_places=bound.places,
                              error_messages=_messages(bound, label), **kwargs)


B = PLAN_INPUT_BOUNDS


class PlanInputsForm(forms.Form):
    """The inputs of plans.INPUT_FIELDS; the services check the rules across fields."""

    title = forms.CharField(label=_lazy("计划名称"), max_length=PLAN_TITLE_MAX_LENGTH,
                            required=False, help_text=_lazy("留空则按“单位+年度”自动命名。"))
    enforcement_powers = forms.CharField(label=_lazy("执法职权"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    staff_count = bounded_int(_lazy("执法人员数"), B["staff_count"])
    certified_staff_count = bounded_int(_lazy("持证执法人员数"), B["certified_staff_count"])
    equipment = forms.CharField(label=_lazy("执法装备"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    vehicles = bounded_int(_lazy("执法车辆"), B["vehicles"], initial=0)
    funding = bounded_decimal(_lazy("执法经费（万元）"), B["funding"], initial=0)
    officers_per_inspection = bounded_int(_lazy("每次检查人数"), B["officers_per_inspection"],
                                          initial=2)
    hours_per_inspection = bounded_decimal(_lazy("每次检查工时（小时）"), B["hours_per_inspection"],
                                           initial=4)
    hours_per_officer = bounded_int(_lazy("每名持证人员年度可用于检查的工时"),
                                    B["hours_per_officer"], initial=600)
    per_enterprise_cap = bounded_int(_lazy("单个企业年度检查上限"), B["per_enterprise_cap"],
                                     initial=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class PlanCreateForm(PlanInputsForm):
    year = forms.IntegerField(label=_lazy("年度"), min_value=PLAN_YEAR_MIN,
                              max_value=PLAN_YEAR_MAX, error_messages={
                                  "invalid": "年度应为整数。", "required": "请填写年度。",
                                  "min_value": "年度无效。", "max_value": "年度无效。"})
    field_order = ["year"]


class CampaignForm(forms.Form):
    """A proposed special campaign (the plan page's form)."""

    name = forms.CharField(max_length=CAMPAIGN_NAME_MAX_LENGTH, required=False,
                           error_messages={"max_length": f"专项行动名称不能超过 "
                                           f"{CAMPAIGN_NAME_MAX_LENGTH} 个字。"})
    reason = forms.CharField(required=False)
    # Not required here: the service names what is missing (name, reason, months).
    months = forms.TypedMultipleChoiceField(
        choices=[(m, m) for m in range(MONTH_MIN, MONTH_MAX + 1)], coerce=int,
        required=False,
        error_messages={"required": "请选择实施月份。",
                        "invalid_choice": f"实施月份应为 {MONTH_MIN}–{MONTH_MAX} 的整数。"})
    planned = bounded_int(_lazy("计划检查次数"), CAMPAIGN_PLANNED_BOUND, required=False)


def quota_cell(raw: str, bound: Bound) -> int | None:
    """A cell of the quota grid: a whole number within ``bound`` (blank is 0), else None."""
    raw = raw.strip() or "0"
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(bound.high)):
        return None
    value = int(raw)
    return value if bound.low <= value <= bound.high else None
