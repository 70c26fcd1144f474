"""Add the rule disclosure_objection (5 working days to answer a public objection to a
disclosed decision, issue 12, [K]) from clock_rules.py. seed_clock_rules inserts
missing codes only, so an edited row is left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.workdays.clock_rules import seed_clock_rules

    seed_clock_rules(apps.get_model("workdays", "ClockRule"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0010_seed_transfer_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
