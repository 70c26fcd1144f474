"""Add the document types of compulsory measures (现措, 停供, 解除; data.py) to a table
seeded before they existed. load_document_types inserts missing codes only, so an
edited row is left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.documents.numbering import load_document_types

    load_document_types(apps.get_model("documents", "DocumentType"),
                        apps.get_model("documents", "RightsNotice"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_seed_numbering")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
