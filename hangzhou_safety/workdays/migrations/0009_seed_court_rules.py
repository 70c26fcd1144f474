"""Add the rules litigation (6 months) and court_application (3 months, 行政强制法
第五十三条) from clock_rules.py to a table seeded before they existed. seed_clock_rules
inserts missing codes only, so an edited row is left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.workdays.clock_rules import seed_clock_rules

    seed_clock_rules(apps.get_model("workdays", "ClockRule"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0008_seed_stop_measure_limit")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
