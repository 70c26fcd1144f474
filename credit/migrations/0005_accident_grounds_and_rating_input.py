"""Blacklist proposals the system detects (令11号 列入情形 发生事故（二）): no proposing user,
and the facts they were detected from, kept once; the rating rule table's ``immediate``
flag (a rule an event during the year applies at once)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credit', '0004_seed_rating_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='blacklistentry',
            name='detection_key',
            field=models.CharField(blank=True, max_length=120, verbose_name='自动识别依据'),
        ),
        migrations.AddField(
            model_name='ratingrule',
            name='immediate',
            field=models.BooleanField(default=False, verbose_name='即时降级'),
        ),
        migrations.AlterField(
            model_name='blacklistentry',
            name='proposed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='blacklistentry',
            constraint=models.UniqueConstraint(condition=models.Q(('detection_key', ''), _negated=True), fields=('detection_key',), name='blacklist_detection_once'),
        ),
    ]
