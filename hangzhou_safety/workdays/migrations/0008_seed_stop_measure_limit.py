"""Add the rules stop_measure_limit (six months) and resume_review (the review of an
application to resume) from clock_rules.py to a table seeded before they existed. seed_clock_rules inserts missing codes only, so a row the municipal
administrator already entered or edited is left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.workdays.clock_rules import seed_clock_rules

    seed_clock_rules(apps.get_model("workdays", "ClockRule"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0007_clock_rule_months")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
