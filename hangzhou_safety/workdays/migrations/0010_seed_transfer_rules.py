"""Add the criminal-transfer and accident rules the transfer and accident workflows start
(issue 11): transfer_decision, transfer_delivery, police_acceptance,
transfer_reconsideration, exhibit_handover, accident_unit_report and accident_pass_up.

seed_clock_rules inserts missing codes only, so an edited row is left alone. The four
rows they supersede (head_transfer_decision, transfer, accident_report,
accident_report_up: seeded by 0005, never started by any code) are disabled only while
they still hold their seeded values; a row the municipal administrator changed stays as
it is. accident_report_up cited 第十条 for the two hours, which are 第十一条."""

from django.db import migrations

SUPERSEDED = {
    # code: (kind, amount, replaced by)
    "head_transfer_decision": ("calendar_days", 3, "transfer_decision"),
    "transfer": ("hours", 24, "transfer_delivery"),
    "accident_report": ("hours", 1, "accident_unit_report"),
    "accident_report_up": ("hours", 2, "accident_pass_up"),
}


def seed(apps, schema_editor):
    from hangzhou_safety.workdays.clock_rules import seed_clock_rules

    rule = apps.get_model("workdays", "ClockRule")
    seed_clock_rules(rule)
    for code, (kind, amount, replaced_by) in SUPERSEDED.items():
        rule.objects.filter(code=code, kind=kind, amount=amount, active=True).update(
            active=False, note=f"已由期限规则“{replaced_by}”取代（issue 11）。")


class Migration(migrations.Migration):
    dependencies = [("workdays", "0009_seed_court_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
