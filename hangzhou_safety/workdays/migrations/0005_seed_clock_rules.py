"""Seed the clock rule table from hangzhou_safety/workdays/clock_rules.py (once; the
municipal administrator maintains it afterwards, so existing rows are left alone)."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.workdays.clock_rules import seed_clock_rules

    seed_clock_rules(apps.get_model("workdays", "ClockRule"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0004_clock_rule")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
