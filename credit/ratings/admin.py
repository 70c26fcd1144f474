"""The rating rule table in the admin: the municipal administrator edits it; each row's
conditions are checked with the evaluator's own reader before they are saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.admin_access import MunicipalAdminOnly

from .models import RatingRule
from .rules import check_condition


class RatingRuleForm(forms.ModelForm):
    class Meta:
        model = RatingRule
        fields = ["rank", "level", "match", "conditions", "description", "source", "active",
                  "immediate"]

    def clean_conditions(self) -> Any:
        value = self.cleaned_data["conditions"]
        if not isinstance(value, list):
            raise forms.ValidationError(_("条件应为列表。"))
        for condition in value:
            if not isinstance(condition, dict):
                raise forms.ValidationError(_("每个条件应为对象。"))
            try:
                check_condition(condition)
            except ValueError as exc:
                raise forms.ValidationError(_("条件无效：%(why)s") % {"why": exc}) from exc
        return value


@admin.register(RatingRule)
class RatingRuleAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    form = RatingRuleForm
    list_display = ["rank", "level", "match", "description", "active", "immediate"]
    ordering = ["rank"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # switch a rule off instead: ratings keep the rule they applied
