"""Insert the clock rules added to clock_rules.py since 0005 (the review of an
application to resume, "resume_review"); rows already present are left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.workdays.clock_rules import seed_clock_rules

    seed_clock_rules(apps.get_model("workdays", "ClockRule"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0006_unscheduled_year_help")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
