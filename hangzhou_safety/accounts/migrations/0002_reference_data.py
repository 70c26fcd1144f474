"""Load Hangzhou's jurisdiction tree and enforcement authorities (reference data)."""

from django.db import migrations


def load(apps, schema_editor):
    from hangzhou_safety.accounts.reference import load_authorities, load_jurisdictions

    Jurisdiction = apps.get_model("accounts", "Jurisdiction")
    Authority = apps.get_model("accounts", "Authority")
    load_jurisdictions(Jurisdiction)
    load_authorities(Jurisdiction, Authority)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
