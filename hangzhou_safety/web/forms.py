from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
