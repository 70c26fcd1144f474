"""Add the document type 罚变 (行政处罚决定变更（撤销）决定书, data.py) to a table seeded
before it existed. load_document_types inserts missing codes only, so an edited row is
left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.documents.numbering import load_document_types

    load_document_types(apps.get_model("documents", "DocumentType"),
                        apps.get_model("documents", "RightsNotice"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_seed_measure_document_types")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
