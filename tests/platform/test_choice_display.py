"""Every model's get_FOO_display() answers what Django's own gives, from a cached table."""

from functools import partialmethod

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from hangzhou_safety.db import choices


def _choice_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_generated_display_is_the_cached_one():
    fields = list(_choice_fields())
    assert len(fields) > 30  # the registry, plans, inspections, cases, credit …
    for model, field in fields:
        method = getattr(model, f"get_{field.name}_display")
        assert not isinstance(method, partialmethod), (model, field.name)
    assert choices.install() == 0  # idempotent: nothing left to replace


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_labels_equal_djangos_in_each_language(language):
    checked = 0
    with translation.override(language):
        for model, field in _choice_fields():
            for value, _label in field.flatchoices:
                row = model(**{field.attname: value})
                cached = getattr(row, f"get_{field.name}_display")()
                assert cached == models.Model._get_FIELD_display(row, field), (model, value)
                checked += 1
            # A value outside the choices shows as itself, as with Django's.
            row = model(**{field.attname: "no-such-choice"})
            assert getattr(row, f"get_{field.name}_display")() == "no-such-choice"
    assert checked > 100


def test_the_language_switch_is_seen():
    from enterprises.models import Enterprise, Sector

    row = Enterprise(sector=Sector.HAZARDOUS_CHEMICALS)
    with translation.override("zh-hans"):
        chinese = row.get_sector_display()
    with translation.override("en"):
        english = row.get_sector_display()
    assert chinese != english and english.isascii()


def test_drf_still_calls_the_cached_display():
    from rest_framework.fields import is_simple_callable

    from enterprises.models import Enterprise

    assert is_simple_callable(Enterprise(status="operating").get_status_display)
