"""RandomDraw.report: the draw's report (capped / skipped / shortfall) stored when
drawn. Existing draws are backfilled by recomputing it from their stored seed,
snapshot and algorithm version (the algorithm is pure and versions never change)."""

from typing import Any

from django.db import migrations, models

BATCH = 500


def backfill(apps: Any, schema_editor: Any) -> None:
    from inspections.draws.algorithm import DETAILED

    RandomDraw = apps.get_model("inspections", "RandomDraw")
    pending = (RandomDraw.objects.filter(report__isnull=True)
               .only("id", "seed", "snapshot", "enterprise_count", "algorithm_version")
               .order_by("id"))
    batch = []
    for draw in pending.iterator(chunk_size=BATCH):
        algorithm = DETAILED.get(draw.algorithm_version)
        if algorithm is None or not isinstance(draw.snapshot, dict):
            continue  # an unknown version keeps a null report (shown as unavailable)
        try:
            draw.report = algorithm(draw.seed, draw.snapshot, draw.enterprise_count).report()
        except (KeyError, TypeError, ValueError):
            continue  # a damaged snapshot: verify_draw reports it; no report to store
        batch.append(draw)
        if len(batch) >= BATCH:
            RandomDraw.objects.bulk_update(batch, ["report"])
            batch = []
    if batch:
        RandomDraw.objects.bulk_update(batch, ["report"])


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0004_evidence_signatures"),
    ]

    operations = [
        migrations.AddField(
            model_name="randomdraw",
            name="report",
            field=models.JSONField(blank=True, null=True, verbose_name="抽取报告"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
