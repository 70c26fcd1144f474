"""Seed holidays and make-up workdays for every year the chinesecalendar package knows."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.workdays.seeding import seed_calendar

    seed_calendar(apps.get_model("workdays", "CalendarYear"),
                  apps.get_model("workdays", "SpecialDay"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
