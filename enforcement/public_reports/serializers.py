"""Serializers of the public 12350 API. None of them has a field of the reporter's
identity on its output side: the progress answer is built from services.progress."""

from __future__ import annotations

from rest_framework import serializers

from .models import ReportCategory, ReportTopic
from .services import MAX_DESCRIPTION


class ReportSubmitSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ReportCategory.choices)
    topic = serializers.ChoiceField(choices=ReportTopic.choices, required=False,
                                    default=ReportTopic.SAFETY)
    place = serializers.CharField(max_length=12, help_text="区县或街道代码 / district or "
                                                           "street code")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    enterprise = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                          max_value=2**31 - 1)
    enterprise_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=MAX_DESCRIPTION)
    anonymous = serializers.BooleanField(default=True)
    name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    challenge_token = serializers.CharField(max_length=500, required=False, allow_blank=True)
    challenge_answer = serializers.CharField(max_length=20, required=False, allow_blank=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False,
                                   max_length=5)


class ReportSubmittedSerializer(serializers.Serializer):
    tracking_no = serializers.CharField()
    query_code = serializers.CharField(help_text="查询码，仅显示一次 / shown once only")
    deadline = serializers.DateField(help_text="受理后的办结期限（按今日受理计） / handling "
                                               "due date if accepted today")
    provisional = serializers.BooleanField()


class ChallengeSerializer(serializers.Serializer):
    question = serializers.CharField()
    token = serializers.CharField()


class RegistryMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    place = serializers.CharField()


class ReplySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField()


class ReportProgressSerializer(serializers.Serializer):
    tracking_no = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    authority = serializers.CharField()
    forwarded_to = serializers.CharField()
    handling_due = serializers.DateField(allow_null=True)
    extended = serializers.BooleanField()
    finding = serializers.CharField()
    finding_label = serializers.CharField()
    replies = ReplySerializer(many=True)
