"""Add the accident rows to the rating rule table seeded by 0004 (credit/ratings/
seeding.py: a major accident gives D at once; an accident of the year gives C)."""

from django.db import migrations


def seed(apps, schema_editor):
    from credit.ratings.seeding import seed_accident_rules

    seed_accident_rules(apps.get_model("credit", "RatingRule"))


class Migration(migrations.Migration):
    dependencies = [("credit", "0005_accident_grounds_and_rating_input")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
