"""A re-check is an enforcement act (issue on legal accuracy): at least two officers
with an enforcement certificate valid that day, by default the inspection's own team;
another certified colleague may be named on the form."""
# ruff: noqa: F811

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import InvalidInput
from inspections.models import Hazard, ReCheck
from tests.conftest import make_user
from tests.inspections.test_deadline_extension import rectifying  # noqa: F401
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(reference_data):
    return make_user("p_xihu_inspector3", Role.INSPECTOR, "EM-330106", cert="P330106004",
                     full_name="西湖执法员三")


def _expire(user):
    user.certificate_valid_until = datetime.date(2020, 1, 1)
    user.save(update_fields=["certificate_valid_until"])


def test_the_team_rechecks_by_default(rectifying, xihu_inspector, xihu_inspector2):
    from inspections.loop import services as loop

    loop.record_recheck(rectifying, actor=xihu_inspector, passed=True, note="已整改")
    recheck = ReCheck.objects.get(hazard=rectifying)
    assert set(recheck.checked_by.all()) == {xihu_inspector, xihu_inspector2}


def test_one_certified_officer_is_not_enough(rectifying, xihu_inspector, xihu_inspector2,
                                             colleague):
    from inspections.loop import services as loop

    _expire(xihu_inspector2)
    with pytest.raises(InvalidInput) as exc:
        loop.record_recheck(rectifying, actor=xihu_inspector, passed=True, note="已整改")
    assert "两名以上持有效行政执法证" in exc.value.detail
    assert Hazard.objects.get(pk=rectifying.pk).status == Hazard.Status.RECTIFYING
    # Another certified colleague makes it two.
    loop.record_recheck(rectifying, actor=xihu_inspector, passed=True, note="已整改",
                        inspectors=[colleague])
    recheck = ReCheck.objects.get(hazard=rectifying)
    assert set(recheck.checked_by.all()) == {xihu_inspector, colleague}


def test_the_form_names_the_second_officer(web_as, rectifying, xihu_inspector,
                                           xihu_inspector2, colleague):
    inspection = rectifying.inspection
    client = web_as(xihu_inspector)
    page = client.get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    assert 'data-testid="second-officer"' in page.content.decode()
    assert "西湖执法员三" in page.content.decode()
    url = reverse("inspections:inspection_hazard_accept", args=[inspection.pk, rectifying.pk])
    bad = client.post(url, {"note": "已整改", "second_officer": "999999"})
    assert bad.status_code == 400 and "所选复查人员" in bad.content.decode()
    ok = client.post(url, {"note": "已整改", "second_officer": str(colleague.pk)})
    assert ok.status_code == 302
    assert set(ReCheck.objects.get(hazard=rectifying).checked_by.all()) == {
        xihu_inspector, colleague}


def test_the_enterprise_signs_the_recheck_opinion_after_the_recheck(
        web_as, rectifying, xihu_inspector, xihu_inspector2):
    import io

    from PIL import Image

    from inspections.evidence import signatures
    from inspections.loop import services as loop

    out = io.BytesIO()
    Image.new("L", (60, 20), 255).save(out, format="PNG")
    png = out.getvalue()
    inspection = rectifying.inspection
    with pytest.raises(InvalidInput) as exc:
        signatures.sign(inspection, actor=xihu_inspector, document="recheck",
                        signer_role="enterprise", signer_name="王厂长", png_bytes=png)
    assert "复查后签名" in exc.value.detail
    loop.record_recheck(rectifying, actor=xihu_inspector, passed=True, note="已整改")
    page = web_as(xihu_inspector).get(reverse("inspections:evidence_sign",
                                              args=[inspection.pk])).content.decode()
    assert 'value="recheck"' in page
    signed = signatures.sign(inspection, actor=xihu_inspector, document="recheck",
                             signer_role="enterprise", signer_name="王厂长", png_bytes=png)
    assert signed.document == "recheck"
