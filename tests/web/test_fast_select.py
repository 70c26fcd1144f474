"""FastSelect writes the HTML the project's select templates write, without them."""

import re

import pytest
from django import forms
from django.utils import translation

from hangzhou_safety.web.forms import FastSelect

CHOICES = [
    ("", "---------"),
    ("a", "甲 <b>&"),
    ("上城区", [("330102001", "湖滨街道"), ("330102002", '清波"街道')]),
    (7, "七"),
]


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["", "a", "330102002", "7", None, ["a", "330102001"]])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_same_html_as_the_template_select(value, language):
    attrs = {"class": "form-select", "id": "id_place", "disabled": False, "required": True}
    with translation.override(language):
        if isinstance(value, list):
            expected = forms.SelectMultiple(attrs=attrs, choices=CHOICES).render(
                "place", value)
            got = type("FastMultiple", (FastSelect,), {"allow_multiple_selected": True})(
                attrs=attrs, choices=CHOICES).render("place", value)
        else:
            expected = forms.Select(attrs=attrs, choices=CHOICES).render("place", value)
            got = FastSelect(attrs=attrs, choices=CHOICES).render("place", value)
    # Equal up to the whitespace between tags (the templates' newlines).
    assert _tags(got) == _tags(expected)
    assert "&lt;b&gt;&amp;" in got and "---------" not in got


@pytest.mark.django_db
def test_the_registry_filter_form_renders_through_it(web_as, xihu_inspector):
    page = web_as(xihu_inspector).get("/enterprises/?sector=hazardous_chemicals")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="hazardous_chemicals" selected>' in html
    assert 'class="form-select"' in html and 'name="street"' in html


@pytest.mark.django_db
def test_a_new_street_reaches_the_filter_at_once(web_as, xihu_inspector):
    # The filter's places are memoised per scope; a saved jurisdiction moves their
    # generation (accounts.signals), so the next page view reads them again.
    from hangzhou_safety.accounts.models import Jurisdiction

    client = web_as(xihu_inspector)
    assert "测试新街道" not in client.get("/enterprises/").content.decode()
    xihu = Jurisdiction.objects.get(code="330106")
    Jurisdiction.objects.create(code="330106999", name="测试新街道", parent=xihu,
                                kind=Jurisdiction.Kind.STREET)
    html = client.get("/enterprises/").content.decode()
    assert '<option value="330106999">测试新街道</option>' in html


def test_memo_by_generation_computes_once_per_generation():
    import uuid

    from django.core.cache import cache

    from hangzhou_safety.cache import bump, generation, memo_by_generation, named_generation

    name = named_generation(f"test-memo-{uuid.uuid4().hex}")  # never bumped before
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    # Never bumped: nothing to tell a change by, so no memo.
    assert memo_by_generation(name, "k", compute) == 1
    assert memo_by_generation(name, "k", compute) == 2
    calls.clear()
    bump(name)
    assert memo_by_generation(name, "k", compute) == 1
    assert memo_by_generation(name, "k", compute) == 1
    assert memo_by_generation(name, "other", compute) == 2
    bump(name)
    assert memo_by_generation(name, "k", compute) == 3
    assert memo_by_generation(name, "k", compute, seconds=0) == 4  # expired at once
    # A flush (cache.clear() in some tests, an evicted key) never brings back an old
    # generation's number: the next bump starts from the clock.
    before = generation(name)
    cache.clear()
    assert generation(name) == 0
    assert memo_by_generation(name, "k", compute) == 5  # unknown: computed, not memoised
    bump(name)
    assert generation(name) > before
    assert memo_by_generation(name, "k", compute) == 6
