"""Fixtures of the document-service tests: a subject row and the sample decision context."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority

SAMPLE = "documents/samples/penalty_decision.html"


def decision_context(name: str = "杭州示例化工有限公司", amount: str = "12345.60",
                     paragraphs: int = 3) -> dict[str, Any]:
    return {
        "party": {"name": name, "uscc": "91330106MA2AAAAA0X", "address": "杭州市西湖区文三路1号",
                  "representative": "王五"},
        "facts": [f"经查，你单位于2026年11月{n + 1}日在未对作业人员进行安全生产教育和培训的情况下"
                  "安排其上岗作业，且未如实记录安全生产教育和培训情况。" * 2
                  for n in range(paragraphs)],
        "evidence": ["现场检查记录", "询问笔录", "现场照片12张", "培训档案复印件"],
        "provision": "《中华人民共和国安全生产法》第二十八条第一款",
        "penalty_provision": "《中华人民共和国安全生产法》第九十七条第（三）项",
        "amount": Decimal(amount),
    }


@pytest.fixture
def xihu(reference_data: None) -> Authority:
    return Authority.objects.get(code="EM-330106")


@pytest.fixture
def subject(reference_data: None) -> Any:
    """Any row can be a document's subject; a street stands in for a case here."""
    from hangzhou_safety.accounts.models import Jurisdiction

    return Jurisdiction.objects.get(code="330106002")
