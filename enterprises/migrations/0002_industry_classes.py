from django.db import migrations


def load(apps, schema_editor):
    from enterprises.reference import load_industry_classes

    load_industry_classes(apps.get_model("enterprises", "IndustryClass"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
