# The clock rule table gains a unit of calendar months (stop_measure_limit).

from django.db import migrations, models

KINDS = [("working_days", "工作日"), ("calendar_days", "自然日"), ("hours", "小时"),
         ("calendar_months", "个月")]


class Migration(migrations.Migration):

    dependencies = [
        ("workdays", "0006_unscheduled_year_help"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clockrule",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=16, verbose_name="计算方式"),
        ),
        migrations.AlterField(
            model_name="clockruleevent",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=16, verbose_name="计算方式"),
        ),
    ]
