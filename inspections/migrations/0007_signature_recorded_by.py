"""Every signature names the officer who captured it (recorded_by NOT NULL).

Rows written before 0006 have no recorder: an inspector's own signature was captured
on their own session (recorded_by = user); an enterprise representative's signature
is attributed to the officer who created the inspection, the only officer the row
can be traced to."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def backfill(apps, schema_editor):
    Signature = apps.get_model("inspections", "Signature")
    Inspection = apps.get_model("inspections", "Inspection")
    missing = Signature.objects.filter(recorded_by__isnull=True)
    missing.filter(user__isnull=False).update(recorded_by=F("user"))
    creator = Inspection.objects.filter(pk=OuterRef("inspection_id")).values("created_by")[:1]
    missing.filter(user__isnull=True).update(recorded_by=Subquery(creator))


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0006_signature_signer_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='signature',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='采集人'),
        ),
    ]
