"""The app's URL conf plus the naive reference the throughput benchmark compares with.

Served only by benchmarks/throughput.py (DJANGO_ROOT_URLCONF=benchmarks.reference_urls):
the registry list as a newcomer would write it with DRF's generics (every column, a
page-number paginator that counts the rows, no list-specific serializer), scoped the
same way as the real list so both read the same rows.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from rest_framework import generics, pagination, serializers

from enterprises.models import Enterprise
from hangzhou_safety.urls import handler400, handler403, handler404, handler500  # noqa: F401
from hangzhou_safety.urls import urlpatterns as app_urlpatterns


class NaiveEnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = "__all__"


class NaivePagination(pagination.PageNumberPagination):
    page_size = 50


class NaiveEnterpriseList(generics.ListAPIView):
    serializer_class = NaiveEnterpriseSerializer
    pagination_class = NaivePagination

    def get_queryset(self) -> Any:
        return Enterprise.objects.visible_to(self.request.user).order_by("-id")


urlpatterns = [
    path("bench/naive/enterprises/", NaiveEnterpriseList.as_view()),
    *app_urlpatterns,
]
