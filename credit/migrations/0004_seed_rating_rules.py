"""Seed the default rating rule table (credit/ratings/seeding.py; illustrative, editable)."""

from django.db import migrations


def seed(apps, schema_editor):
    from credit.ratings.seeding import seed_rules

    seed_rules(apps.get_model("credit", "RatingRule"))


class Migration(migrations.Migration):
    dependencies = [("credit", "0003_ratings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
