"""Seed the discretion table (enforcement/grounds/seeding.py says what is illustrative)."""

from django.db import migrations


def seed(apps, schema_editor):
    from enforcement.grounds.seeding import seed_discretion

    seed_discretion(apps.get_model("enforcement", "DiscretionVersion"),
                    apps.get_model("enforcement", "ViolationType"),
                    apps.get_model("enforcement", "DiscretionBenchmark"))


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0003_discretion_models")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
