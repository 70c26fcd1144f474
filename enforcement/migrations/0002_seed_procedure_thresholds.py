"""Seed the procedure thresholds, each with the text it follows (DOMAIN.md B2 and its
corrections). The hearing figure rests on the superseded 2015 办法 because the 2026
procedure (应急管理部令第18号) was not available: tagged K for the administrator to verify."""

import datetime
from decimal import Decimal

from django.db import migrations

PENALTY_LAW = "行政处罚法（2021年修订）"
ROWS = [
    ("summary_procedure_fine_max", "person", "200", datetime.date(2021, 7, 15),
     f"{PENALTY_LAW}第五十一条：对公民处以二百元以下罚款", "S", ""),
    ("summary_procedure_fine_max", "organisation", "3000", datetime.date(2021, 7, 15),
     f"{PENALTY_LAW}第五十一条：对法人或者其他组织处以三千元以下罚款", "S", ""),
    ("on_the_spot_collection_max", "person", "100", datetime.date(2021, 7, 15),
     f"{PENALTY_LAW}第六十八条（一）：依法给予一百元以下罚款的", "S", ""),
    ("on_the_spot_collection_max", "organisation", "100", datetime.date(2021, 7, 15),
     f"{PENALTY_LAW}第六十八条（一）：依法给予一百元以下罚款的", "S", ""),
    ("large_fine_min", "person", "20000", datetime.date(2015, 5, 1),
     "安全生产违法行为行政处罚办法（2015年修订）：个人二万元以上为较大数额", "K",
     "该办法自2026-02-01起由应急管理部令第18号取代，新文本未取得；另有来源称个人一万元。"
     "核实后按施行日期新增一行。"),
    ("large_fine_min", "organisation", "50000", datetime.date(2015, 5, 1),
     "安全生产违法行为行政处罚办法（2015年修订）：单位五万元以上为较大数额", "K",
     "该办法自2026-02-01起由应急管理部令第18号取代，新文本未取得；另有来源称单位三万元。"
     "核实后按施行日期新增一行。"),
]


def seed(apps, schema_editor):
    model = apps.get_model("enforcement", "ProcedureThreshold")
    for code, kind, amount, valid_from, source, tag, note in ROWS:
        model.objects.update_or_create(
            code=code, party_kind=kind, valid_from=valid_from,
            defaults={"amount": Decimal(amount), "source": source, "tag": tag, "note": note})


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_procedure_thresholds")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
