from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True,
                                                             "autocomplete": "username",
                                                             "class": "form-control"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password",
                                                                 "class": "form-control"}))
    error_messages = {
        "invalid_login": _("用户名或密码错误。注意：连续失败 5 次账户将锁定 30 分钟。"),
        "inactive": _("该账户已停用。"),
    }


class DeadlineForm(forms.Form):
    KIND_CHOICES = [("working", _("工作日")), ("calendar", _("自然日"))]

    start = forms.DateField(label=_("起算日（不计入）"),
                            widget=forms.DateInput(attrs={"type": "date",
                                                          "class": "form-control"}),
                            error_messages={"invalid": _("请输入有效日期。"),
                                            "required": _("请输入起算日。")})
    days = forms.IntegerField(label=_("天数"), min_value=0, max_value=3650,
                              widget=forms.NumberInput(attrs={"class": "form-control",
                                                              "inputmode": "numeric"}),
                              error_messages={"required": _("请输入天数。"),
                                              "invalid": _("天数须为整数。"),
                                              "min_value": _("天数不能为负数。"),
                                              "max_value": _("天数不能超过 3650。")})
    kind = forms.ChoiceField(label=_("计算方式"), choices=KIND_CHOICES, initial="working",
                             widget=forms.Select(attrs={"class": "form-select"}))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's widgets/attrs.html in Python: False drops the attribute, True writes
    its bare name."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items() if value is not False)


class FastSelect(forms.Select):
    """A select rendered in Python, for list filter forms shown on every page view.

    Through the template engine a select costs two template includes per option (the
    option and its attributes); the registry's filters hold about a hundred options,
    most of the page's widget time (issue 15). The HTML is the same as the project's
    templates give, the empty choice's "---------" read as 请选择 included
    (templates/django/forms/widgets/select_option.html).
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        # Django's get_context builds a dict per option (create_option) only for the
        # template to read; this walks the choices once, with optgroups' rules: the
        # first matching option alone is selected unless the select is multiple.
        widget_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            widget_attrs["multiple"] = True
        values = set(self.format_value(value))
        multiple = self.allow_multiple_selected
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(widget_attrs)}>']
        has_selected = False
        for option_value, option_label in self.choices:
            grouped = isinstance(option_label, list | tuple)
            if grouped:
                parts.append(f'\n  <optgroup label="{conditional_escape(option_value)}">')
            for subvalue, sublabel in (option_label if grouped
                                       else [("" if option_value is None else option_value,
                                              option_label)]):
                selected = (not has_selected or multiple) and str(subvalue) in values
                has_selected |= selected
                # A lazy label compared with == is translated once more for nothing.
                label: Any = (_("请选择") if type(sublabel) is str
                              and sublabel == "---------" else sublabel)
                parts.append(f'\n  <option value="{conditional_escape(str(subvalue))}"'
                             f'{" selected" if selected else ""}>'
                             f'{conditional_escape(label)}</option>')
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


class FilterChoiceField(forms.ChoiceField):
    """A list filter's choice field, drawn with FastSelect. Every form instance deep-
    copies its fields, and a ChoiceField deep-copies its choices (each label a lazy
    string): about 1 ms of each registry page for lists nobody mutates. Here the copy
    shares them; assigning ``field.choices`` (what the forms do) replaces the list of
    that instance only."""

    widget = FastSelect

    def __deepcopy__(self, memo: dict[int, Any]) -> FilterChoiceField:
        result: FilterChoiceField = forms.Field.__deepcopy__(self, memo)
        return result
